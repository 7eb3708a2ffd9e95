from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self) -> None:
        from dossiers.signals import dossier_transitioned

        from .receivers import on_dossier_transitioned

        dossier_transitioned.connect(on_dossier_transitioned, dispatch_uid="reports.refresh_figures")
