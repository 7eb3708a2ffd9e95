"""Nhập ngân hàng câu hỏi từ tệp XLSX: one question a row, headers in Vietnamese (diacritics and
case do not matter), every bad row reported by its number and nothing imported while any is bad.

Columns: Mã chủ đề, Tên chủ đề, Mã câu hỏi, Loại (một/nhiều, or single/multiple), Câu hỏi,
Phương án A … Phương án F, Đáp án đúng (e.g. "B" or "A, C"), Giải thích, Căn cứ pháp lý, Điểm.

A question code already in the bank with the same content is left alone; with other content it
gets a new version and the old one is retired (attempts keep their own snapshot either way).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from common.text import fold

from .models import Option, Question, QuestionBank, Topic
from .rules import QuestionKind

LETTERS = string.ascii_uppercase[:6]
COLUMNS = {
    "topic_code": "Mã chủ đề",
    "topic_name": "Tên chủ đề",
    "code": "Mã câu hỏi",
    "kind": "Loại",
    "text": "Câu hỏi",
    "correct": "Đáp án đúng",
    "explanation": "Giải thích",
    "legal_basis": "Căn cứ pháp lý",
    "points": "Điểm",
    **{f"option_{letter}": f"Phương án {letter}" for letter in LETTERS},
}
HEADERS = {key: fold(name) for key, name in COLUMNS.items()}  # as headers are compared
REQUIRED = ("topic_code", "code", "text", "correct", "option_A", "option_B")
KINDS = {
    **{fold(word): QuestionKind.SINGLE for word in ("một", "single", "một lựa chọn")},
    **{fold(word): QuestionKind.MULTIPLE for word in ("nhiều", "multiple", "nhiều lựa chọn")},
}
MAX_ROWS = 5000


@dataclass
class ParsedQuestion:
    row: int
    topic_code: str
    topic_name: str
    code: str
    kind: str
    text: str
    options: list[tuple[str, bool]]
    explanation: str
    legal_basis: str
    points: int


@dataclass
class ImportReport:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse(file: IO[bytes]) -> tuple[list[ParsedQuestion], list[tuple[int, str]]]:
    """The rows of the first sheet as questions, and the problems as (row number, message)."""
    try:
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 - anything openpyxl cannot read is "not an XLSX file"
        return [], [(0, _("Không đọc được tệp: cần tệp Excel (.xlsx)."))]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return [], [(1, _("Tệp không có dòng tiêu đề."))]
    folded = [fold(_cell(h)) for h in header]
    columns = {key: folded.index(name) for key, name in HEADERS.items() if name in folded}
    missing = [COLUMNS[key] for key in REQUIRED if key not in columns]
    if missing:
        return [], [(1, _("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)})]
    parsed: list[ParsedQuestion] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            errors.append((number, _("Tối đa %(max)d câu hỏi một lần nhập.") % {"max": MAX_ROWS}))
            break
        row = {key: _cell(values[index]) if index < len(values) else "" for key, index in columns.items()}
        if not any(row.values()):
            continue
        problem, question = _question(number, row)
        if problem:
            errors.append((number, problem))
            continue
        assert question is not None
        if question.code in seen:
            errors.append(
                (
                    number,
                    _("Mã câu hỏi %(code)s trùng với dòng %(row)d.")
                    % {"code": question.code, "row": seen[question.code]},
                )
            )
            continue
        seen[question.code] = number
        parsed.append(question)
    return parsed, errors


def _question(number: int, row: dict[str, str]) -> tuple[str | None, ParsedQuestion | None]:
    for key in ("topic_code", "code", "text"):
        if not row.get(key):
            return _("Thiếu “%(column)s”.") % {"column": COLUMNS[key]}, None
    options = [(letter, row.get(f"option_{letter}", "")) for letter in LETTERS]
    present = [(letter, text) for letter, text in options if text]
    if len(present) < 2:
        return _("Cần ít nhất hai phương án."), None
    if [letter for letter, _text in present] != list(LETTERS[: len(present)]):
        return _("Các phương án phải liền nhau, bắt đầu từ A."), None
    correct = {part.strip().upper() for part in row["correct"].replace(";", ",").split(",") if part.strip()}
    letters = {letter for letter, _text in present}
    if not correct or not correct <= letters:
        return _("Đáp án đúng “%(value)s” không phải phương án có trong dòng.") % {"value": row["correct"]}, None
    kind_text = fold(row.get("kind", ""))
    kind = KINDS.get(kind_text) if kind_text else (QuestionKind.SINGLE if len(correct) == 1 else QuestionKind.MULTIPLE)
    if kind is None:
        return _("Loại câu hỏi “%(value)s” không rõ (một hoặc nhiều lựa chọn).") % {"value": row["kind"]}, None
    if kind == QuestionKind.SINGLE and len(correct) != 1:
        return _("Câu hỏi một lựa chọn phải có đúng một đáp án đúng."), None
    points_text = row.get("points", "") or "1"
    if not points_text.isdigit() or not 1 <= int(points_text) <= 100:
        return _("Điểm phải là số nguyên từ 1 đến 100."), None
    return None, ParsedQuestion(
        row=number,
        topic_code=row["topic_code"],
        topic_name=row.get("topic_name", "") or row["topic_code"],
        code=row["code"],
        kind=kind,
        text=row["text"],
        options=[(text, letter in correct) for letter, text in present],
        explanation=row.get("explanation", ""),
        legal_basis=row.get("legal_basis", "")[:500],
        points=int(points_text),
    )


def _same(question: Question, parsed: ParsedQuestion, topic: Topic) -> bool:
    kept = [(o.text, o.is_correct) for o in question.options.all()]
    return (
        question.topic_id == topic.pk
        and question.kind == parsed.kind
        and question.text == parsed.text
        and question.explanation == parsed.explanation
        and question.legal_basis == parsed.legal_basis
        and question.points == parsed.points
        and kept == parsed.options
    )


def import_questions(*, bank: QuestionBank, file: IO[bytes]) -> ImportReport:
    """Check every row, then import all of them in one transaction, or none."""
    parsed, errors = parse(file)
    report = ImportReport(errors=errors)
    if errors or not parsed:
        if not parsed and not errors:
            report.errors.append((2, _("Tệp không có câu hỏi nào.")))
        return report
    with transaction.atomic():
        topics = {t.code: t for t in Topic.objects.filter(bank=bank)}
        current = {q.code: q for q in Question.objects.filter(bank=bank, is_current=True).prefetch_related("options")}
        for item in parsed:
            topic = topics.get(item.topic_code)
            if topic is None:
                topic = topics[item.topic_code] = Topic.objects.create(
                    bank=bank, code=item.topic_code, name=item.topic_name
                )
            old = current.get(item.code)
            if old is not None and _same(old, item, topic):
                report.unchanged += 1
                continue
            version = 1
            if old is not None:
                Question.objects.filter(pk=old.pk).update(is_current=False)
                version = old.version + 1
                report.new_versions += 1
            else:
                report.created += 1
            question = Question.objects.create(
                bank=bank,
                topic=topic,
                code=item.code,
                version=version,
                kind=item.kind,
                text=item.text,
                explanation=item.explanation,
                legal_basis=item.legal_basis,
                points=item.points,
            )
            Option.objects.bulk_create(
                Option(question=question, position=position, text=text, is_correct=right)
                for position, (text, right) in enumerate(item.options, 1)
            )
    return report
