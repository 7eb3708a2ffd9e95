from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestConfig(AppConfig):
    name = "contest"
    verbose_name = _("Cuộc thi trực tuyến")

    def ready(self) -> None:
        _register_on_the_shell()


def _register_on_the_shell() -> None:
    """The contests' entry on the portal's menu and home page (common.shell), and the home page's
    panel of the rounds open now and coming next."""
    from common.shell import Entry, Panel, register_entry, register_panel

    from .panels import home_panel

    register_entry(
        Entry(
            "contest.list",
            _("Cuộc thi trực tuyến"),
            "contest:list",
            order=60,
            description=_("Tìm hiểu pháp luật về thủ tục hành chính: làm bài ngay trên điện thoại"),
        )
    )
    register_panel(Panel("contest.rounds", "contest/_home_panel.html", home_panel, order=45))
