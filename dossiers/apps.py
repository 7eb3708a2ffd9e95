from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self) -> None:
        _register_on_the_shell()


def _register_on_the_shell() -> None:
    """Entry points on the portal's menus and home page (common.shell)."""
    from common.shell import Audience, Entry, register_entry

    register_entry(Entry("dossiers.track", _("Tra cứu hồ sơ"), "dossiers:track", order=20))
    register_entry(Entry("dossiers.mine", _("Hồ sơ của tôi"), "dossiers:mine", order=22))
    register_entry(
        Entry(
            "dossiers.queues",
            _("Hồ sơ cần xử lý"),
            "dossiers:officer_queues",
            order=210,
            audience=Audience.OFFICER,
            capabilities=frozenset({"dossier.view"}),
        )
    )
    register_entry(
        Entry(
            "dossiers.register",
            _("Tiếp nhận hồ sơ tại quầy"),
            "dossiers:officer_register",
            order=212,
            audience=Audience.OFFICER,
            capabilities=frozenset({"dossier.receive"}),
        )
    )
    register_entry(
        Entry(
            "dossiers.log_book",
            _("Sổ theo dõi hồ sơ"),
            "dossiers:log_book",
            order=214,
            audience=Audience.OFFICER,
            capabilities=frozenset({"dossier.view"}),
        )
    )
