"""Feedback pages at volume: the public answers search (/hoi-dap/?q=) with 100,000 published items,
and an agency's queue page (/can-bo/phan-anh/) with its query count at two queue sizes.

Items are written in bulk (benchmark volume, not history: no events), into a database of their
own. Each page is requested in-process through Django's test client (middleware, view, template;
no network). Usage: .venv/bin/python bench/feedback_pages.py [--items 100000] [--rounds 5]
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_feedback.sqlite3'}")
os.environ.setdefault("MOTCUA_RATELIMIT_ENABLED", "false")

import _setup  # noqa: E402

SUBJECTS = [
    "Lệ phí cấp giấy chứng nhận quyền sử dụng đất",
    "Thời hạn giải quyết hồ sơ đăng ký hộ kinh doanh",
    "Thái độ cán bộ tiếp nhận hồ sơ tại Bộ phận Một cửa",
    "Giấy tờ cần nộp khi đăng ký khai sinh cho con",
    "Cấp đổi giấy phép lái xe quá hạn",
    "Hồ sơ chuyển nhượng nhà ở chậm trả kết quả",
    "Thủ tục xác nhận tình trạng hôn nhân",
    "Nộp thuế trước bạ trực tuyến",
]
QUERIES = ["le phi", "giấy phép lái xe", "hoà giải", "khai sinh", "thai do can bo", "chuyen nhuong nha o", "zzz"]


def ensure_items(total: int) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from common.text import fold
    from feedback.models import FeedbackItem
    from feedback.rules import State, feedback_code
    from org.tests.factories import agency

    call_command("migrate", verbosity=0)
    have = FeedbackItem.objects.count()
    if have >= total:
        return
    place = agency("Sở Bench") if not have else FeedbackItem.objects.first().agency  # type: ignore[union-attr]
    now = timezone.now()
    day = datetime.date(2025, 1, 1)
    with transaction.atomic():
        batch = []
        for n in range(have, total):
            subject = SUBJECTS[n % len(SUBJECTS)] + f" ({n})"
            question = f"Người dân hỏi về {SUBJECTS[(n * 7) % len(SUBJECTS)].lower()}, trường hợp số {n}."
            answer = "Cơ quan trả lời: thực hiện theo quy định hiện hành, nộp tại Bộ phận Một cửa hoặc trực tuyến."
            batch.append(
                FeedbackItem(
                    code=feedback_code(day + datetime.timedelta(days=n // 9000), n % 9000 + 1),
                    channel="web",
                    subject=subject,
                    content=question,
                    sender_name="Người dân",
                    sender_address="Nha Trang",
                    sender_phone=f"09{n:08d}",
                    agency=place,
                    state=State.PUBLISHED,
                    received_at=now,
                    classify_by=day,
                    forward_by=day,
                    answer_by=day,
                    answered_at=now,
                    published_at=now - datetime.timedelta(seconds=n),
                    public_subject=subject,
                    public_question=question,
                    public_answer=answer,
                    public_folded=fold(" ".join((subject, question, answer))),
                )
            )
            if len(batch) == 5000:
                FeedbackItem.objects.bulk_create(batch)
                batch = []
        FeedbackItem.objects.bulk_create(batch)


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * q) - 1)]


def main() -> None:
    total = int(sys.argv[sys.argv.index("--items") + 1]) if "--items" in sys.argv else 100_000
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 5
    ensure_items(total)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from feedback.models import FeedbackItem
    from feedback.rules import State
    from org.models import Role
    from org.tests.factories import admin_login, officer

    client = Client()
    timings = []
    for _ in range(rounds):
        for q in QUERIES:
            t0 = time.perf_counter()
            response = client.get("/hoi-dap/", {"q": q})
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
    print(f"database: {_setup.database_label()}, published items: {FeedbackItem.objects.count()}")
    print(
        f"public answers search /hoi-dap/?q=: {len(timings)} requests, p50 = {statistics.median(timings):.1f} ms, "
        f"p95 = {p(timings, 0.95):.1f} ms, max = {max(timings):.1f} ms"
    )

    # The queue page: 20 open items, then 2,000, for one agency's officer.
    from feedback.models import FeedbackItem as Item

    place = Item.objects.first().agency  # type: ignore[union-attr]
    user = officer(f"bench{int(time.time())}", {place: [Role.PROCESSING_OFFICER]})
    admin_login(client, user)
    for size in (20, 2000):
        open_ids = list(Item.objects.filter(agency=place).values_list("id", flat=True)[:size])
        Item.objects.filter(agency=place).exclude(id__in=open_ids).filter(state=State.IN_PROGRESS).update(
            state=State.PUBLISHED
        )
        Item.objects.filter(id__in=open_ids).update(state=State.IN_PROGRESS)
        page_times = []
        for _ in range(rounds * 4):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get("/can-bo/phan-anh/", {"hang-doi": "open"})
                page_times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        print(
            f"queue page with {size} open items: {len(page_times)} requests, "
            f"p50 = {statistics.median(page_times):.1f} ms, p95 = {p(page_times, 0.95):.1f} ms, {len(queries)} queries"
        )
    Item.objects.filter(state=State.IN_PROGRESS).update(state=State.PUBLISHED)


if __name__ == "__main__":
    main()
