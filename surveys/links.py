"""The invitations to rate: signed links naming a returned dossier or an answered feedback item
(never the person), sent in the notification of the return or of the answer and shown on the
citizen's pages. Whoever holds the link may rate, and change the rating for 7 days: it went to the
applicant's or the sender's own address. Valid for the 14 days of the invitation and the 7 of a
change after it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.formats import short_date
from dossiers.citizen_links import CitizenLink
from dossiers.models import Dossier
from dossiers.rules import State as DossierState

from . import rules
from .models import Rating, RatingChannel

DOSSIER_SALT = "surveys.dossier"
ITEM_SALT = "surveys.feedback-item"
MAX_AGE = datetime.timedelta(days=rules.INVITE_DAYS + rules.EDIT_DAYS)


def token_of(pk: int, *, salt: str) -> str:
    return signing.dumps(pk, salt=salt)


def pk_of(token: str, *, salt: str) -> int | None:
    """The id the link names, or None for a forged, altered or expired link."""
    try:
        pk = signing.loads(token, salt=salt, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return pk if isinstance(pk, int) else None


def dossier_link(dossier_id: int, language: str) -> str:
    """The rating page of a returned dossier, in ``language``, for its applicant's notice."""
    return _absolute("surveys:rate_dossier_link", token_of(dossier_id, salt=DOSSIER_SALT), language)


def item_link(item_id: int, language: str) -> str:
    """The rating page of an answer, in ``language``, for its sender's notice."""
    return _absolute("surveys:rate_item", token_of(item_id, salt=ITEM_SALT), language)


def _absolute(name: str, token: str, language: str) -> str:
    with translation.override(language):
        path = reverse(name, kwargs={"token": token})
    return settings.PORTAL_PUBLIC_URL.rstrip("/") + path


def dossier_notice_link(subject: models.Model, recipient: Any) -> dict[str, str]:
    """``rating_link`` of the notice ``dossier.return_result`` (notifications' payload extra)."""
    return {"rating_link": dossier_link(int(subject.pk), recipient.language or settings.LANGUAGE_CODE)}


def item_notice_link(subject: models.Model, recipient: Any) -> dict[str, str]:
    """``rating_link`` of the notice ``feedback.answer``."""
    return {"rating_link": item_link(int(subject.pk), recipient.language or settings.LANGUAGE_CODE)}


def dossier_rating_links(dossiers: Sequence[Dossier], user: Any) -> dict[int, CitizenLink]:
    """ "Hồ sơ của tôi": the invitation to rate each dossier returned in the last 14 days and not
    yet rated, or to change a rating given in the last 7 (one query for the page's dossiers)."""
    now = timezone.now()
    window = datetime.timedelta(days=rules.INVITE_DAYS + rules.EDIT_DAYS)
    candidates = [
        d for d in dossiers if d.state == DossierState.RETURNED and d.returned_at and now - d.returned_at <= window
    ]
    if not candidates:
        return {}
    ratings = Rating.objects.filter(dossier__in=candidates).values_list("dossier_id", "created_at", "channel")
    rated = {pk: at for pk, at, channel in ratings if channel == RatingChannel.WEB}
    on_kiosk = {pk for pk, _at, channel in ratings if channel == RatingChannel.KIOSK}
    language = get_language() or settings.LANGUAGE_CODE
    found: dict[int, CitizenLink] = {}
    for dossier in candidates:
        returned_at, rated_at = dossier.returned_at, rated.get(dossier.pk)
        if dossier.pk in on_kiosk or returned_at is None:
            continue
        if rated_at is None and rules.may_rate(invited_at=returned_at, now=now):
            until = timezone.localtime(returned_at + datetime.timedelta(days=rules.INVITE_DAYS)).date()
            label = _("Đánh giá mức độ hài lòng")
        elif rated_at is not None and rules.may_change(rated_at=rated_at, now=now):
            until = timezone.localtime(rated_at + datetime.timedelta(days=rules.EDIT_DAYS)).date()
            label = _("Sửa đánh giá")
        else:
            continue
        found[dossier.pk] = CitizenLink(
            label=label,
            url=reverse("surveys:rate_dossier", args=[dossier.pk]),
            hint=_("đến ngày %(day)s") % {"day": short_date(until, language)},
        )
    return found
