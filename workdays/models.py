"""Official days off and make-up working days, maintained by administrators per year from the
Prime Minister's and the ministries' decisions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    MAKEUP = "makeup", _("Ngày làm bù")


class OfficialDay(models.Model):
    """One weekday off, or one Saturday worked in exchange (làm bù). Once a year has any entry,
    that year's days off are exactly its entries."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("tên, lý do"), max_length=300)
    replaces = models.DateField(_("làm bù cho ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=500, blank=True)
    unconfirmed = models.BooleanField(_("chưa xác nhận"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"
