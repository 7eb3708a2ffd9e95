from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self) -> None:
        from dossiers.signals import dossier_transitioned

        from .receivers import on_dossier_transitioned

        dossier_transitioned.connect(on_dossier_transitioned, dispatch_uid="reports.refresh_figures")
        _register_on_the_shell()


def _register_on_the_shell() -> None:
    """Entry points on the portal's menus and home page (common.shell): the public figures for
    everyone, the dashboard for officers who read the figures."""
    from common.shell import Audience, Entry, register_entry

    register_entry(
        Entry(
            "reports.public",
            _("Số liệu"),
            "reports:public_figures",
            order=60,
            description=_("Số liệu giải quyết thủ tục hành chính của tỉnh năm nay và năm trước"),
        )
    )
    register_entry(
        Entry(
            "reports.dashboard",
            _("Báo cáo, thống kê"),
            "reports:dashboard",
            order=240,
            audience=Audience.OFFICER,
            capabilities=frozenset({"reports.view"}),
        )
    )
