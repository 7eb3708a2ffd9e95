"""Import procedures (nhập thủ tục hành chính) from the shared JSON format or an Excel sheet.

Each record is checked at the boundary (``validate_record``); a bad record is reported with its
position and skipped. Each good record is written in its own transaction, so a record that fails
half-way changes nothing. Importing the same file twice changes nothing the second time.

A record belongs to one announcement decision (quyết định công bố). If the procedure already has a
version under that decision, the version is updated in place; otherwise a new version is added
and the older ones are kept (re-announcement).
"""

from __future__ import annotations

import datetime
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction

from common.text import normalize

from . import rules
from .models import (
    AnnouncementDecision,
    Category,
    FeeItem,
    ImplementingAgency,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    TranslationStatus,
    VersionStatus,
)
from .models import Field as CatalogField
from .services import catalog_revision_bump

CODE_RE = re.compile(r"^\d\.\d{6}(\.[A-Za-z0-9]+)?$")

# Review-note kinds, for the report's counts.
REVIEW_FEE = "phí, lệ phí"
REVIEW_TIME = "thời hạn giải quyết"
REVIEW_ONLINE = "mức độ trực tuyến"
REVIEW_DECISION = "ngày ban hành quyết định"
REVIEW_AGENCY = "cơ quan thực hiện"
REVIEW_DOCUMENTS = "thành phần hồ sơ"
REVIEW_SOURCE = "ghi chú nguồn dữ liệu"
# Kinds that are about this record's own data. The others (decision without a date, online level
# not published) hold for the whole file and would make every record "flagged".
SUBSTANTIVE_REVIEWS = frozenset({REVIEW_FEE, REVIEW_TIME, REVIEW_AGENCY, REVIEW_DOCUMENTS})


class ImportFileError(Exception):
    """The file cannot be read as a list of records at all; nothing was imported."""


class RowError(Exception):
    """One record is invalid; the message (Vietnamese) says why."""


# --- Reading files -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    """A raw record and where it came from ("bản ghi số 3", "dòng 5")."""

    position: str
    data: Any


# Excel cells that hold lists: one item a line (or separated by ";" when the cell has no line break).
XLSX_LIST_KEYS = frozenset({"submission_channels", "documents", "processing_time_unit", "notes"})
# Excel cells that hold JSON text.
XLSX_JSON_KEYS = frozenset({"documents_detail"})
XLSX_BOOL_KEYS = frozenset({"fee_display_caveat"})
XLSX_INT_KEYS = frozenset({"processing_days", "processing_value"})


@dataclass(frozen=True)
class CellError:
    """A cell that could not be converted; validation reports it for its row."""

    message: str


