from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Đánh giá sự hài lòng")

    def ready(self) -> None:
        _register_on_the_shell()


def _register_on_the_shell() -> None:
    """Entry points on the portal's menus and home page (common.shell)."""
    from common.shell import Audience, Entry, register_entry

    register_entry(Entry("surveys.mine", _("Đánh giá của tôi"), "surveys:mine", order=320, audience=Audience.SIGNED_IN))
    register_entry(
        Entry(
            "surveys.kiosk_console",
            _("Máy đánh giá tại quầy"),
            "surveys:kiosk_console",
            order=240,
            audience=Audience.OFFICER,
            capabilities=frozenset({"dossier.receive"}),
        )
    )
