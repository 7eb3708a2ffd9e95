"""Importing questions from XLSX: Vietnamese headers in any case and accents, every bad row named
by its number and nothing imported while one is bad, a changed question imported as a new version
without touching the attempts that drew the old one."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from contest import imports
from contest.models import Question, QuestionBank, Topic
from contest.rules import QuestionKind

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã chủ đề",
    "Tên chủ đề",
    "Mã câu hỏi",
    "Loại",
    "Câu hỏi",
    "Phương án A",
    "Phương án B",
    "Phương án C",
    "Phương án D",
    "Đáp án đúng",
    "Giải thích",
    "Căn cứ pháp lý",
    "Điểm",
]
GOOD = [
    [
        "TTHC",
        "Thủ tục hành chính",
        "Q1",
        "một",
        "Thời hạn giải quyết được tính theo?",
        "Ngày làm việc",
        "Ngày lịch",
        None,
        None,
        "A",
        "Theo quy định chung.",
        "Điều 4 Nghị định 61/2018/NĐ-CP",
        1,
    ],
    [
        "MC",
        "Một cửa",
        "Q2",
        "nhiều",
        "Bộ phận Một cửa làm gì?",
        "Tiếp nhận hồ sơ",
        "Ký quyết định",
        "Trả kết quả",
        None,
        "A, C",
        "",
        "Điều 8 Nghị định 61/2018/NĐ-CP",
        2,
    ],
]


def xlsx(rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def test_a_good_file_makes_topics_questions_and_options():
    bank = QuestionBank.objects.create(name="Luật TTHC")
    report = imports.import_questions(bank=bank, file=xlsx(GOOD))
    assert report.ok and (report.created, report.new_versions, report.unchanged) == (2, 0, 0)
    assert set(Topic.objects.values_list("code", "name")) == {("TTHC", "Thủ tục hành chính"), ("MC", "Một cửa")}
    q2 = Question.objects.get(code="Q2")
    assert (q2.kind, q2.points, q2.legal_basis) == (QuestionKind.MULTIPLE, 2, "Điều 8 Nghị định 61/2018/NĐ-CP")
    assert [(o.text, o.is_correct) for o in q2.options.all()] == [
        ("Tiếp nhận hồ sơ", True),
        ("Ký quyết định", False),
        ("Trả kết quả", True),
    ]


def test_headers_are_read_without_accents_or_case():
    bank = QuestionBank.objects.create(name="B")
    header = [h.upper() for h in HEADER]
    header[0] = "ma chu de"
    assert imports.import_questions(bank=bank, file=xlsx(GOOD, header)).ok


def test_every_bad_row_is_named_and_nothing_is_imported():
    bank = QuestionBank.objects.create(name="B")
    bad = [
        GOOD[0],
        ["TTHC", "", "Q3", "một", "Câu?", "A1", "B1", None, None, "E", "", "", 1],  # E is not an option
        ["TTHC", "", "Q4", "một", "Câu?", "A1", "B1", None, None, "A,B", "", "", 1],  # two right, single
        ["TTHC", "", "Q5", "một", "Câu?", "A1", None, "C1", None, "A", "", "", 1],  # a gap in the options
        ["TTHC", "", "Q1", "một", "Câu?", "A1", "B1", None, None, "A", "", "", 1],  # code repeated
        ["TTHC", "", "Q6", "ba", "Câu?", "A1", "B1", None, None, "A", "", "", 1],  # unknown kind
        ["TTHC", "", "Q7", "một", "", "A1", "B1", None, None, "A", "", "", 1],  # no text
        ["TTHC", "", "Q8", "một", "Câu?", "A1", "B1", None, None, "A", "", "", "mười"],  # points
    ]
    report = imports.import_questions(bank=bank, file=xlsx(bad))
    assert [row for row, _message in report.errors] == [3, 4, 5, 6, 7, 8, 9]
    assert "E" in report.errors[0][1] and "dòng 2" in report.errors[3][1]
    assert not Question.objects.exists() and not Topic.objects.exists()


def test_a_file_without_the_required_columns_or_not_xlsx_is_refused_whole():
    bank = QuestionBank.objects.create(name="B")
    report = imports.import_questions(bank=bank, file=xlsx(GOOD, HEADER[:4]))
    assert report.errors[0][0] == 1 and "Câu hỏi" in report.errors[0][1]
    assert imports.import_questions(bank=bank, file=io.BytesIO(b"PK not really")).errors[0][0] == 0


def test_importing_again_keeps_what_is_unchanged_and_versions_what_changed():
    bank = QuestionBank.objects.create(name="B")
    imports.import_questions(bank=bank, file=xlsx(GOOD))
    old = Question.objects.get(code="Q1")
    changed = [list(GOOD[0]), GOOD[1]]
    changed[0][9] = "B"
    report = imports.import_questions(bank=bank, file=xlsx(changed))
    assert (report.created, report.new_versions, report.unchanged) == (0, 1, 1)
    current = Question.objects.get(code="Q1", is_current=True)
    assert current.version == 2 and [o.is_correct for o in current.options.all()] == [False, True]
    old.refresh_from_db()
    assert not old.is_current and [o.is_correct for o in old.options.all()] == [True, False]