def read_records(path: Path | str) -> list[SourceRow]:
    """The records in a ``.json`` or ``.xlsx`` file. Raises ``ImportFileError`` when the file is
    missing, of another kind, or not readable as a list of records."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"không tìm thấy tệp {path}")
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _read_json(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise ImportFileError(f"chỉ nhập được tệp .json hoặc .xlsx, không phải “{path.suffix}”")


def _read_json(path: Path) -> list[SourceRow]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"tệp {path.name} không phải văn bản UTF-8: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"tệp {path.name} không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}: {exc.msg})"
        ) from exc
    if not isinstance(data, list):
        raise ImportFileError(f"tệp {path.name} phải chứa một danh sách (mảng JSON) các thủ tục")
    return [SourceRow(f"bản ghi số {i}", item) for i, item in enumerate(data, start=1)]


def _read_xlsx(path: Path) -> list[SourceRow]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"tệp {path.name} không phải tệp Excel (.xlsx) đọc được: {exc}") from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(f"tệp {path.name} không có trang tính nào")
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(f"tệp {path.name} trống (không có dòng tiêu đề)")
        keys = [normalize(str(h)) if h is not None else "" for h in header]
        if "code" not in keys:
            raise ImportFileError(f"dòng tiêu đề của tệp {path.name} thiếu cột “code”")
        records: list[SourceRow] = []
        for number, row in enumerate(rows, start=2):
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
                continue
            record = {key: _xlsx_cell(key, value) for key, value in zip(keys, row, strict=False) if key}
            records.append(SourceRow(f"dòng {number}", record))
        return records
    finally:
        workbook.close()


def _xlsx_cell(key: str, value: Any) -> Any:
    """Convert an Excel cell to what the JSON format would hold for ``key``."""
    if isinstance(value, str) and not value.strip():
        value = None
    if value is None:
        return [] if key in XLSX_LIST_KEYS else None
    if key in XLSX_LIST_KEYS and isinstance(value, str):
        separator = "\n" if "\n" in value else ";"
        return [item.strip() for item in value.split(separator) if item.strip()]
    if key in XLSX_JSON_KEYS and isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            return CellError(f"ô {key} không phải JSON hợp lệ ({exc.msg})")
    if key in XLSX_BOOL_KEYS and isinstance(value, str | int) and not isinstance(value, bool):
        text = str(value).strip().lower()
        if text in {"true", "1", "có", "x", "yes"}:
            return True
        if text in {"false", "0", "không", "no"}:
            return False
        return CellError(f"ô {key} phải là TRUE hoặc FALSE")
    if key in XLSX_INT_KEYS and isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


# --- Validation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentData:
    case: str
    name: str
    original: int
    copy: int
    template_name: str


@dataclass(frozen=True)
class ProcedureRecord:
    """One valid record, normalized (NFC, control characters removed, spaces collapsed)."""

    code: str
    name: str
    field: str
    category: str
    levels: list[str]
    agency_text: str
    agencies: list[str]
    processing_time_text: str
    fee_text: str
    fee_display_caveat: bool
    channels: list[str]
    online_level: str | None
    documents: list[DocumentData]
    result: str
    source_url: str
    decision_no: str
    issuer: str
    source_notes: list[str]


# Column limits of the models: checked here so a long value is a reported row error on every
# database, not a silent truncation or a failure deep in a transaction.
_MAX = {"name": 2000, "field": 200, "category": 200, "agency": 1000, "decision_no": 80, "issuing_authority": 255}
_AGENCY_NAME_MAX = 255
_CASE_MAX = 1000
_URL_MAX = 500
_ONLINE_LEVELS = {
    "full": OnlineLevel.FULL,
    "toàn trình": OnlineLevel.FULL,
    "partial": OnlineLevel.PARTIAL,
    "một phần": OnlineLevel.PARTIAL,
    "none": OnlineLevel.NONE,
    "không": OnlineLevel.NONE,
}


def _text(data: Mapping[str, Any], key: str, *, required: str = "") -> str:
    """A normalized string value; "" for null. ``required`` is the message when it is empty."""
    value = data.get(key)
    if isinstance(value, CellError):
        raise RowError(value.message)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RowError(f"trường {key} phải là chuỗi ký tự")
    text = normalize(value)
    if required and not text:
        raise RowError(required)
    limit = _MAX.get(key)
    if limit is not None and len(text) > limit:
        raise RowError(f"trường {key} dài quá {limit} ký tự")
    return text


def _string_list(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if isinstance(value, CellError):
        raise RowError(value.message)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RowError(f"trường {key} phải là danh sách chuỗi ký tự")
    return [normalize(v) for v in value if normalize(v)]


def _count(value: Any, what: str, index: int) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 32767:
        raise RowError(f"thành phần hồ sơ thứ {index}: số {what} phải là số nguyên không âm")
    return value


def _documents(data: Mapping[str, Any]) -> list[DocumentData]:
    detail = data.get("documents_detail")
    if isinstance(detail, CellError):
        raise RowError(detail.message)
    if detail is None:
        # Only the flat list is known: names without cases or counts.
        flat: list[DocumentData] = []
        for flat_name in _string_list(data, "documents"):
            name, template = rules.split_template_name(flat_name)
            flat.append(DocumentData(case="", name=name, original=0, copy=0, template_name=template))
        return flat
    if not isinstance(detail, list):
        raise RowError("trường documents_detail phải là danh sách")
    documents: list[DocumentData] = []
    for index, item in enumerate(detail, start=1):
        if not isinstance(item, dict):
            raise RowError(f"thành phần hồ sơ thứ {index} phải là một đối tượng")
        raw_name: Any = item.get("name")
        raw_case: Any = item.get("case")
        if not isinstance(raw_name, str) or not normalize(raw_name):
            raise RowError(f"thành phần hồ sơ thứ {index}: thiếu tên giấy tờ")
        if raw_case is not None and not isinstance(raw_case, str):
            raise RowError(f"thành phần hồ sơ thứ {index}: trường hợp (case) phải là chuỗi ký tự")
        case = normalize(raw_case or "")
        if len(case) > _CASE_MAX:
            raise RowError(f"thành phần hồ sơ thứ {index}: trường hợp dài quá {_CASE_MAX} ký tự")
        name, template = rules.split_template_name(raw_name)
        documents.append(
            DocumentData(
                case=case,
                name=name,
                original=_count(item.get("original"), "bản chính", index),
                copy=_count(item.get("copy"), "bản sao", index),
                template_name=template,
            )
        )
    return documents


def validate_record(data: Any) -> ProcedureRecord:
    """Check one raw record and return it normalized. Raises ``RowError`` (Vietnamese) when a
    required value is missing or a value has the wrong type."""
    if not isinstance(data, Mapping):
        raise RowError("bản ghi không phải là một đối tượng (cặp khóa – giá trị)")
    raw_code = data.get("code")
    if isinstance(raw_code, int | float) and not isinstance(raw_code, bool):
        raise RowError("mã thủ tục đang ở dạng số (có thể đã mất chữ số 0 ở cuối); hãy định dạng ô là văn bản")
    code = _text(data, "code", required="thiếu mã thủ tục (code)")
    if not CODE_RE.match(code):
        raise RowError(f"mã thủ tục “{code}” không đúng định dạng (ví dụ 1.001193 hoặc 1.001193.H41)")
    name = _text(data, "name", required="thiếu tên thủ tục (name)")
    field_name = _text(data, "field", required="thiếu lĩnh vực (field)")
    category = _text(data, "category")
    level = data.get("level")
    if level is not None and not isinstance(level, str):
        raise RowError("trường level phải là chuỗi ký tự")
    try:
        levels = rules.parse_levels(level)
        channels: list[str] = list(rules.parse_channels(_string_list(data, "submission_channels")))
    except ValueError as exc:
        raise RowError(str(exc)) from exc
    agency_text = _text(data, "agency")
    agencies = rules.split_agencies(agency_text)
    for agency in agencies:
        if len(agency) > _AGENCY_NAME_MAX:
            raise RowError(f"tên cơ quan thực hiện dài quá {_AGENCY_NAME_MAX} ký tự")
    caveat = data.get("fee_display_caveat")
    if isinstance(caveat, CellError):
        raise RowError(caveat.message)
    if caveat is not None and not isinstance(caveat, bool):
        raise RowError("trường fee_display_caveat phải là true hoặc false")
    online_raw = _text(data, "online_level").lower()
    if online_raw and online_raw not in _ONLINE_LEVELS:
        raise RowError(f"mức độ trực tuyến không hợp lệ: “{online_raw}”")
    source_url = _text(data, "source_url")
    if source_url and (not re.match(r"^https?://\S+$", source_url) or len(source_url) > _URL_MAX):
        raise RowError("địa chỉ nguồn (source_url) phải là địa chỉ http(s) không quá 500 ký tự")
    return ProcedureRecord(
        code=code,
        name=name,
        field=field_name,
        category=category,
        levels=levels,
        agency_text=agency_text,
        agencies=agencies,
        processing_time_text=_text(data, "processing_time_text"),
        fee_text=_text(data, "fee_text"),
        fee_display_caveat=bool(caveat),
        channels=channels,
        online_level=_ONLINE_LEVELS[online_raw] if online_raw else None,
        documents=_documents(data),
        result=_text(data, "result"),
        source_url=source_url,
        decision_no=_text(data, "decision_no", required="thiếu số quyết định công bố (decision_no)"),
        issuer=_text(data, "issuing_authority"),
        source_notes=_string_list(data, "notes"),
    )


# --- Planning a version (pure) --------------------------------------------------------------------


@dataclass(frozen=True)
class FeeRow:
    channel: str
    amount_vnd: int
    unit: str
    description: str


@dataclass(frozen=True)
class DocumentRow:
    case: str
    name: str
    original_count: int
    copy_count: int
    template_name: str


@dataclass
class VersionPlan:
    """What a version should hold after the import, and the review notes by kind."""

    values: dict[str, Any]
    fees: list[FeeRow]
    documents: list[DocumentRow]
    notes: list[tuple[str, str]]


def plan_version(record: ProcedureRecord) -> VersionPlan:
    """The version's content from a record, with review notes for everything not certain."""
    notes: list[tuple[str, str]] = []
    time = rules.parse_processing_time(record.processing_time_text)
    if time.needs_review:
        notes.append((REVIEW_TIME, f"Thời hạn giải quyết: {time.reason}."))
    fees = rules.parse_fees(record.fee_text, record.fee_display_caveat)
    for reason in fees.reasons:
        notes.append((REVIEW_FEE, f"Phí, lệ phí: {reason}."))
    online_level = record.online_level
    if online_level is None:
        if "online" in record.channels:
            # The published data does not say toàn trình or một phần: never claim full.
            online_level = OnlineLevel.PARTIAL
            notes.append((REVIEW_ONLINE, "Mức độ dịch vụ công trực tuyến chưa được công bố; tạm ghi “một phần”."))
        else:
            online_level = OnlineLevel.NONE
    if not record.agencies:
        notes.append((REVIEW_AGENCY, "Chưa có cơ quan thực hiện."))
    if not record.documents:
        notes.append((REVIEW_DOCUMENTS, "Chưa có thành phần hồ sơ."))
    for note in record.source_notes:
        notes.append((REVIEW_SOURCE, f"Ghi chú nguồn dữ liệu: {note}."))
    values = {
        "name": record.name,
        "agency_text": record.agency_text,
        "levels": record.levels,
        "online_level": str(online_level),
        "channels": record.channels,
        "processing_days": time.days,
        "days_by_channel": time.by_channel,
        "processing_time_text": record.processing_time_text,
        "fee_text": record.fee_text,
        "result": record.result,
        "source_url": record.source_url,
    }
    return VersionPlan(
        values=values,
        fees=[FeeRow(i.channel, i.amount_vnd, i.unit, i.description) for i in fees.items],
        documents=[DocumentRow(d.case, d.name, d.original, d.copy, d.template_name) for d in record.documents],
        notes=notes,
    )


