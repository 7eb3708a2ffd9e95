from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self) -> None:
        from catalog.panels import register_panel

        register_panel(url_name="feedback:procedure_faq", title=_("Câu hỏi thường gặp"), order=50)
