from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Kết quả điện tử và chữ ký số")

    def ready(self) -> None:
        _register_on_the_shell()
        from django.core import checks

        from dossiers.signals import dossier_transitioned

        from .checks import local_ca_in_production
        from .receivers import on_dossier_transitioned

        checks.register(local_ca_in_production)

        dossier_transitioned.connect(on_dossier_transitioned, dispatch_uid="results.issue_on_approval")


def _register_on_the_shell() -> None:
    """Entry points on the portal's menus and home page (common.shell)."""
    from common.shell import Entry, Place, register_entry

    register_entry(
        Entry(
            "results.verify",
            _("Xác thực kết quả điện tử"),
            "results:verify",
            order=60,
            places=frozenset({Place.HOME}),
        )
    )
