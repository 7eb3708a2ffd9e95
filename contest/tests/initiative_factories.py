"""Builders for initiative-contest tests: a contest with its window and weighted rubric, a panel
of officers, initiatives submitted through the service."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from contest import services
from contest.models import Contest, ContestKind, Criterion, Initiative, Judge
from org.tests.factories import officer

OPENS = datetime.datetime(2026, 4, 1, 1, 0, tzinfo=datetime.UTC)
CLOSES = OPENS + datetime.timedelta(days=30)
JUDGING = CLOSES + datetime.timedelta(days=1)
_numbers = itertools.count(1)

# Tính mới 40, hiệu quả 40, khả năng nhân rộng 20; each scored 0–10.
RUBRIC = (("Tính mới, sáng tạo", 40), ("Hiệu quả, lợi ích mang lại", 40), ("Khả năng nhân rộng", 20))


def initiative_contest(
    *, opens: datetime.datetime = OPENS, closes: datetime.datetime = CLOSES, **fields: Any
) -> Contest:
    contest = Contest.objects.create(
        slug=f"sang-kien-cchc-{next(_numbers)}",
        title="Cuộc thi sáng kiến, giải pháp cải cách hành chính năm 2026",
        kind=ContestKind.INITIATIVE,
        is_published=True,
        submissions_open_at=opens,
        submissions_close_at=closes,
        **{"first_prizes": 1, "second_prizes": 1, "third_prizes": 1, "consolation_prizes": 1, **fields},
    )
    for position, (name, weight) in enumerate(RUBRIC, 1):
        Criterion.objects.create(contest=contest, position=position, name=name, weight=weight, max_points=10)
    return contest


def judge(contest: Contest, username: str | None = None) -> Any:
    user = officer(username or f"giamkhao{next(_numbers)}", full_name=f"Giám khảo {next(_numbers)}")
    Judge.objects.create(contest=contest, user=user)
    return user


def initiative(
    contest: Contest, author: Any = None, *, title: str | None = None, at: datetime.datetime = OPENS
) -> Initiative:
    author = author or officer(f"tacgia{next(_numbers)}", full_name="Lê Thị Tác Giả")
    return services.initiative_submit(
        contest=contest,
        author=author,
        draft=services.InitiativeDraft(
            title=title or f"Sáng kiến số hóa hồ sơ {next(_numbers)}",
            problem="Hồ sơ giấy lưu trữ phân tán, tra cứu mất nhiều thời gian.",
            solution="Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa, gắn mã QR.",
            expected_effect="Giảm 50% thời gian tra cứu hồ sơ.",
            author_unit="Văn phòng UBND phường Nha Trang",
        ),
        uploads=[],
        now=at,
    )


def points(contest: Contest, *values: int) -> dict[int, int]:
    return dict(zip(contest.criteria.order_by("position").values_list("pk", flat=True), values, strict=True))


def published_contest() -> Contest:
    """A contest with one initiative scored by one judge, ranked and published."""
    contest = initiative_contest()
    item = initiative(contest)
    services.scorecard_save(
        initiative=item, user=judge(contest), points=points(contest, 8, 8, 8), comment="", now=JUDGING
    )
    services.initiatives_rank(contest=contest, now=JUDGING)
    services.initiatives_publish(contest=contest, now=JUDGING)
    return contest
