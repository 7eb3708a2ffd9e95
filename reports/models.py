"""The tables of the reports: the daily figures (pre-aggregated, so that a year over a million
dossiers is summed from a few hundred thousand rows), what each dossier last added to them, and
the reports written (with the data they were written from).

Only ``reports.services`` writes them; no other app's table is written here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import rules


class DailyFigure(models.Model):
    """Số liệu theo ngày: the measures of ``rules.MEASURES`` for one day, processing agency,
    procedure, field, channel and receiving one-stop unit (with its administrative unit)."""

    day = models.DateField()
    agency_id = models.PositiveIntegerField()
    procedure_id = models.PositiveIntegerField()
    field_id = models.PositiveIntegerField()
    channel = models.CharField(max_length=10)
    unit_id = models.PositiveIntegerField()
    area_id = models.PositiveIntegerField()  # the receiving unit's administrative unit

    received = models.BigIntegerField(default=0)
    received_online = models.BigIntegerField(default=0)
    ended = models.BigIntegerField(default=0)
    early = models.BigIntegerField(default=0)
    on_time = models.BigIntegerField(default=0)
    late = models.BigIntegerField(default=0)
    stopped = models.BigIntegerField(default=0)
    withdrawn = models.BigIntegerField(default=0)
    not_received = models.BigIntegerField(default=0)
    overdue_in = models.BigIntegerField(default=0)
    overdue_out = models.BigIntegerField(default=0)
    digitized = models.BigIntegerField(default=0)
    reused = models.BigIntegerField(default=0)
    decided = models.BigIntegerField(default=0)
    e_results = models.BigIntegerField(default=0)
    paid_dossiers = models.BigIntegerField(default=0)
    paid_online_dossiers = models.BigIntegerField(default=0)
    paid_vnd = models.BigIntegerField(default=0)
    paid_online_vnd = models.BigIntegerField(default=0)
    reductions_vnd = models.BigIntegerField(default=0)
    exemptions_vnd = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu theo ngày")
        verbose_name_plural = _("số liệu theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency_id", "procedure_id", "field_id", "channel", "unit_id"],
                name="one_daily_figure_per_key",
            )
        ]
        indexes = [models.Index(fields=["agency_id", "day"], name="daily_figure_agency_day")]


DIMENSIONS = ("agency_id", "procedure_id", "field_id", "channel", "unit_id", "area_id")
assert all(hasattr(DailyFigure, m) for m in rules.MEASURES)


class DossierFact(models.Model):
    """What a dossier last added to the daily figures (its dimensions and ``rules.DossierFacts``):
    the next refresh takes it away before adding what the dossier adds now."""

    dossier_id = models.BigIntegerField(primary_key=True)
    agency_id = models.PositiveIntegerField()
    procedure_id = models.PositiveIntegerField()
    field_id = models.PositiveIntegerField()
    channel = models.CharField(max_length=10)
    unit_id = models.PositiveIntegerField()
    area_id = models.PositiveIntegerField()
    state = models.CharField(max_length=25)
    outcome = models.CharField(max_length=10, blank=True)
    received_on = models.DateField(null=True)
    finished_on = models.DateField(null=True)
    closed_on = models.DateField(null=True)
    due_on = models.DateField(null=True)
    supplement_requests = models.PositiveSmallIntegerField(default=0)
    digitized = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    e_result = models.BooleanField(default=False)
    # [[ISO day, amount, online, reduction, exemption], …]
    payments = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("số liệu của hồ sơ")
        verbose_name_plural = _("số liệu của hồ sơ")


class ReportKind(models.TextChoices):
    PROPAGANDA = "propaganda", _("Báo cáo công tác tuyên truyền cải cách hành chính")
    ONE_STOP_QUARTERLY = "one_stop_quarterly", _("Báo cáo tình hình giải quyết TTHC (quý)")


class ReportDocument(models.Model):
    """Một báo cáo đã lập: the DOCX (and PDF) written, with the figures it was written from, so
    that reopened next year it says what it said."""

    kind = models.CharField(_("loại báo cáo"), max_length=30, choices=ReportKind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    agency_id = models.PositiveIntegerField(_("cơ quan"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    created_at = models.DateTimeField(_("thời điểm lập"), auto_now_add=True)
    snapshot = models.JSONField(_("số liệu"), default=dict)
    docx = models.BinaryField(_("tệp DOCX"))
    pdf = models.BinaryField(_("tệp PDF"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo đã lập")
        verbose_name_plural = _("báo cáo đã lập")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"
