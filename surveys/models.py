"""Đánh giá sự hài lòng: one rating per returned dossier and per answered feedback item, and the
counter's tablets (kiosk) that invite a rating for the dossier just returned at the desk.

Who gave a rating is kept only so that they can change it within 7 days; no officer's page or
figure shows it (officers see aggregates for their agency)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .rules import Criterion


class RatingChannel(models.TextChoices):
    WEB = "web", _("Trên Cổng (Hồ sơ của tôi, đường dẫn trong thông báo)")
    KIOSK = "kiosk", _("Máy đánh giá tại quầy")


def _score(label: object) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True)  # type: ignore[arg-type]


class Rating(models.Model):
    dossier = models.OneToOneField(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="rating"
    )
    feedback_item = models.OneToOneField(
        "feedback.FeedbackItem", null=True, blank=True, on_delete=models.PROTECT, related_name="rating"
    )
    # The agency rated: the dossier's processing agency, or the agency that answered the item.
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    overall = models.PositiveSmallIntegerField(_("mức hài lòng chung"))
    information = _score(Criterion.INFORMATION.label)
    procedure = _score(Criterion.PROCEDURE.label)
    attitude = _score(Criterion.ATTITUDE.label)
    timeliness = _score(Criterion.TIMELINESS.label)
    result = _score(Criterion.RESULT.label)
    comment = models.TextField(_("ý kiến khác"), blank=True)
    channel = models.CharField(_("nơi đánh giá"), max_length=10, choices=RatingChannel.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, db_index=False, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm đánh giá"))
    updated_at = models.DateTimeField(_("thời điểm sửa"))

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        constraints = [
            models.CheckConstraint(
                condition=(Q(dossier__isnull=False) & Q(feedback_item__isnull=True))
                | (Q(dossier__isnull=True) & Q(feedback_item__isnull=False)),
                name="rating_of_one_subject",
            ),
            models.CheckConstraint(condition=Q(overall__gte=1) & Q(overall__lte=5), name="rating_overall_1_to_5"),
        ]
        indexes = [models.Index(fields=["agency", "created_at"], name="rating_agency_time")]


def _token() -> str:
    return secrets.token_urlsafe(24)


class KioskDevice(models.Model):
    """Máy tính bảng tại quầy: paired once by a counter officer, then used without sign-in. It
    shows the rating form only for the dossier an officer of its agency has just invited, for a
    few minutes, once."""

    name = models.CharField(_("tên máy"), max_length=100)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    current_dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("máy đánh giá tại quầy")
        verbose_name_plural = _("máy đánh giá tại quầy")

    def __str__(self) -> str:
        return self.name
