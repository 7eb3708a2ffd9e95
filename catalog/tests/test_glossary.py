"""Every translation follows its language's glossary (catalog/translations/<lang>/glossary.toml):
the procedures' translations, the declaration forms' labels, the names of fields, categories,
agencies and life events, and the interface catalogs of every app. A text whose Vietnamese
source has a glossary term writes it in the glossary's form; no text uses a form the glossary
forbids; Chinese text uses full-width punctuation."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from catalog.demo import LIFE_EVENTS
from catalog.glossary import Glossary, glossary_from_data, violations

TRANSLATIONS = Path(settings.BASE_DIR) / "catalog" / "translations"
LANGUAGES = {"en": "en", "zh-hans": "zh_Hans", "ko": "ko", "ja": "ja"}  # folder → locale name


def load_glossary(lang: str) -> Glossary:
    with (TRANSLATIONS / lang / "glossary.toml").open("rb") as f:
        return glossary_from_data(lang, tomllib.load(f))


def source_procedures() -> dict[str, dict]:
    records = json.loads((settings.SHARED_DATA_DIR / "procedures.json").read_text(encoding="utf-8"))
    return {r["code"]: r for r in records}


def procedure_pairs(lang: str) -> Iterator[tuple[str, str, str]]:
    """(where, Vietnamese source, translation) for every text of the procedures' translations."""
    sources = source_procedures()
    for path in sorted((TRANSLATIONS / lang).glob("[0-9]*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        source = sources.get(data["code"], {})
        for key in ("name", "result", "processing_time_text", "fee_text"):
            if data.get(key):
                yield f"{path.name} {key}", source.get(key, ""), data[key]
        detail = source.get("documents_detail", [])
        for index, document in enumerate(data.get("documents", [])):
            original = detail[index] if len(detail) == len(data["documents"]) else {}
            for key in ("case", "name"):
                if document.get(key):
                    yield f"{path.name} documents[{index}].{key}", original.get(key, ""), document[key]


def taxonomy_pairs(lang: str) -> Iterator[tuple[str, str, str]]:
    data = json.loads((TRANSLATIONS / lang / "_taxonomy.json").read_text(encoding="utf-8"))
    descriptions = {event.name: event.description for event in LIFE_EVENTS}
    for group, names in data.items():
        if isinstance(names, dict):
            for vi, translated in names.items():
                # Descriptions are keyed by the event's name: their source is the description.
                source = descriptions[vi] if group == "life_event_descriptions" else vi
                yield f"_taxonomy.json {group}", source, translated


def catalog_pairs(locale_name: str) -> Iterator[tuple[str, str, str]]:
    base = Path(settings.BASE_DIR)
    for path in sorted([base / "locale", *base.glob("*/locale")]):
        po = path / locale_name / "LC_MESSAGES" / "django.po"
        if not po.is_file():
            continue
        with po.open("rb") as f:
            for message in read_po(f):
                if not message.id:
                    continue
                ids: tuple[str, ...] = tuple(message.id) if isinstance(message.id, (tuple, list)) else (message.id,)
                strings: tuple[str, ...] = (
                    tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string or "",)
                )
                for index, translated in enumerate(strings):
                    if translated:
                        yield f"{po.relative_to(base)} “{ids[0][:40]}”", ids[min(index, len(ids) - 1)], translated


def declaration_form_pairs(lang: str) -> Iterator[tuple[str, str, str]]:
    """The declaration forms' labels, hints, messages and choices (their ``translations``)."""
    for path in sorted((Path(settings.BASE_DIR) / "catalog" / "declaration_forms").glob("*.json")):
        translations = json.loads(path.read_text(encoding="utf-8")).get("translations", {})
        for source, translated in translations.get(lang, {}).items():
            yield f"declaration_forms/{path.name}", source, translated


def all_pairs(lang: str) -> Iterator[tuple[str, str, str]]:
    yield from procedure_pairs(lang)
    yield from taxonomy_pairs(lang)
    yield from declaration_form_pairs(lang)
    yield from catalog_pairs(LANGUAGES[lang])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_glossary_fixes_the_terms_of_the_administration(lang):
    glossary = load_glossary(lang)
    for term in ["thủ tục hành chính", "Ủy ban nhân dân", "cấp xã", "cấp tỉnh", "hộ tịch", "hộ kinh doanh"]:
        assert term in glossary.preferred, f"{lang}: the glossary has no form for “{term}”"
    for term in ["căn cước", "bộ phận một cửa", "đăng ký khai sinh", "lệ phí"]:
        assert term in glossary.preferred, f"{lang}: the glossary has no form for “{term}”"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_translation_follows_the_glossary(lang):
    glossary = load_glossary(lang)
    problems = [
        f"{where}: {problem}"
        for where, source, translated in all_pairs(lang)
        for problem in violations(glossary, source, translated)
    ]
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:80])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_procedures_translations_are_paired_with_their_sources(lang):
    """The check above compares each text with its source: a translation out of step with the
    published procedure (another number of documents) would escape it."""
    sources = source_procedures()
    for path in sorted((TRANSLATIONS / lang).glob("[0-9]*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["code"] in sources, path.name
        assert len(data.get("documents", [])) == len(sources[data["code"]]["documents_detail"]), path.name


def test_the_selected_procedures_are_translated_and_reviewed_in_every_language():
    """selected_codes.json lists the most used procedures, translated in all four languages."""
    selected = json.loads((TRANSLATIONS / "selected_codes.json").read_text(encoding="utf-8"))
    assert len(selected) == len(set(selected)) >= 100
    for lang in LANGUAGES:
        files = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (TRANSLATIONS / lang).glob("[0-9]*.json")}
        assert sorted(files) == sorted(selected), lang
        assert {data["status"] for data in files.values()} == {"reviewed"}, lang


KOREAN = glossary_from_data(
    "ko",
    {
        "term": [
            {"vi": ["đăng ký khai sinh"], "use": ["출생신고"], "avoid": ["출생 등록"]},
            {"avoid": ["(으)로", "을(를)"]},
        ]
    },
)
CHINESE = glossary_from_data("zh-hans", {"full_width_punctuation": True, "term": []})


@pytest.mark.parametrize(
    ("glossary", "source", "translated", "expected"),
    [
        (KOREAN, "Thủ tục đăng ký khai sinh", "출생신고 절차", []),
        (
            KOREAN,
            "Thủ tục ĐĂNG KÝ KHAI SINH",
            "출생 등록 절차",
            ["uses “출생 등록” (write “출생신고”)", "“đăng ký khai sinh” not written as “출생신고”"],
        ),
        (KOREAN, "Đăng ký kết hôn", "혼인신고", []),
        (KOREAN, "", "%(method)s(으)로 납부", ["uses “(으)로”"]),
        (CHINESE, "", "申请材料：身份证。", []),
        (
            CHINESE,
            "",
            "申请材料:身份证.",
            ["ASCII punctuation in “申请材料:身份证”", "ASCII punctuation in “申请材料:身份证.”"],
        ),
        (CHINESE, "", "下午1:30，费用1,000越南盾，见https://dichvucong.gov.vn。", []),
        (CHINESE, "", "Circular No. 281: fee", []),
    ],
)
def test_a_violation_is_named(glossary, source, translated, expected):
    assert violations(glossary, source, translated) == expected
