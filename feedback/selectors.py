"""Reads of feedback items: the dossier a sender names (checked against its applicant), public
tracking by code and check digits, the agencies' queues, and the published answers' search.
Lists run a fixed number of queries whatever their length."""

from __future__ import annotations

import datetime
import hmac
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dossiers.models import Dossier
from dossiers.selectors import TrackingView, dossier_track
from org.permissions import scope

from . import rules
from .models import FeedbackEvent, FeedbackItem, PublicWord
from .rules import Action, State

CAPABILITY = "feedback.handle"
_NO_MATCH = b"\x00\x00\x00\x00"


def _last4(value: str) -> bytes:
    digits = rules.normalize_phone(value)[-4:]
    return digits.encode() if len(digits) == 4 and digits.isdigit() else _NO_MATCH


def checked_dossier(*, code: str, check: str = "", user: Any = None) -> Dossier | None:
    """The dossier with ``code`` if the person naming it is its applicant: the signed-in owner, or
    whoever gives the last four digits of the applicant's identification or phone number. None
    otherwise, whether the code exists or not (the same work either way), so that nobody learns
    of another person's dossier."""
    found = next(
        iter(
            Dossier.objects.filter(code=code.strip().upper()[:80])
            .order_by()
            .only("id", "code", "applicant_id", "applicant_personal_id", "applicant_phone", "processing_agency_id")[:1]
        ),
        None,
    )
    given = (check or "").strip().encode()[:8]
    by_id = _last4(found.applicant_personal_id) if found is not None else _NO_MATCH
    by_phone = _last4(found.applicant_phone) if found is not None else _NO_MATCH
    matches = hmac.compare_digest(given, by_id) | hmac.compare_digest(given, by_phone)
    owner = found is not None and user is not None and user.is_authenticated and found.applicant_id == user.pk
    if found is None or not (owner or (matches and len(given) == 4)):
        return None
    return found


def dossier_status(*, code: str, check: str) -> TrackingView | None:
    """A caller's dossier for the hotline officer: what the public tracking shows, no more."""
    return dossier_track(code=code.strip().upper()[:80], check=check.strip())


@dataclass(frozen=True)
class Tracking:
    """What the holder of the code and the check digits sees: no name, address or phone."""

    code: str
    subject: str
    state: State
    received_at: datetime.datetime
    answer_by: datetime.date
    answered_at: datetime.datetime | None
    answer_text: str
    agency: str
    history: list[tuple[str, datetime.datetime]]
    item_id: int
    refusal_reason: str = ""  # the reason the sender is told when the item is not handled


def feedback_track(*, code: str, check: str) -> Tracking | None:
    item = next(
        iter(FeedbackItem.objects.filter(code=code.strip().upper()[:20]).select_related("agency").order_by()[:1]), None
    )
    if item is None:
        rules.check_matches("", check)  # the same comparison for an unknown code
        return None
    if not rules.check_matches(item.sender_phone, check):
        return None
    history = [
        (str(State(state).label), at)
        for state, at in item.events.order_by("at", "id").values_list("to_state", "at")
        if state
    ]
    return Tracking(
        code=item.code,
        subject=item.subject,
        state=State(item.state),
        received_at=item.received_at,
        answer_by=item.answer_by,
        answered_at=item.answered_at,
        answer_text=item.answer_text if item.state in (State.ANSWERED, State.PUBLISHED, State.ARCHIVED) else "",
        agency=item.agency.name,
        history=history,
        item_id=item.pk,
        refusal_reason=_refusal_reason(item) if item.state == State.REFUSED else "",
    )


def _refusal_reason(item: FeedbackItem) -> str:
    event = item.events.filter(action=Action.REFUSE).order_by("-at", "-id").only("note").first()
    return event.note if event is not None else ""


# --- Officers ---------------------------------------------------------------------------------------

BUCKETS = ("overdue", "today", "open", "answered", "closed")


def officer_items(user: Any) -> QuerySet[FeedbackItem]:
    """The items held by the officer's agencies where they handle feedback; nothing else."""
    return scope(FeedbackItem.objects.all(), user, agency_field="agency", capability=CAPABILITY)


def due_of(item: FeedbackItem) -> datetime.date | None:
    """The deadline that matters now: classify at the desk, answer at the agency, publish once
    answered."""
    if item.state == State.RECEIVED:
        return item.classify_by
    if item.state == State.CLASSIFIED:
        return item.forward_by
    if item.state in (State.FORWARDED, State.IN_PROGRESS):
        return item.answer_by
    if item.state == State.ANSWERED:
        return item.publish_by
    return None


def _due_expression(today: datetime.date, *, before: bool) -> Q:
    op = "lt" if before else "exact"
    return (
        Q(state=State.RECEIVED, **{f"classify_by__{op}": today})
        | Q(state=State.CLASSIFIED, **{f"forward_by__{op}": today})
        | Q(state__in=[State.FORWARDED, State.IN_PROGRESS], **{f"answer_by__{op}": today})
        | Q(state=State.ANSWERED, **{f"publish_by__{op}": today})
    )


