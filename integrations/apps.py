from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Kết nối: thông báo, Cổng Dịch vụ công quốc gia")

    def ready(self) -> None:
        from dossiers.signals import dossier_transitioned

        from .receivers import on_dossier_transitioned

        dossier_transitioned.connect(on_dossier_transitioned, dispatch_uid="integrations.dossier_transitioned")
