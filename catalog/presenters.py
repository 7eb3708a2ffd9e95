"""A procedure as a citizen reads it, in one language.

Views and the API both show procedures through ``present``: the reviewed translation where there
is one, else the Vietnamese text with ``translation_missing`` set so the page can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Channel, Level, OnlineLevel, ProcedureVersion, TranslationStatus


@dataclass
class DocumentView:
    case: str
    name: str
    original_count: int
    copy_count: int
    template_name: str
    template_url: str


@dataclass
class FeeView:
    channel: str
    channel_label: str
    amount_vnd: int
    unit: str
    description: str


@dataclass
class ProcedureView:
    code: str
    language: str
    translation_missing: bool
    name: str
    field: str
    field_slug: str
    category: str
    agencies: list[dict[str, str]]
    levels: list[str]
    level_labels: list[str]
    online_level: str
    online_level_label: str
    channels: list[str]
    channel_labels: list[str]
    processing_days: int | None
    processing_time_text: str
    fee_text: str
    fees: list[FeeView]
    # Working days by channel, labelled, where they differ by channel ("Trực tuyến", 8).
    days_by_channel: list[tuple[str, int]]
    offered_online: bool
    documents: list[DocumentView]
    conditions: str
    steps: list[str]
    legal_bases: list[str]
    result: str
    decision_number: str
    decision_effective_on: Any
    source_url: str
    url: str
    vietnamese_name: str
    one_stop_units: list[Any] = dataclass_field(default_factory=list)

    @cached_property
    def card_html(self) -> str:
        """The procedure as one card of a list, rendered once per catalog revision."""
        with translation.override(self.language):
            return render_to_string("catalog/_procedure_card.html", {"p": self})

    def summary(self) -> dict[str, Any]:
        """The list item of the API."""
        return {
            "code": self.code,
            "name": self.name,
            "field": self.field,
            "agencies": [a["name"] for a in self.agencies],
            "level": ",".join(self.levels),
            "online_level": self.online_level,
            "processing_days": self.processing_days,
            "processing_time_text": self.processing_time_text,
            "fees": [
                {"channel": f.channel, "amount_vnd": f.amount_vnd, "unit": f.unit, "description": f.description}
                for f in self.fees
            ],
            "url": self.url,
            "translation_missing": self.translation_missing,
        }


def _label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _translated(names: dict[str, str], fallback: str, language: str) -> str:
    return names.get(language) or fallback


def _one_stop_units(version: ProcedureVersion, language: str) -> list[Any]:
    """Where to go: the one-stop units serving the province agencies that implement it (name,
    address and opening hours in ``language`` where translated)."""
    units = {
        unit.pk: unit for a in version.agencies.all() for ag in a.agencies.all() for unit in ag.one_stop_units.all()
    }
    return [unit.text_in(language) for unit in sorted(units.values(), key=lambda u: u.code)[:6]]


def present(version: ProcedureVersion, language: str, *, with_documents: bool = True) -> ProcedureView:
    """``version`` (with its relations prefetched) as read in ``language``."""
    tr = None
    if language != "vi":
        tr = next(
            (
                t
                for t in version.translations.all()
                if t.language == language and t.status == TranslationStatus.REVIEWED
            ),
            None,
        )
    documents = list(version.documents.all()) if with_documents else []
    translated_docs = tr.documents if tr and documents and len(tr.documents) == len(documents) else None
    with translation.override(language):
        url = reverse("catalog:detail", args=[version.procedure.code])
        agencies = [
            {"slug": a.slug, "name": _translated(a.name_translations, a.name, language)} for a in version.agencies.all()
        ]
        category = version.field.category
        return ProcedureView(
            code=version.procedure.code,
            language=language,
            translation_missing=language != "vi" and tr is None,
            name=tr.name if tr else version.name,
            vietnamese_name=version.name,
            field=_translated(version.field.name_translations, version.field.name, language),
            field_slug=version.field.slug,
            category=_translated(category.name_translations, category.name, language) if category else "",
            agencies=agencies,
            levels=list(version.levels),
            level_labels=[_label(Level, lv) for lv in version.levels],
            online_level=version.online_level,
            online_level_label=_label(OnlineLevel, version.online_level),
            channels=list(version.channels),
            channel_labels=[_label(Channel, c) for c in version.channels],
            processing_days=version.processing_days,
            days_by_channel=[
                (_label(Channel, c), version.days_by_channel[c])
                for c in version.channels
                if len(set((version.days_by_channel or {}).values())) > 1 and c in version.days_by_channel
            ],
            offered_online=version.offered_online,
            processing_time_text=(tr.processing_time_text if tr and tr.processing_time_text else "")
            or version.processing_time_text,
            fee_text=(tr.fee_text if tr and tr.fee_text else "") or version.fee_text,
            fees=[
                FeeView(
                    channel=f.channel,
                    channel_label=_label(Channel, f.channel) if f.channel else "",
                    amount_vnd=f.amount_vnd,
                    unit=f.unit,
                    description=f.description,
                )
                for f in version.fee_items.all()
            ],
            documents=[
                DocumentView(
                    case=(translated_docs[i].get("case") or d.case) if translated_docs else d.case,
                    name=(translated_docs[i].get("name") or d.name) if translated_docs else d.name,
                    original_count=d.original_count,
                    copy_count=d.copy_count,
                    template_name=d.template_name,
                    template_url=d.template_file.url if d.template_file else "",
                )
                for i, d in enumerate(documents)
            ],
            conditions=(tr.conditions if tr and tr.conditions else "") or version.conditions,
            steps=(tr.steps if tr and tr.steps else None) or list(version.steps),
            legal_bases=list(version.legal_bases),
            result=(tr.result if tr and tr.result else "") or version.result,
            decision_number=version.decision.number,
            decision_effective_on=version.decision.effective_on,
            source_url=version.source_url,
            url=url,
            one_stop_units=_one_stop_units(version, language) if with_documents else [],
        )


class _PresentationCache:
    """Presented procedures of this process for the current catalog revision: list pages and
    suggestions then need no database query once warm."""

    MAX_ENTRIES = 20_000

    def __init__(self) -> None:
        self._revision = ""
        self._entries: dict[tuple[str, int, bool], ProcedureView] = {}

    def get_many(self, ids: list[int], language: str, *, with_documents: bool) -> list[ProcedureView]:
        from .search import current_revision
        from .selectors import versions_in_order

        revision = current_revision()
        if revision != self._revision or len(self._entries) > self.MAX_ENTRIES:
            self._entries, self._revision = {}, revision
        missing = [i for i in ids if (language, i, with_documents) not in self._entries]
        if missing:
            for version in versions_in_order(missing, with_documents=with_documents):
                self._entries[(language, version.id, with_documents)] = present(
                    version, language, with_documents=with_documents
                )
        return [self._entries[key] for i in ids if (key := (language, i, with_documents)) in self._entries]


_presented = _PresentationCache()


def present_many(version_ids: list[int], language: str, *, with_documents: bool = False) -> list[ProcedureView]:
    """The versions with these ids as read in ``language``, in the same order."""
    return _presented.get_many(version_ids, language, with_documents=with_documents)
