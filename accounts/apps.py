from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản"

    def ready(self) -> None:
        _register_on_the_shell()


def _register_on_the_shell() -> None:
    """Entry points on the portal's menus and home page (common.shell)."""
    from common.shell import Audience, Entry, Place, register_entry

    register_entry(
        Entry("accounts.account", _("Tài khoản của tôi"), "accounts:account", order=300, audience=Audience.SIGNED_IN)
    )
    register_entry(
        Entry(
            "accounts.officer_home",
            _("Trang cán bộ"),
            "accounts:officer_home",
            order=200,
            audience=Audience.OFFICER,
            places=frozenset({Place.MENU}),
        )
    )
