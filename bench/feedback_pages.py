"""Feedback pages at volume: the public answers search (/hoi-dap/?q=) with 100,000 published items,
and an agency's queue page (/can-bo/phan-anh/) with its query count at two queue sizes.

Items are written in bulk (benchmark volume, not history: no events), into a database of their
own. Each page is requested in-process through Django's test client (middleware, view, template;
no network). Then the public form sent again and again (the submission rate).
Usage: .venv/bin/python bench/feedback_pages.py [--items 100000] [--rounds 5] [--submissions 1000]
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
# Common words (every eighth answer has them, or more), rare ones (one answer in thousands) and none.
QUERIES = [
    "le phi",
    "giấy phép lái xe",
    "hoà giải",
    "khai sinh",
    "thai do can bo",
    "chuyen nhuong nha o",
    "zzz",
    "trường hợp số 4711",
    "số 99999",
]


def ensure_items(total: int) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from common.text import fold
    from feedback.models import FeedbackItem, PublicWord
    from feedback.rules import State, feedback_code, search_words
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
                _with_words(FeedbackItem.objects.bulk_create(batch), PublicWord, search_words)
                batch = []
        _with_words(FeedbackItem.objects.bulk_create(batch), PublicWord, search_words)


def _with_words(items: list, word_model: type, search_words: object) -> None:
    """The search index of published items written in bulk (as feedback_publish writes it)."""
    word_model.objects.bulk_create(  # type: ignore[attr-defined]
        [
            word_model(item_id=item.pk, word=word)
            for item in items
            for word in search_words(" ".join((item.public_subject, item.public_question, item.public_answer)))  # type: ignore[operator]
        ],
        batch_size=5000,
    )


def submissions(count: int) -> None:
    """The public form sent ``count`` times in a row (each a new item: code, deadlines, routing,
    duplicate check, receipt in the outbox), through Django's test client in one process, beside
    the bare view ``/ping`` measured the same way. Rate limits are off (one address sends them all)."""
    import datetime as dt
    from unittest import mock

    from django.test import Client
    from django.utils import timezone

    from feedback.forms import shown_token
    from feedback.models import FeedbackItem, RoutingRule
    from org.models import Agency

    if not RoutingRule.objects.exists():
        RoutingRule.objects.create(agency=Agency.objects.earliest("id"), order=1000)
    a_minute_ago = (timezone.now() - dt.timedelta(minutes=1)).timestamp()
    with mock.patch("django.core.signing.time.time", lambda: a_minute_ago):  # the form shown a minute ago
        shown = shown_token()
    client = Client()
    t0 = time.perf_counter()
    for _ in range(count):
        assert client.get("/ping").status_code == 200
    ping_rate = count / (time.perf_counter() - t0)
    before = FeedbackItem.objects.count()
    cpu0, t0 = time.process_time(), time.perf_counter()
    for n in range(count):
        response = client.post(
            "/phan-anh/gui/",
            {
                "ho_ten": "Nguyễn Văn An",
                "dia_chi": "5 Trần Phú, Nha Trang",
                "dien_thoai": f"09{n % 10**8:08d}",
                "email": "",
                "tra_loi_qua": "sms",
                "linh_vuc": "delay",
                "tieu_de": f"Hồ sơ chậm trả kết quả số {n}",
                "noi_dung": "Hồ sơ của tôi đã quá hạn hai tuần mà chưa có kết quả, đề nghị cơ quan trả lời.",
                "trang_web": "",
                "hien_thi": shown,
            },
        )
        assert response.status_code == 302, response.content[:2000]
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    assert FeedbackItem.objects.count() == before + count
    print(
        f"public form submission: {count} sent in {elapsed:.1f} s = {count / elapsed:.0f}/s "
        f"({cpu / count * 1000:.1f} ms CPU each); /ping the same way {ping_rate:.0f}/s "
        f"(ratio {count / elapsed / ping_rate:.2f})"
    )


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * q) - 1)]


def main() -> None:
    total = int(sys.argv[sys.argv.index("--items") + 1]) if "--items" in sys.argv else 100_000
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 5
    sent = int(sys.argv[sys.argv.index("--submissions") + 1]) if "--submissions" in sys.argv else 1000
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
        generated = Item.objects.filter(agency=place).exclude(public_answer="")  # not the submissions' items
        open_ids = list(generated.values_list("id", flat=True)[:size])
        generated.exclude(id__in=open_ids).filter(state=State.IN_PROGRESS).update(state=State.PUBLISHED)
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
    Item.objects.filter(state=State.IN_PROGRESS).exclude(public_answer="").update(state=State.PUBLISHED)
    client.logout()
    if sent:
        submissions(sent)


if __name__ == "__main__":
    main()