def queue(user: Any, bucket: str, *, today: datetime.date | None = None) -> QuerySet[FeedbackItem]:
    today = today or timezone.localdate()
    items = officer_items(user).select_related("agency")
    open_states = [*rules.OPEN_STATES, State.ANSWERED]
    if bucket == "overdue":
        items = items.filter(_due_expression(today, before=True))
    elif bucket == "today":
        items = items.filter(_due_expression(today, before=False))
    elif bucket == "open":
        items = items.filter(state__in=rules.OPEN_STATES)
    elif bucket == "answered":
        items = items.filter(state=State.ANSWERED)
    else:
        items = items.exclude(state__in=open_states)
    return items.order_by("answer_by", "received_at", "id")


def queue_counts(user: Any, *, today: datetime.date | None = None) -> dict[str, int | None]:
    """How many items each tab holds, in one query over the open and answered items only (the
    agency-and-state index); the closed ones, which grow for ever, are not counted (None)."""
    today = today or timezone.localdate()
    open_states = [*rules.OPEN_STATES, State.ANSWERED]
    counts: dict[str, int | None] = (
        officer_items(user)
        .filter(state__in=open_states)
        .aggregate(
            overdue=Count("id", filter=_due_expression(today, before=True)),
            today=Count("id", filter=_due_expression(today, before=False)),
            open=Count("id", filter=Q(state__in=rules.OPEN_STATES)),
            answered=Count("id", filter=Q(state=State.ANSWERED)),
        )
    )
    counts["closed"] = None
    return counts


def item_history(item: FeedbackItem) -> QuerySet[FeedbackEvent]:
    return item.events.select_related("from_agency", "to_agency").order_by("at", "id")


# --- Public answers -----------------------------------------------------------------------------------


def published() -> QuerySet[FeedbackItem]:
    return FeedbackItem.objects.filter(state=State.PUBLISHED)


def public_search(*, query: str = "", procedure_id: int | None = None) -> QuerySet[FeedbackItem]:
    """Published answers having, for each folded word of ``query``, a word starting with it;
    newest first, only the public columns (``search_answers`` without its count)."""
    return search_answers(query=query, procedure_id=procedure_id).items


@dataclass(frozen=True)
class Answers:
    items: QuerySet[FeedbackItem]  # newest first
    count: int  # counted up to rules.COUNT_AT_MOST + 1 ("more than 1.000")


def search_answers(*, query: str = "", procedure_id: int | None = None) -> Answers:
    """Published answers having, for each folded word of ``query`` (diacritics, case, tone
    placement and đ ignored: ``rules.search_words``), a word of their public text that starts with
    it; newest first, only the public columns; and how many (up to ``rules.COUNT_AT_MOST`` + 1).

    The words are looked up in the word index (``PublicWord``: a range of a B-tree on SQLite, a
    prefix on PostgreSQL's pattern index), which holds the words of published answers only. The
    rarest word decides the plan: when fewer than ``rules.FEW_ANSWERS`` answers have it, its list
    leads and each of them is checked for the other words; when many answers have every word, the
    newest published answers are walked and checked until the page (or the count) is full, never
    sorting them all."""
    words = rules.search_words(query)[: rules.SEARCH_WORDS]
    columns = ("id", "code", "public_subject", "public_question", "public_answer", "published_at")
    items = published()
    if procedure_id is not None:
        items = items.filter(procedure_id=procedure_id)
    if words:
        sizes = {word: _having_word(word)[: rules.FEW_ANSWERS].count() for word in words}
        words.sort(key=lambda word: sizes[word])
        if sizes[words[0]] == 0:
            return Answers(items.none(), 0)
        if sizes[words[0]] < rules.FEW_ANSWERS:
            # Without the state's condition, which would make the database walk every published
            # answer: the index holds published answers only.
            items = FeedbackItem.objects.filter(id__in=_having_word(words[0]).values_list("item_id", flat=True))
            if procedure_id is not None:
                items = items.filter(procedure_id=procedure_id)
            words = words[1:]
        for word in words:
            items = items.filter(Exists(_having_word(word).filter(item_id=OuterRef("pk"))))
    # Counted in the page's order: the walk of the newest answers stops at the limit.
    items = items.only(*columns).order_by("-published_at", "-id")
    return Answers(items, items[: rules.COUNT_AT_MOST + 1].count())


_AFTER_EVERY_CHARACTER = chr(0x10FFFF)


def _having_word(prefix: str) -> QuerySet[PublicWord]:
    words = PublicWord.objects.all()
    if connection.vendor == "postgresql":  # LIKE 'prefix%' on the varchar_pattern_ops index
        return words.filter(word__startswith=prefix)
    # The words' binary order: every word starting with ``prefix`` sorts in this range.
    return words.filter(word__gte=prefix, word__lt=prefix + _AFTER_EVERY_CHARACTER)
