from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        from .models import OfficialDay
        from .selectors import forget_work_calendar

        post_save.connect(forget_work_calendar, sender=OfficialDay, dispatch_uid="workdays.forget_on_save")
        post_delete.connect(forget_work_calendar, sender=OfficialDay, dispatch_uid="workdays.forget_on_delete")
