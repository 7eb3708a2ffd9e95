"""Writes of feedback items (phản ánh, kiến nghị): intake by any channel, and one function per
transition of ``rules.TRANSITIONS``, each one atomic call that

1. checks the item has not changed since the caller read it (its ``version``),
2. checks the actor: an officer holding ``feedback.handle`` today in the agency that holds the
   item (``HANDLER``), the sender themself where the table allows it (``SENDER``), or the routing
   rules at intake (``ROUTER``, no person),
3. checks the current state against the table,
4. claims the row with ``UPDATE … SET version = version + 1 WHERE id = … AND version = …`` together
   with the change (0 rows: another officer came first, ``FeedbackChanged``),
5. writes a ``FeedbackEvent`` (who, when, from, to, where, why).

The caller passes the item it read; each function returns the item as it is afterwards.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Procedure
from common.sequences import next_number
from common.text import fold
from documents.errors import UploadRejected
from documents.models import StoredFile
from documents.services import file_store
from org.models import Agency
from org.permissions import has_capability
from workdays.selectors import work_calendar

from . import notices, rules
from .errors import ActionForbidden, FeedbackChanged, FeedbackInvalid, TransitionNotAllowed
from .models import (
    DailySequence,
    DeadlineRule,
    FeedbackAttachment,
    FeedbackEvent,
    FeedbackItem,
    PublicWord,
    RoutingRule,
)
from .rules import HANDLER, ROUTER, SENDER, Action, Channel, Sender, State, Topic
from .signals import feedback_transitioned

MAX_ATTACHMENTS = 5


@dataclass(frozen=True)
class Upload:
    data: bytes | IO[bytes]
    name: str


@dataclass(frozen=True)
class Submission:
    """What an item contains, whatever the channel. ``dossier`` is set only once the caller has
    checked it against its applicant (``selectors.checked_dossier``)."""

    channel: str
    sender: Sender
    subject: str
    content: str
    topic: str = Topic.OTHER
    procedure: Procedure | None = None
    named_agency: Agency | None = None
    dossier: Any = None
    sender_user: Any = None
    language: str = "vi"
    call_started_at: datetime.datetime | None = None
    call_seconds: int | None = None
    uploads: Sequence[Upload] = field(default_factory=tuple)


# --- Dated rules --------------------------------------------------------------------------------


def deadline_policy(day: datetime.date) -> rules.DeadlinePolicy:
    """The deadline rule in force on ``day`` (the defaults when controllers kept none)."""
    row = DeadlineRule.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if row is None:
        return rules.DEFAULT_POLICY
    return rules.DeadlinePolicy(
        effective_from=row.effective_from,
        classify_days=row.classify_days,
        forward_days=row.forward_days,
        answer_days=row.answer_days,
        publish_days=row.publish_days,
    )


def _routes() -> tuple[list[rules.Route], int | None]:
    """The active routing rules, and the desk's agency (the rule without conditions)."""
    found, desk = [], None
    for row in RoutingRule.objects.filter(is_active=True).select_related("procedure").order_by("order", "id"):
        r = rules.Route(
            agency=row.agency_id,
            topic=row.topic,
            procedure_code=row.procedure.code if row.procedure is not None else "",
            named_agency=row.named_agency_id,
            order=row.order,
        )
        if r.specificity:
            found.append(r)
        elif desk is None:
            desk = row.agency_id
    return found, desk


# --- Intake -------------------------------------------------------------------------------------


def _check(submission: Submission) -> dict[str, str]:
    s = submission
    problems = {f"sender.{key}": value for key, value in rules.sender_problems(s.sender).items()}
    problems.update(rules.content_problems(subject=s.subject, content=s.content))
    if s.channel not in Channel.values:
        problems["channel"] = _("Kênh tiếp nhận không hợp lệ.")
    if s.topic not in Topic.values:
        problems["topic"] = _("Lĩnh vực không hợp lệ.")
    if len(s.uploads) > MAX_ATTACHMENTS:
        problems["attachments"] = _("Gửi tối đa %(n)d tệp đính kèm.") % {"n": MAX_ATTACHMENTS}
    if s.channel == Channel.HOTLINE and (s.call_seconds is not None and s.call_seconds < 0):
        problems["call_seconds"] = _("Thời lượng cuộc gọi không hợp lệ.")
    return problems


def _store_uploads(uploads: Sequence[Upload], actor: Any) -> list[tuple[StoredFile, str]]:
    stored, problems = [], {}
    for position, upload in enumerate(uploads):
        try:
            stored.append((file_store(data=upload.data, name=upload.name, actor=actor), upload.name[:200]))
        except UploadRejected as refusal:
            problems[f"attachments.{position}"] = refusal.message
    if problems:
        raise FeedbackInvalid(problems)
    return stored


