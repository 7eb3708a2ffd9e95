from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Đánh giá sự hài lòng")

    def ready(self) -> None:
        _register_on_the_shell()
        _register_invitations()


def _register_invitations() -> None:
    """The invitation to rate: a link in the notice of a returned dossier and in the notice of an
    answer (notifications' payload extras), and on "Hồ sơ của tôi" (dossiers' citizen links)."""
    from dossiers.citizen_links import register_citizen_links
    from notifications.services import register_payload_extra

    from . import links

    register_payload_extra("dossier.return_result", links.dossier_notice_link)
    register_payload_extra("feedback.answer", links.item_notice_link)
    register_citizen_links("surveys.rating", links.dossier_rating_links)


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
