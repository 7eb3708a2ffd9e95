"""Writes of satisfaction ratings: a rating of a returned dossier (by its applicant on the portal,
or on the counter's tablet) or of an answered feedback item (by its sender), given within 14 days
and changed within 7; and the counter's tablets."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from dossiers.rules import State as DossierState
from feedback.models import FeedbackItem
from feedback.rules import State as FeedbackState
from org.models import Agency

from . import rules
from .models import KioskDevice, Rating, RatingChannel

KIOSK_MINUTES = 10  # how long the tablet offers the invited dossier's form


class RatingError(Exception):
    code = "rating_refused"

    def __init__(self, message: str, errors: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message, self.errors = message, dict(errors or {})


@dataclass(frozen=True)
class Scores:
    overall: int | None
    criteria: Mapping[str, int | None] = field(default_factory=dict)
    comment: str = ""


def _save(
    *,
    subject: Mapping[str, Any],
    agency_id: int,
    invited_at: datetime.datetime | None,
    scores: Scores,
    rater: Any,
    channel: str,
    now: datetime.datetime,
) -> Rating:
    problems = rules.score_problems(scores.overall, scores.criteria, scores.comment)
    if problems:
        raise RatingError(_("Đánh giá chưa hợp lệ."), problems)
    values = {
        "overall": scores.overall,
        **{key: scores.criteria.get(key) for key in rules.CRITERIA},
        "comment": scores.comment.strip(),
        "updated_at": now,
    }
    with transaction.atomic():
        existing = Rating.objects.select_for_update().filter(**subject).first()
        if existing is not None:
            # Changed on the portal only, by whoever reached the rating page (the applicant's
            # account, or the signed link sent to the applicant or sender); a rating given on the
            # counter's tablet, by nobody in particular, stays as it was given.
            if channel == RatingChannel.KIOSK or existing.channel == RatingChannel.KIOSK:
                raise RatingError(_("Hồ sơ này đã được đánh giá."))
            if not rules.may_change(rated_at=existing.created_at, now=now):
                raise RatingError(_("Chỉ sửa được đánh giá trong 7 ngày kể từ khi gửi."))
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()
            return existing
        if not rules.may_rate(invited_at=invited_at, now=now):
            raise RatingError(_("Chỉ đánh giá được trong 14 ngày kể từ khi nhận kết quả hoặc trả lời."))
        try:
            with transaction.atomic():
                return Rating.objects.create(
                    **subject,
                    **values,
                    agency_id=agency_id,
                    channel=channel,
                    rater=rater if getattr(rater, "is_authenticated", False) else None,
                    created_at=now,
                )
        except IntegrityError as twice:
            raise RatingError(_("Hồ sơ này đã được đánh giá.")) from twice


def rating_of_dossier(
    *,
    dossier: Dossier,
    scores: Scores,
    rater: Any,
    channel: str = RatingChannel.WEB,
    now: datetime.datetime | None = None,
) -> Rating:
    """Đánh giá hồ sơ: only a returned dossier; the caller has checked the rater is its applicant
    (signed in, or holding the signed link of the return's notice) or that the tablet was invited
    for it."""
    if dossier.state != DossierState.RETURNED:
        raise RatingError(_("Chỉ đánh giá được hồ sơ đã trả kết quả."))
    return _save(
        subject={"dossier": dossier},
        agency_id=dossier.processing_agency_id,
        invited_at=dossier.returned_at,
        scores=scores,
        rater=rater,
        channel=channel,
        now=now or timezone.now(),
    )


def rating_of_item(*, item: FeedbackItem, scores: Scores, rater: Any, now: datetime.datetime | None = None) -> Rating:
    """Đánh giá việc trả lời phản ánh: only an answered item, by its sender (the caller checked
    the signed link or the account)."""
    if item.state not in (FeedbackState.ANSWERED, FeedbackState.PUBLISHED, FeedbackState.ARCHIVED):
        raise RatingError(_("Phản ánh chưa được trả lời."))
    return _save(
        subject={"feedback_item": item},
        agency_id=item.answered_by_agency_id or item.agency_id,
        invited_at=item.answered_at,
        scores=scores,
        rater=rater,
        channel=RatingChannel.WEB,
        now=now or timezone.now(),
    )


# --- The counter's tablets --------------------------------------------------------------------------


def kiosk_pair(*, officer: Any, agency: Agency, name: str) -> KioskDevice:
    return KioskDevice.objects.create(name=name.strip()[:100] or _("Máy tại quầy"), agency=agency, created_by=officer)


def kiosk_invite(*, device: KioskDevice, dossier: Dossier, now: datetime.datetime | None = None) -> KioskDevice:
    """Put a returned dossier of the device's agency on the tablet, for a few minutes."""
    if dossier.processing_agency_id != device.agency_id or dossier.state != DossierState.RETURNED:
        raise RatingError(_("Chỉ mời đánh giá hồ sơ đã trả kết quả của cơ quan này."))
    if Rating.objects.filter(dossier=dossier).exists():
        raise RatingError(_("Hồ sơ này đã được đánh giá."))
    KioskDevice.objects.filter(pk=device.pk).update(current_dossier=dossier, invited_at=now or timezone.now())
    device.refresh_from_db()
    return device


def kiosk_dossier(device: KioskDevice, *, now: datetime.datetime | None = None) -> Dossier | None:
    """The dossier the tablet may rate now, if any."""
    now = now or timezone.now()
    if device.current_dossier_id is None or device.invited_at is None:
        return None
    if now - device.invited_at > datetime.timedelta(minutes=KIOSK_MINUTES):
        return None
    return device.current_dossier


def kiosk_rate(*, device: KioskDevice, scores: Scores, now: datetime.datetime | None = None) -> Rating:
    """One tap per dossier: the rating is saved and the tablet forgets the dossier."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = KioskDevice.objects.select_for_update().get(pk=device.pk)
        dossier = kiosk_dossier(locked, now=now)
        if dossier is None:
            raise RatingError(_("Không có hồ sơ nào đang chờ đánh giá trên máy này."))
        rating = rating_of_dossier(dossier=dossier, scores=scores, rater=None, channel=RatingChannel.KIOSK, now=now)
        KioskDevice.objects.filter(pk=locked.pk).update(current_dossier=None, invited_at=None)
        return rating