def _earlier_of_same_sender(phone: str, subject: str, at: datetime.datetime) -> FeedbackItem | None:
    since = at - datetime.timedelta(days=rules.DUPLICATE_WINDOW_DAYS)
    candidates = FeedbackItem.objects.filter(
        sender_phone=phone, received_at__gte=since, received_at__lte=at, duplicate_of__isnull=True
    ).only("id", "sender_phone", "subject", "received_at")
    for earlier in candidates.order_by("-received_at")[:20]:
        if rules.is_duplicate(
            earlier_phone=earlier.sender_phone,
            earlier_subject=earlier.subject,
            earlier_at=earlier.received_at,
            phone=phone,
            subject=subject,
            at=at,
        ):
            return earlier
    return None


def feedback_submit(*, submission: Submission, actor: Any = None, now: datetime.datetime | None = None) -> FeedbackItem:
    """Tiếp nhận: an item from the web form (``actor`` None or the signed-in sender), a hotline
    call or a paper form typed in at the counter (``actor`` the officer). It gets its code and
    deadlines; a clear item is routed to its competent agency at once, an unclear one waits at
    the desk; the same sender on the same subject within the window is linked to the earlier
    item."""
    now = now or timezone.now()
    s = submission
    problems = _check(s)
    if problems:
        raise FeedbackInvalid(problems)
    stored = _store_uploads(s.uploads, actor) if s.uploads else []
    phone = rules.normalize_phone(s.sender.phone)
    local = timezone.localtime(now)
    calendar = work_calendar()
    policy = deadline_policy(local.date())
    due = rules.deadlines(local, policy, calendar)
    routes, desk = _routes()
    facts = rules.Facts(
        topic=s.topic if s.topic != Topic.OTHER else "",
        procedure_code=s.procedure.code if s.procedure is not None else "",
        named_agency=s.named_agency.pk if s.named_agency is not None else None,
        dossier_agency=s.dossier.processing_agency_id if s.dossier is not None else None,
    )
    competent = rules.route(facts, routes)
    holder = competent or desk
    if holder is None:
        raise FeedbackInvalid({"__all__": _("Chưa có nơi tiếp nhận phản ánh: cần cấu hình quy tắc phân luồng.")})
    with transaction.atomic():
        number = next_number(DailySequence, day=local.date())
        duplicate_of = _earlier_of_same_sender(phone, s.subject, now)
        item = FeedbackItem.objects.create(
            code=rules.feedback_code(local.date(), number),
            channel=s.channel,
            topic=s.topic,
            subject=s.subject.strip(),
            content=s.content.strip(),
            sender_user=s.sender_user,
            sender_name=s.sender.name.strip(),
            sender_address=s.sender.address.strip(),
            sender_phone=phone,
            sender_email=s.sender.email.strip(),
            reply_by=s.sender.reply_by,
            language=s.language,
            procedure=s.procedure,
            named_agency=s.named_agency,
            dossier=s.dossier,
            agency_id=desk or holder,
            duplicate_of=duplicate_of,
            received_at=now,
            received_by=actor if s.channel != Channel.WEB else None,
            classify_by=due.classify_by,
            forward_by=due.forward_by,
            answer_by=due.answer_by,
            call_started_at=s.call_started_at,
            call_seconds=s.call_seconds,
        )
        FeedbackAttachment.objects.bulk_create(
            FeedbackAttachment(item=item, file=stored_file, name=name) for stored_file, name in stored
        )
        FeedbackEvent.objects.create(
            item=item,
            at=now,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_label=str(actor)[:200] if actor is not None else "",
            actor_role=HANDLER if s.channel != Channel.WEB else SENDER,
            action="receive",
            from_state="",
            to_state=State.RECEIVED,
            to_agency_id=item.agency_id,
            details={"channel": s.channel, "duplicate_of": duplicate_of.code if duplicate_of else None},
        )
        if competent is not None:
            # A clear item reaches its competent agency at once: classified by the rules, and
            # forwarded unless the desk is that agency.
            at_desk = competent == item.agency_id
            classified: dict[str, Any] = {"classified_at": now, **({"reached_agency_at": now} if at_desk else {})}
            item = _apply(Action.CLASSIFY, actor=None, item=item, now=now, system=ROUTER, values=classified)
            if not at_desk:
                forwarded = {"agency_id": competent, "reached_agency_at": now}
                item = _apply(Action.FORWARD, actor=None, item=item, now=now, system=ROUTER, values=forwarded)
        # The receipt, once the item is where it will be handled (a routed item is not told twice).
        notices.tell_sender(item, notices.RECEIPT, agency=_agency_name(item.agency_id))
        return item


