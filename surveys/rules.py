"""Đánh giá sự hài lòng as pure functions: the criteria of the national index (Quyết định
766/QĐ-TTg, nhóm 5), when a rating may be given and changed, what a valid rating is, and the
aggregates officers see (never who rated what)."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

INVITE_DAYS = 14  # a rating is invited for 14 days after the dossier is returned or the item answered
EDIT_DAYS = 7  # and may be changed for 7 days after it is given
UNHAPPY_AT_MOST = 2  # an overall score of 1 or 2 on an answer offers to reopen the item
SCORES = range(1, 6)


class Criterion(models.TextChoices):
    """Các tiêu chí đánh giá (Quyết định 766/QĐ-TTg, nhóm 5)."""

    INFORMATION = "information", gettext_lazy("Tiếp cận thông tin, thủ tục")
    PROCEDURE = "procedure", gettext_lazy("Thủ tục hành chính")
    ATTITUDE = "attitude", gettext_lazy("Thái độ của cán bộ, công chức")
    TIMELINESS = "timeliness", gettext_lazy("Thời gian giải quyết")
    RESULT = "result", gettext_lazy("Kết quả giải quyết")


CRITERIA: Sequence[str] = tuple(Criterion.values)


def may_rate(*, invited_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    """Within 14 days of the invitation (the return of the dossier, the answer of the item)."""
    return invited_at is not None and invited_at <= now <= invited_at + datetime.timedelta(days=INVITE_DAYS)


def may_change(*, rated_at: datetime.datetime, now: datetime.datetime) -> bool:
    return now <= rated_at + datetime.timedelta(days=EDIT_DAYS)


def score_problems(overall: int | None, criteria: Mapping[str, int | None], comment: str = "") -> dict[str, str]:
    """Overall 1–5 is required; each criterion is optional, 1–5 when given; free text ≤ 2,000."""
    problems: dict[str, str] = {}
    if overall not in SCORES:
        problems["overall"] = _("Chọn mức hài lòng chung từ 1 đến 5.")
    for key, value in criteria.items():
        if key not in CRITERIA:
            problems[key] = _("Tiêu chí không có trong bộ chỉ số.")
        elif value is not None and value not in SCORES:
            problems[key] = _("Điểm từ 1 đến 5.")
    if len(comment) > 2000:
        problems["comment"] = _("Ý kiến dài tối đa 2.000 ký tự.")
    return problems


def is_unhappy(overall: int) -> bool:
    return overall <= UNHAPPY_AT_MOST


@dataclass(frozen=True)
class Summary:
    """One criterion's figures: how many scored it, the mean, and the count of each score."""

    count: int
    mean: float | None
    distribution: dict[int, int]


def summarize(scores: Iterable[int | None]) -> Summary:
    given = [s for s in scores if s is not None]
    return Summary(
        count=len(given),
        mean=round(statistics.fmean(given), 2) if given else None,
        distribution={score: given.count(score) for score in SCORES},
    )


def response_rate(rated: int, invited: int) -> float | None:
    return round(rated / invited, 4) if invited else None


def median_days(durations: Iterable[float]) -> float | None:
    values = list(durations)
    return round(statistics.median(values), 2) if values else None
