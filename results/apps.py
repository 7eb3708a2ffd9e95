from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Kết quả điện tử và chữ ký số")

    def ready(self) -> None:
        from django.core import checks

        from dossiers.signals import dossier_transitioned

        from .checks import local_ca_in_production
        from .receivers import on_dossier_transitioned

        checks.register(local_ca_in_production)

        dossier_transitioned.connect(on_dossier_transitioned, dispatch_uid="results.issue_on_approval")