def _agency_name(agency_id: int) -> str:
    return str(Agency.objects.values_list("name", flat=True).get(pk=agency_id))


# --- Transitions --------------------------------------------------------------------------------


def _acting_role(actor: Any, item: FeedbackItem, action: Action, system: str | None) -> str:
    if system is not None:
        if system not in (ROUTER, SENDER) or actor is not None:
            raise ActionForbidden(action)
        return system
    if actor is None or not actor.is_authenticated:
        raise ActionForbidden(action)
    if rules.can(action, item.state, SENDER) and item.sender_user_id == actor.pk:
        return SENDER
    if not actor.is_superuser and has_capability(actor, "feedback.handle", item.agency_id):
        return HANDLER
    raise ActionForbidden(action)


def _apply(
    action: Action,
    *,
    actor: Any,
    item: FeedbackItem,
    now: datetime.datetime | None = None,
    values: Mapping[str, Any] | None = None,
    note: str = "",
    details: Mapping[str, Any] | None = None,
    system: str | None = None,
) -> FeedbackItem:
    """Take one transition atomically (see the module docstring)."""
    now = now or timezone.now()
    with transaction.atomic():
        current = FeedbackItem.objects.get(pk=item.pk)
        if current.version != item.version:
            raise FeedbackChanged
        role = _acting_role(actor, current, action, system)
        source = State(current.state)
        if not rules.can(action, source, role):
            raise TransitionNotAllowed(action, source)
        if rules.TRANSITIONS[action].needs_reason and not note.strip():
            raise FeedbackInvalid({"note": _("Cần ghi lý do.")})
        changes = dict(values or {})
        changes["state"] = rules.next_state(action, source)
        claimed = FeedbackItem.objects.filter(pk=current.pk, version=current.version).update(
            version=F("version") + 1, **changes
        )
        if claimed != 1:
            raise FeedbackChanged
        from_agency = current.agency_id
        current.refresh_from_db()
        event = FeedbackEvent.objects.create(
            item=current,
            at=now,
            actor=actor,
            actor_label=str(rules.SYSTEM_ROLES.get(system, _("Người gửi"))) if system else str(actor)[:200],
            actor_role=role,
            action=action,
            from_state=source,
            to_state=current.state,
            from_agency_id=from_agency,
            to_agency_id=current.agency_id,
            note=note.strip(),
            details=dict(details or {}),
        )
        if rules.TRANSITIONS[action].notifies and system != ROUTER:
            notices.tell_sender(current, action.value, agency=_agency_name(current.agency_id))
        feedback_transitioned.send(sender=FeedbackItem, item=current, event=event, action=action)
        return current


def feedback_classify(
    *,
    actor: Any,
    item: FeedbackItem,
    topic: str,
    procedure: Procedure | None = None,
    now: datetime.datetime | None = None,
) -> FeedbackItem:
    """Phân loại: the desk names the topic (and the procedure) of an unclear item."""
    if topic not in Topic.values:
        raise FeedbackInvalid({"topic": _("Lĩnh vực không hợp lệ.")})
    now = now or timezone.now()
    values: dict[str, Any] = {"topic": topic, "classified_at": now}
    if procedure is not None:
        values["procedure"] = procedure
    return _apply(Action.CLASSIFY, actor=actor, item=item, now=now, values=values, details={"topic": topic})


def feedback_refuse(
    *, actor: Any, item: FeedbackItem, reason: str, now: datetime.datetime | None = None
) -> FeedbackItem:
    """Không thụ lý, with the reason the sender is told (Nghị định 20/2008, điều 13)."""
    now = now or timezone.now()
    return _apply(Action.REFUSE, actor=actor, item=item, now=now, note=reason, values={"closed_at": now})


def feedback_forward(
    *, actor: Any, item: FeedbackItem, agency: Agency, note: str = "", now: datetime.datetime | None = None
) -> FeedbackItem:
    """Chuyển cơ quan có thẩm quyền: the item leaves the officer's agency for ``agency``."""
    if agency.pk == item.agency_id or not agency.is_active:
        raise FeedbackInvalid({"agency": _("Chọn một cơ quan khác đang hoạt động.")})
    now = now or timezone.now()
    values: dict[str, Any] = {"agency": agency}
    if item.reached_agency_at is None:
        values["reached_agency_at"] = now
    return _apply(Action.FORWARD, actor=actor, item=item, now=now, values=values, note=note)


def feedback_take(*, actor: Any, item: FeedbackItem, now: datetime.datetime | None = None) -> FeedbackItem:
    """Nhận xử lý: the agency holding the item is the competent one and starts handling it."""
    now = now or timezone.now()
    values: dict[str, Any] = {}
    if item.reached_agency_at is None:
        values["reached_agency_at"] = now
    return _apply(Action.HANDLE, actor=actor, item=item, now=now, values=values)


