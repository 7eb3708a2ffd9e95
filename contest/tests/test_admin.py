"""Organisers' screens in the admin: editors (news.edit) import questions from XLSX (row errors
shown, nothing imported), check a round's draw against the bank, close and rank a round, and
download the winners list; each recorded in the contest log. Others are refused."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from contest.models import ContestEvent, EventAction, Question, QuestionBank, Round, Standing
from contest.tests.factories import ranked_round
from contest.tests.test_views import open_round, started
from org.models import Role
from org.tests.factories import admin_login, agency, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor() -> Client:
    client = Client()
    admin_login(client, officer("bientap", {agency("Sở Tư pháp"): [Role.EDITOR]}, is_staff=True))
    return client


HEADER = ["Mã chủ đề", "Tên chủ đề", "Mã câu hỏi", "Loại", "Câu hỏi", "Phương án A", "Phương án B"]
HEADER += ["Đáp án đúng", "Giải thích", "Căn cứ pháp lý"]


def xlsx(rows: list[list[str]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "cau-hoi.xlsx"
    return out


GOOD = [
    "TTHC",
    "Thủ tục",
    "Q1",
    "một",
    "Thời hạn giải quyết?",
    "5 ngày",
    "10 ngày",
    "B",
    "Vì luật.",
    "Điều 5 NĐ 61/2018",
]


def test_an_editor_imports_questions_after_the_row_errors_are_shown(editor: Client):
    bank = QuestionBank.objects.create(name="Ngân hàng 2026")
    url = f"/admin/contest/questionbank/{bank.pk}/nhap-cau-hoi/"
    assert "Nhập câu hỏi" in editor.get(url).content.decode()
    bad = [*GOOD[:2], "Q2", "một", "Câu thiếu đáp án?", "A", "B", "", "", ""]
    page = editor.post(url, {"file": xlsx([GOOD, bad]), "dry_run": ""}).content.decode()
    assert "Có 1 lỗi; chưa nhập câu hỏi nào." in page and "<td>3</td>" in page
    assert not Question.objects.exists() and not ContestEvent.objects.exists()
    checked = editor.post(url, {"file": xlsx([GOOD]), "dry_run": "on"}).content.decode()
    assert "Tệp hợp lệ: 1 câu hỏi" in checked and not Question.objects.exists()
    done = editor.post(url, {"file": xlsx([GOOD]), "dry_run": ""})
    assert done.status_code == 302
    question = Question.objects.get()
    assert (question.code, question.legal_basis, question.options.get(is_correct=True).text) == (
        "Q1",
        "Điều 5 NĐ 61/2018",
        "10 ngày",
    )
    event = ContestEvent.objects.get()
    assert event.action == EventAction.QUESTIONS_IMPORTED and event.details["created"] == 1


def test_a_round_whose_draw_the_bank_cannot_serve_is_refused(editor: Client):
    r = open_round()
    data = {
        "contest": r.contest.pk,
        "number": 2,
        "title": "Tuần 2",
        "opens_at_0": "01/01/2027",
        "opens_at_1": "08:00",
        "closes_at_0": "08/01/2027",
        "closes_at_1": "08:00",
        "time_limit_seconds": 1200,
        "grace_seconds": 10,
        "attempts_allowed": 1,
        "bank": r.bank.pk,
        "draw_spec": '{"*": {"TTHC": 50}}',
        "tie_break_question": "Bao nhiêu người?",
    }
    page = editor.post("/admin/contest/round/add/", data).content.decode()
    assert "Cơ cấu đề không dùng được" in page and "TTHC:50&gt;15" in page
    assert Round.objects.count() == 1


def test_an_editor_closes_and_ranks_a_round_and_downloads_the_winners(editor: Client):
    r = open_round()
    client, _person, attempt = started(r)
    client.post(f"/bai-thi/{attempt.public_id}/nop-bai/")
    action = {"action": "close_and_rank", "_selected_action": [r.pk]}
    editor.post("/admin/contest/round/", action)
    assert not Standing.objects.exists()  # still open: refused, with a message
    Round.objects.filter(pk=r.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    editor.post("/admin/contest/round/", action)
    r.refresh_from_db()
    assert r.ranked_at is not None and r.participants_count == 1
    closed = ContestEvent.objects.get(action=EventAction.ROUND_CLOSED)
    assert closed.actor is not None and closed.actor.username == "bientap"


def test_the_winners_list_is_an_xlsx_with_full_names_and_is_logged(editor: Client):
    r = ranked_round(takers=3)
    response = editor.get(f"/admin/contest/round/{r.pk}/danh-sach-doat-giai.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("Hạng", "Giải", "Họ và tên")
    winners = Standing.objects.filter(round=r).exclude(prize="").count()
    assert len(rows) - 2 == winners > 0
    assert rows[2][2].startswith("Nguyễn Văn Thí Sinh")
    assert ContestEvent.objects.get(action=EventAction.WINNERS_EXPORTED).details == {"winners": winners}


def test_staff_without_the_editors_capability_are_refused():
    client = Client()
    admin_login(client, officer("quay", {agency("UBND xã"): [Role.COUNTER_OFFICER]}, is_staff=True))
    r = ranked_round()
    assert client.get("/admin/contest/contest/").status_code == 403
    assert client.get(f"/admin/contest/round/{r.pk}/danh-sach-doat-giai.xlsx").status_code == 403
    assert not ContestEvent.objects.filter(action=EventAction.WINNERS_EXPORTED).exists()
