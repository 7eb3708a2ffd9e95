"""Load translations (bản dịch) from ``<dir>/<lang>/<code>.json`` and ``<dir>/<lang>/_taxonomy.json``.

A procedure file (``{"code", "lang", "status", "name", "result", "processing_time_text",
"fee_text", "documents": [{"case", "name"}, ...]}``) becomes the ``ProcedureTranslation`` of the
procedure's newest version; its documents must match that version's documents one for one. The
taxonomy file (``{"fields": {vi: tr}, "categories": …, "agencies": …, "life_events": …}``) fills
``name_translations[lang]`` of the matching rows; its ``life_event_descriptions`` (keyed by the
event's Vietnamese name) fill the events' ``description_translations[lang]``.

Translators may still be writing some folders: a file that is unreadable or does not fit is
reported and skipped; everything else is loaded. Loading twice changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction

from common.text import fold, normalize

from . import rules
from .models import (
    TRANSLATED_LANGUAGES,
    Category,
    ImplementingAgency,
    LifeEvent,
    ProcedureTranslation,
    ProcedureVersion,
    TranslationStatus,
)
from .models import Field as CatalogField
from .services import catalog_revision_bump

TAXONOMY_FILE = "_taxonomy.json"
_NAME_MAX = 2000


class TranslationFileError(Exception):
    """One file cannot be loaded; the message (Vietnamese) says why."""


@dataclass
class TranslationReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    taxonomy_names_updated: int = 0
    taxonomy_keys_unmatched: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.taxonomy_names_updated)

    def summary(self) -> str:
        lines = [
            f"Bản dịch thủ tục: {self.created} tạo mới, {self.updated} cập nhật, {self.unchanged} không đổi, "
            f"{len(self.skipped)} tệp bỏ qua.",
            f"Tên lĩnh vực, nhóm, cơ quan, sự kiện: {self.taxonomy_names_updated} cập nhật, "
            f"{self.taxonomy_keys_unmatched} mục không khớp.",
        ]
        lines += [f"  - {reason}" for reason in self.skipped]
        return "\n".join(lines)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise TranslationFileError(f"không phải văn bản UTF-8 ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise TranslationFileError(f"JSON không hợp lệ (dòng {exc.lineno}: {exc.msg})") from exc


def _optional_text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TranslationFileError(f"trường {key} phải là chuỗi ký tự")
    return normalize(value)


@dataclass(frozen=True)
class _Translation:
    code: str
    status: str
    name: str
    result: str
    processing_time_text: str
    fee_text: str
    documents: list[dict[str, str]]


def _parse_procedure(data: Any, *, code: str, lang: str) -> _Translation:
    if not isinstance(data, Mapping):
        raise TranslationFileError("tệp phải chứa một đối tượng JSON")
    if normalize(str(data.get("code", ""))) != code:
        raise TranslationFileError(f"mã thủ tục trong tệp (“{data.get('code')}”) khác tên tệp")
    if normalize(str(data.get("lang", ""))) != lang:
        raise TranslationFileError(f"ngôn ngữ trong tệp (“{data.get('lang')}”) khác thư mục")
    status = normalize(str(data.get("status") or TranslationStatus.DRAFT))
    if status not in TranslationStatus.values:
        raise TranslationFileError(f"trạng thái “{status}” không hợp lệ (draft hoặc reviewed)")
    name = _optional_text(data, "name")
    if not name:
        raise TranslationFileError("thiếu tên thủ tục đã dịch")
    if len(name) > _NAME_MAX:
        raise TranslationFileError(f"tên thủ tục dài quá {_NAME_MAX} ký tự")
    raw_documents = data.get("documents") or []
    if not isinstance(raw_documents, list):
        raise TranslationFileError("trường documents phải là danh sách")
    documents = []
    for index, item in enumerate(raw_documents, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str) or not normalize(item["name"]):
            raise TranslationFileError(f"thành phần hồ sơ thứ {index} thiếu tên")
        case = item.get("case")
        if case is not None and not isinstance(case, str):
            raise TranslationFileError(f"thành phần hồ sơ thứ {index}: trường hợp phải là chuỗi ký tự")
        documents.append({"case": normalize(case or ""), "name": normalize(item["name"])})
    return _Translation(
        code=code,
        status=status,
        name=name,
        result=_optional_text(data, "result"),
        processing_time_text=_optional_text(data, "processing_time_text"),
        fee_text=_optional_text(data, "fee_text"),
        documents=documents,
    )


def current_version(code: str) -> ProcedureVersion | None:
    """The procedure's newest version (by its decision's effective date), whatever its status."""
    return ProcedureVersion.objects.filter(procedure__code=code).order_by("-decision__effective_on", "-id").first()


def _load_procedure(path: Path, lang: str, report: TranslationReport) -> None:
    translation = _parse_procedure(_read_json(path), code=path.stem, lang=lang)
    version = current_version(translation.code)
    if version is None:
        raise TranslationFileError(f"chưa có thủ tục mã {translation.code}")
    expected = version.documents.count()
    if len(translation.documents) != expected:
        raise TranslationFileError(f"có {len(translation.documents)} thành phần hồ sơ, bản tiếng Việt có {expected}")
    values = {
        "status": translation.status,
        "name": translation.name,
        "result": translation.result,
        "processing_time_text": translation.processing_time_text,
        "fee_text": translation.fee_text,
        "documents": translation.documents,
    }
    existing = ProcedureTranslation.objects.filter(version=version, language=lang).first()
    if existing is not None and all(getattr(existing, k) == v for k, v in values.items()):
        report.unchanged += 1
        return
    _, created = ProcedureTranslation.objects.update_or_create(version=version, language=lang, defaults=values)
    if created:
        report.created += 1
    else:
        report.updated += 1


def _agency_names(section: Mapping[str, str]) -> dict[str, str]:
    """Translations of single agencies, keyed by folded Vietnamese name. The taxonomy is keyed by
    the published text ("A; B"); its translation lists the same agencies in the same order (in
    Chinese separated by the full-width "；")."""
    names: dict[str, str] = {}
    for vi, translated in section.items():
        names.setdefault(fold(vi), translated)
        parts_vi = rules.split_agencies(vi)
        parts_tr = [p.strip() for p in re.split("[;；]", translated) if p.strip()]
        if len(parts_vi) == len(parts_tr):
            for part_vi, part_tr in zip(parts_vi, parts_tr, strict=True):
                names.setdefault(fold(part_vi), part_tr)
    return names


def _set_name_translation(row: Any, lang: str, translated: str) -> bool:
    if row.name_translations.get(lang) == translated:
        return False
    row.name_translations = {**row.name_translations, lang: translated}
    row.save(update_fields=["name_translations"])
    return True


def _section(data: Mapping[str, Any], key: str) -> dict[str, str]:
    section = data.get(key) or {}
    if not isinstance(section, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in section.items()
    ):
        raise TranslationFileError(f"mục {key} phải là bảng {{tên tiếng Việt: bản dịch}}")
    # Keys are compared after NFC normalization: a source key may be decomposed.
    return {normalize(k): normalize(v) for k, v in section.items() if normalize(v)}


def _load_taxonomy(path: Path, lang: str, report: TranslationReport) -> None:
    data = _read_json(path)
    if not isinstance(data, Mapping):
        raise TranslationFileError("tệp phải chứa một đối tượng JSON")
    if data.get("lang") is not None and normalize(str(data["lang"])) != lang:
        raise TranslationFileError(f"ngôn ngữ trong tệp (“{data.get('lang')}”) khác thư mục")
    # Names are shown as they are: only a reviewed table is loaded.
    if data.get("status") != TranslationStatus.REVIEWED:
        raise TranslationFileError("bảng thuật ngữ chưa được duyệt (status khác “reviewed”)")
    sections = {
        key: _section(data, key)
        for key in ("fields", "categories", "agencies", "life_events", "life_event_descriptions")
    }
    taxonomies: tuple[tuple[str, Any], ...] = (
        ("fields", CatalogField),
        ("categories", Category),
        ("life_events", LifeEvent),
    )
    for key, model in taxonomies:
        rows: list[Any] = list(model.objects.all())
        by_name = {r.name: r for r in rows}
        by_slug = {r.slug: r for r in rows}
        for vi, translated in sections[key].items():
            row = by_name.get(vi) or by_slug.get(rules.slugify_vi(vi, max_length=116))
            if row is None:
                report.taxonomy_keys_unmatched += 1
                continue
            report.taxonomy_names_updated += _set_name_translation(row, lang, translated)
    events = {e.name: e for e in LifeEvent.objects.all()}
    for vi, translated in sections["life_event_descriptions"].items():
        event = events.get(vi)
        if event is None:
            report.taxonomy_keys_unmatched += 1
        elif event.description_translations.get(lang) != translated:
            event.description_translations = {**event.description_translations, lang: translated}
            event.save(update_fields=["description_translations"])
            report.taxonomy_names_updated += 1
    agency_names = _agency_names(sections["agencies"])
    for agency in ImplementingAgency.objects.all():
        agency_name = agency_names.get(fold(agency.name))
        if agency_name:
            report.taxonomy_names_updated += _set_name_translation(agency, lang, agency_name)


def import_translations(directory: Path | str) -> TranslationReport:
    """Load every language folder of ``directory`` that is a translated language. Each file is
    loaded in its own transaction. Bumps the catalog revision once at the end when anything
    changed."""
    directory = Path(directory)
    report = TranslationReport()
    if not directory.is_dir():
        report.skipped.append(f"{directory}: không phải thư mục")
        return report
    for lang_dir in sorted(p for p in directory.iterdir() if p.is_dir()):
        lang = lang_dir.name
        if lang not in TRANSLATED_LANGUAGES:
            report.skipped.append(f"{lang}/: không phải ngôn ngữ được dịch ({', '.join(TRANSLATED_LANGUAGES)})")
            continue
        for path in sorted(lang_dir.glob("*.json")):
            try:
                with transaction.atomic():
                    if path.name == TAXONOMY_FILE:
                        _load_taxonomy(path, lang, report)
                    elif not path.name.startswith("_"):
                        _load_procedure(path, lang, report)
            except (TranslationFileError, DatabaseError) as exc:
                report.skipped.append(f"{lang}/{path.name}: {exc}")
    if report.changed:
        with transaction.atomic():
            catalog_revision_bump()
    return report