# --- Writing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkippedRow:
    position: str
    code: str
    reason: str

    def __str__(self) -> str:
        code = f" ({self.code})" if self.code else ""
        return f"{self.position}{code}: {self.reason}"


@dataclass
class ImportReport:
    """The outcome of one import: versions created, updated in place, left unchanged; records
    skipped (with position and reason). ``flagged`` counts imported records whose fee, processing
    time, agencies or documents need a controller's review; ``review_counts`` counts records by
    every kind of review note."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    procedures_created: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)
    flagged: int = 0
    review_counts: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        lines = [
            f"{self.created} tạo mới, {self.updated} cập nhật, {self.unchanged} không đổi, "
            f"{len(self.skipped)} bỏ qua (created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {len(self.skipped)}); "
            f"{self.procedures_created} thủ tục mới.",
            f"{self.flagged} thủ tục cần rà soát (flagged for review):",
        ]
        lines += [f"  - {kind}: {count}" for kind, count in sorted(self.review_counts.items())]
        if self.skipped:
            lines.append("Bản ghi bị bỏ qua:")
            lines += [f"  - {row}" for row in self.skipped]
        return "\n".join(lines)


class _Lookups:
    """Taxonomy rows and decisions by name, loaded once per import. Rows created inside a record's
    transaction stay pending until it commits; after a failed record everything is reloaded, so
    nothing rolled back is ever referenced."""

    def __init__(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._rows: dict[type, dict[str, Any]] = {}
        self._slugs: dict[type, dict[str, Any]] = {}
        models: tuple[Any, ...] = (Category, CatalogField, ImplementingAgency)
        for model in models:
            rows: list[Any] = list(model.objects.all())
            self._rows[model] = {r.name: r for r in rows}
            self._slugs[model] = {r.slug: r for r in rows}
        self.decisions = {d.number: d for d in AnnouncementDecision.objects.all()}

    def taxonomy_row(self, model: Any, name: str, max_length: int) -> Any:
        """The row of ``model`` named ``name`` (or spelled the same up to case and diacritics, by
        slug), created when missing."""
        row = self._rows[model].get(name)
        if row is None:
            row = self._slugs[model].get(rules.slugify_vi(name, max_length=max_length - 4))
        if row is None:
            row = model.objects.create(name=name, slug=self._new_slug(model, name, max_length))
            self._rows[model][name] = row
            self._slugs[model][row.slug] = row
        return row

    def _new_slug(self, model: Any, name: str, max_length: int) -> str:
        base = rules.slugify_vi(name, max_length=max_length - 4) or "muc"
        slug, n = base, 2
        while slug in self._slugs[model]:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def category(self, name: str) -> Category | None:
        return self.taxonomy_row(Category, name, 120) if name else None

    def field(self, name: str, category: Category | None) -> CatalogField:
        row: CatalogField = self.taxonomy_row(CatalogField, name, 120)
        # First category wins: a field the data lists under two groups must not flip on every import.
        if row.category_id is None and category is not None:
            row.category = category
            row.save(update_fields=["category"])
        return row

    def decision(self, number: str, issuer: str, effective_on: datetime.date) -> AnnouncementDecision:
        decision = self.decisions.get(number)
        if decision is None:
            decision = AnnouncementDecision.objects.create(
                number=number, issuer=issuer, signed_on=None, effective_on=effective_on
            )
            self.decisions[number] = decision
        elif issuer and not decision.issuer:
            decision.issuer = issuer
            decision.save(update_fields=["issuer"])
        return decision


def _fee_rows(version: ProcedureVersion) -> list[FeeRow]:
    return [
        FeeRow(f.channel, f.amount_vnd, f.unit, f.description) for f in version.fee_items.order_by("position", "id")
    ]


def _document_rows(version: ProcedureVersion) -> list[DocumentRow]:
    return [
        DocumentRow(d.case, d.name, d.original_count, d.copy_count, d.template_name)
        for d in version.documents.order_by("position", "id")
    ]


def _replace_fees(version: ProcedureVersion, fees: list[FeeRow], *, new: bool = False) -> None:
    from simple_history.utils import bulk_create_with_history

    if not new:
        version.fee_items.all().delete()
    if fees:
        bulk_create_with_history(
            [
                FeeItem(
                    version=version,
                    channel=f.channel,
                    amount_vnd=f.amount_vnd,
                    unit=f.unit,
                    description=f.description,
                    position=i,
                )
                for i, f in enumerate(fees)
            ],
            FeeItem,
        )


def _replace_documents(version: ProcedureVersion, documents: list[DocumentRow], *, new: bool = False) -> None:
    from simple_history.utils import bulk_create_with_history

    files: dict[str, str] = {}
    if not new:
        # Keep uploaded form files for documents that are still there under the same name.
        files = {d.name: d.template_file.name or "" for d in version.documents.all() if d.template_file}
        version.documents.all().delete()
    if documents:
        bulk_create_with_history(
            [
                RequiredDocument(
                    version=version,
                    case=d.case,
                    name=d.name,
                    original_count=d.original_count,
                    copy_count=d.copy_count,
                    template_name=d.template_name,
                    template_file=files.get(d.name, ""),
                    required=requirement.required,
                    presented_only=requirement.presented_only,
                    position=i,
                )
                for i, (d, requirement) in enumerate((d, rules.document_requirement(d.case, d.name)) for d in documents)
            ],
            RequiredDocument,
        )
    if new:
        return
    # A translation lists documents in the same order; when the count no longer matches it
    # cannot be shown until a translator has looked at it again.
    for translation in version.translations.filter(status=TranslationStatus.REVIEWED):
        if len(translation.documents) != len(documents):
            translation.status = TranslationStatus.DRAFT
            translation.save(update_fields=["status", "updated_at"])


@dataclass(frozen=True)
class _RowOutcome:
    result: str  # "created" | "updated" | "unchanged"
    procedure_created: bool
    notes: list[tuple[str, str]]


def _import_one(
    record: ProcedureRecord, lookups: _Lookups, *, effective_on: datetime.date, publish: bool
) -> _RowOutcome:
    plan = plan_version(record)
    category = lookups.category(record.category)
    field_row = lookups.field(record.field, category)
    agencies = [lookups.taxonomy_row(ImplementingAgency, name, 200) for name in record.agencies]
    procedure, procedure_created = Procedure.objects.get_or_create(code=record.code)
    decision = lookups.decision(record.decision_no, record.issuer, effective_on)
    notes = list(plan.notes)
    if decision.signed_on is None:
        notes.append(
            (
                REVIEW_DECISION,
                f"Quyết định công bố {decision.number}: quyết định chưa có ngày ban hành; "
                f"ngày có hiệu lực tạm ghi {decision.effective_on:%d/%m/%Y}.",
            )
        )
    values = {**plan.values, "field_id": field_row.pk, "review_notes": [text for _, text in notes]}

    version = None
    if not procedure_created:
        version = ProcedureVersion.objects.filter(procedure=procedure, decision=decision).first()
    if version is None:
        status = VersionStatus.PUBLISHED if publish else VersionStatus.DRAFT
        version = ProcedureVersion.objects.create(procedure=procedure, decision=decision, status=status, **values)
        if agencies:
            version.agencies.set(agencies)
        _replace_fees(version, plan.fees, new=True)
        _replace_documents(version, plan.documents, new=True)
        return _RowOutcome("created", procedure_created, notes)

    # A withdrawn version stays withdrawn: that was a controller's decision, not the data's.
    if publish and version.status == VersionStatus.DRAFT:
        values["status"] = VersionStatus.PUBLISHED
    # Working days a controller set where the same published text gives none are kept.
    if values["processing_days"] is None and version.processing_time_text == values["processing_time_text"]:
        values["processing_days"] = version.processing_days
        values["days_by_channel"] = version.days_by_channel
    changed_values = {k: v for k, v in values.items() if getattr(version, k) != v}
    agencies_changed = set(version.agencies.values_list("pk", flat=True)) != {a.pk for a in agencies}
    fees_changed = _fee_rows(version) != plan.fees
    documents_changed = _document_rows(version) != plan.documents
    if not (changed_values or agencies_changed or fees_changed or documents_changed):
        return _RowOutcome("unchanged", procedure_created, notes)
    if changed_values:
        for key, value in changed_values.items():
            setattr(version, key, value)
        version.save()
    if agencies_changed:
        version.agencies.set(agencies)
    if fees_changed:
        _replace_fees(version, plan.fees)
    if documents_changed:
        _replace_documents(version, plan.documents)
    return _RowOutcome("updated", procedure_created, notes)


def import_records(
    records: Iterable[Any],
    *,
    effective_on: datetime.date,
    publish: bool = True,
) -> ImportReport:
    """Import raw records (dicts in the shared format, or ``SourceRow``s that carry positions).

    ``effective_on`` is the effective date given to announcement decisions created now (the data
    has no dates). ``publish`` makes new and draft versions public. Bumps the catalog revision
    once at the end when anything changed."""
    report = ImportReport()
    lookups = _Lookups()
    seen: dict[str, str] = {}
    for index, item in enumerate(records, start=1):
        row = item if isinstance(item, SourceRow) else SourceRow(f"bản ghi số {index}", item)
        raw_code = row.data.get("code") if isinstance(row.data, Mapping) else None
        code = normalize(raw_code) if isinstance(raw_code, str) else ""
        try:
            record = validate_record(row.data)
        except RowError as exc:
            report.skipped.append(SkippedRow(row.position, code, str(exc)))
            continue
        if record.code in seen:
            report.skipped.append(
                SkippedRow(row.position, record.code, f"mã thủ tục trùng với {seen[record.code]} trong cùng tệp")
            )
            continue
        seen[record.code] = row.position
        try:
            with transaction.atomic():
                outcome = _import_one(record, lookups, effective_on=effective_on, publish=publish)
        except DatabaseError as exc:
            report.skipped.append(SkippedRow(row.position, record.code, f"lỗi khi ghi cơ sở dữ liệu: {exc}"))
            lookups.reload()
            continue
        setattr(report, outcome.result, getattr(report, outcome.result) + 1)
        report.procedures_created += outcome.procedure_created
        kinds = {kind for kind, _ in outcome.notes}
        report.review_counts.update(kinds)
        if kinds & SUBSTANTIVE_REVIEWS:
            report.flagged += 1
    if report.changed:
        with transaction.atomic():
            catalog_revision_bump()
    return report


def import_file(path: Path | str, *, effective_on: datetime.date, publish: bool = True) -> ImportReport:
    """Read ``path`` (.json or .xlsx) and import its records. Raises ``ImportFileError`` before
    writing anything when the file cannot be read."""
    return import_records(read_records(path), effective_on=effective_on, publish=publish)