def feedback_answer(
    *, actor: Any, item: FeedbackItem, text: str, pdf: Upload | None = None, now: datetime.datetime | None = None
) -> FeedbackItem:
    """Trả lời: the competent agency's answer (text, and its signed PDF where it has one). The
    public version is drafted with personal data removed, for an officer to confirm."""
    if not text.strip():
        raise FeedbackInvalid({"text": _("Cần ghi nội dung trả lời.")})
    if len(text) > 20_000:
        raise FeedbackInvalid({"text": _("Nội dung trả lời dài tối đa 20.000 ký tự.")})
    stored = _store_uploads([pdf], actor)[0][0] if pdf is not None else None
    if stored is not None and stored.content_type != "application/pdf":
        raise FeedbackInvalid({"pdf": _("Văn bản trả lời phải là tệp PDF.")})
    now = now or timezone.now()
    local = timezone.localtime(now)
    policy = deadline_policy(timezone.localtime(item.received_at).date())
    names, addresses = [item.sender_name], [item.sender_address]
    values = {
        "answer_text": text.strip(),
        "answer_file": stored,
        "answered_at": now,
        "answered_by_agency_id": item.agency_id,
        "publish_by": rules.publish_by(local, policy, work_calendar()),
        "public_subject": rules.redact(item.subject, names=names, addresses=addresses)[:200],
        "public_question": rules.redact(item.content, names=names, addresses=addresses),
        "public_answer": rules.redact(text.strip(), names=names, addresses=addresses),
    }
    return _apply(Action.ANSWER, actor=actor, item=item, now=now, values=values)


def feedback_publish(
    *,
    actor: Any,
    item: FeedbackItem,
    subject: str,
    question: str,
    answer: str,
    now: datetime.datetime | None = None,
) -> FeedbackItem:
    """Công khai trả lời: the officer confirms the public text. A text in which the redaction rules
    still find personal data (or the sender's name or address) is refused."""
    problems = {}
    texts = {"subject": subject.strip(), "question": question.strip(), "answer": answer.strip()}
    for key, value in texts.items():
        if not value:
            problems[key] = _("Không được để trống.")
        elif rules.redact(value, names=[item.sender_name], addresses=[item.sender_address]) != value:
            problems[key] = _("Vẫn còn thông tin cá nhân (tên, số điện thoại, số giấy tờ, thư điện tử, mã hồ sơ).")
    if problems:
        raise FeedbackInvalid(problems)
    now = now or timezone.now()
    values = {
        "public_subject": texts["subject"][:200],
        "public_question": texts["question"],
        "public_answer": texts["answer"],
        "public_folded": fold(" ".join(texts.values())),
        "published_at": now,
    }
    with transaction.atomic():
        published = _apply(Action.PUBLISH, actor=actor, item=item, now=now, values=values)
        index_public_words(published)
    return published


def index_public_words(item: FeedbackItem) -> None:
    """The search index of a published answer: one row per distinct folded word of its public
    subject, question and answer (none when it is not published)."""
    PublicWord.objects.filter(item_id=item.pk).delete()
    if item.state != State.PUBLISHED:
        return
    text = " ".join((item.public_subject, item.public_question, item.public_answer))
    PublicWord.objects.bulk_create([PublicWord(item_id=item.pk, word=word) for word in rules.search_words(text)])


def feedback_archive(*, actor: Any, item: FeedbackItem, now: datetime.datetime | None = None) -> FeedbackItem:
    now = now or timezone.now()
    with transaction.atomic():
        archived = _apply(Action.ARCHIVE, actor=actor, item=item, now=now, values={"closed_at": now})
        index_public_words(archived)
    return archived


def feedback_reopen(
    *,
    actor: Any,
    item: FeedbackItem,
    reason: str,
    by_sender_link: bool = False,
    now: datetime.datetime | None = None,
) -> FeedbackItem:
    """Mở lại: the sender is not satisfied with the answer (or an officer reopens it); it is
    answered again within the answer deadline, counted from now. A published answer is taken
    down until the new one is confirmed. ``by_sender_link``: the sender, without an account,
    through the signed link of the answer's notification (the caller checked it; ``actor`` None)."""
    now = now or timezone.now()
    policy = deadline_policy(timezone.localtime(item.received_at).date())
    values = {
        "answer_by": rules.answer_due_after_reopening(timezone.localtime(now), policy, work_calendar()),
        "publish_by": None,
        "published_at": None,
        "public_folded": "",
        "closed_at": None,
    }
    system = SENDER if by_sender_link else None
    with transaction.atomic():
        reopened = _apply(Action.REOPEN, actor=actor, item=item, now=now, values=values, note=reason, system=system)
        index_public_words(reopened)
    return reopened
