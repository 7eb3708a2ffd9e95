from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Tài liệu, số hóa và kho dữ liệu")

    def ready(self) -> None:
        _register_on_the_shell()


def _register_on_the_shell() -> None:
    """Entry points on the portal's menus and home page (common.shell)."""
    from common.shell import Audience, Entry, register_entry

    register_entry(
        Entry("documents.store", _("Kho dữ liệu của tôi"), "documents:store", order=310, audience=Audience.SIGNED_IN)
    )
