from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self) -> None:
        _register_on_the_shell()
        from catalog.panels import register_panel

        register_panel(url_name="feedback:procedure_faq", title=_("Câu hỏi thường gặp"), order=50)
        from common.search import Provider, register_provider

        from .search import find_answers

        register_provider(
            Provider(
                "feedback.answers",
                _("Trả lời phản ánh, kiến nghị"),
                find_answers,
                order=50,
                more_url_name="feedback:answers",
            )
        )


def _register_on_the_shell() -> None:
    """Entry points on the portal's menus and home page (common.shell)."""
    from common.shell import Audience, Entry, Place, register_entry

    register_entry(Entry("feedback.send", _("Gửi phản ánh, kiến nghị"), "feedback:send", order=30))
    home = frozenset({Place.HOME})
    register_entry(Entry("feedback.answers", _("Hỏi đáp, trả lời phản ánh"), "feedback:answers", order=32, places=home))
    register_entry(Entry("feedback.track", _("Tra cứu phản ánh"), "feedback:track", order=34, places=home))
    register_entry(
        Entry(
            "feedback.queue",
            _("Phản ánh cần xử lý"),
            "feedback:officer_queue",
            order=220,
            audience=Audience.OFFICER,
            capabilities=frozenset({"feedback.handle"}),
        )
    )
    register_entry(
        Entry(
            "feedback.hotline",
            _("Ghi nhận cuộc gọi đường dây nóng"),
            "feedback:officer_intake",
            order=222,
            audience=Audience.OFFICER,
            capabilities=frozenset({"feedback.handle"}),
        )
    )
