from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The shell: home, contact, menus, the header's account area, error pages (top layer)."""

    name = "portal"
    verbose_name = _("Cổng thông tin")

    def ready(self) -> None:
        from common.shell import Entry, Panel, Place, register_entry, register_panel

        from . import shell

        register_entry(
            Entry("portal.contact", _("Hỗ trợ, liên hệ"), "portal:contact", order=900, places=frozenset({Place.MENU}))
        )
        # The shell's own sections of the home page, between the contexts' panels.
        register_panel(Panel("portal.services", "portal/_home_services.html", shell.services_panel, order=20))
        register_panel(Panel("portal.for_you", "portal/_home_for_you.html", order=25))
        register_panel(Panel("portal.help", "portal/_home_help.html", order=1000))
