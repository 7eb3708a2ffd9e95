from django.apps import AppConfig


class PortalStandinConfig(AppConfig):
    """A local stand-in for the national portal's dossier sync, for development and tests only;
    production settings refuse it."""

    name = "integrations.portal_standin"
    label = "portal_standin"
    verbose_name = "Cổng Dịch vụ công quốc gia giả lập"
