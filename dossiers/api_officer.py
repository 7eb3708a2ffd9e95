"""Officer API (/api/v1/officer/): an officer's work queues and the actions on a dossier, for the
counter's and the agencies' own tools. Session-authenticated officers who passed the second
sign-in step; writes are CSRF-checked as django-ninja does for sessions and take an
``Idempotency-Key``. Thin over ``selectors``, ``forms`` and ``services``: the body of an action
is validated by the same form as the officer's page, so both refuse the same input alike."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from typing import Any

from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field as SchemaField
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ValidationError

from accounts.officer_services import is_verified_officer
from common.api import LocalDateTime, PageParams, answers, localized
from common.i18n import request_language
from common.problems import Problem
from common.transactions import atomic_whole
from org.permissions import ApiAccess

from . import officer_selectors, selectors
from .api import ProcedureRefOut, problem_from
from .errors import DossierError
from .forms import ACTION_FORMS
from .models import Dossier, OfficerIdempotency
from .rules import Action, national_status
from .selectors import Queue, QueueFilter, QueueItem
from .services import read_for_transition
from .slips.store import SLIP_ACTIONS

router = Router(tags=["officer"])

_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,100}")


class OfficerAccess(ApiAccess):
    """An officer's session verified by the second factor (401 without a session, 403 without
    the second step or without any dossier capability: said before any look-up)."""

    def __init__(self) -> None:
        super().__init__("dossier.view")

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if not is_verified_officer(user):
            raise Problem(
                403,
                "second_factor_required",
                _("Cần xác thực hai bước"),
                _("Hãy đăng nhập cán bộ với mã từ ứng dụng xác thực."),
            )
        return user


class QueueItemOut(Schema):
    """Một hồ sơ trong hàng đợi: who applied, where it stands, how much time is left."""

    id: int
    code: str | None
    procedure: ProcedureRefOut
    applicant_name: str
    status: str
    status_label: str
    channel: str
    submitted_at: LocalDateTime | None
    received_at: LocalDateTime | None
    due_date: datetime.date | None
    remaining_working_days: int | None
    overdue: bool
    due_soon: bool
    waiting_since: datetime.date | None
    assignee: str | None
    version: int


class QueueOut(Schema):
    """A page of a queue: ``total`` dossiers in all, ``limit`` of them from ``offset``."""

    queue: str
    total: int
    limit: int
    offset: int
    items: list[QueueItemOut]


class QueueParams(PageParams):
    procedure: str = SchemaField("", description="Mã thủ tục")
    state: str = SchemaField("", description="Trạng thái hồ sơ")
    q: str = SchemaField("", description="Mã hồ sơ hoặc tên người nộp (có hoặc không dấu)")
    lang: str | None = None


def _item(item: QueueItem) -> QueueItemOut:
    d = item.dossier
    version = d.procedure_version
    return QueueItemOut(
        id=d.pk,
        code=d.code,
        procedure=ProcedureRefOut(code=version.procedure.code, name=version.name),
        applicant_name=d.applicant_name,
        status=d.state,
        status_label=str(d.get_state_display()),
        channel=d.channel,
        submitted_at=d.submitted_at,
        received_at=d.received_at,
        due_date=d.due_on,
        remaining_working_days=item.remaining_days,
        overdue=item.overdue,
        due_soon=item.due_soon,
        waiting_since=item.waiting_since,
        assignee=str(d.assignee) if d.assignee_id else None,
        version=d.version,
    )


@router.get(
    "/officer/queues/{queue}",
    auth=OfficerAccess(),
    url_name="officer_queue",
    response=answers({200: QueueOut}, 400, 401, 403, 404, 422),
    summary="Hàng đợi công việc của cán bộ",
)
def queue(request: HttpRequest, response: HttpResponse, queue: str, params: Query[QueueParams]) -> QueueOut:
    """One page of a queue (`to_receive`, `to_process`, `to_approve`, `to_return`, `waiting`),
    the least remaining working time first, within the officer's agencies. Filters: procedure
    code, state, and `q` for a dossier code or the applicant's name (with or without
    diacritics)."""
    language = request_language(request, params.lang)
    localized(response, language)
    with translation.override(language):
        if queue not in Queue.ALL:
            raise Problem(
                404,
                "unknown_queue",
                _("Không có hàng đợi này"),
                _("Hàng đợi là một trong: %(queues)s.") % {"queues": ", ".join(Queue.ALL)},
            )
        page = selectors.officer_queue(
            user=request.user,
            queue=queue,
            limit=params.limit,
            offset=params.offset,
            filters=QueueFilter(procedure=params.procedure[:40], state=params.state[:25], search=params.q[:100]),
        )
        return QueueOut(
            queue=queue,
            total=page.total,
            limit=params.limit,
            offset=params.offset,
            items=[_item(item) for item in page.items],
        )


class ActionIn(Schema):
    """The fields of the action (as on the officer's page): `version` (the one the officer saw;
    default: the current one), `note`, `reason`, `missing` (list), `to` (a user id),
    `fee_items` (the catalog's fee item id → quantity, for `request_payment`; the amount is
    assessed from them, reduction included), `override_vnd` with `override_reason` (an amount set
    by hand, audited), `receipt_number`, `reasons` (list), `new_due_on` (YYYY-MM-DD), `apology`,
    `method` (counter, post, online), `tracking_number`; at reception of a dossier whose procedure
    has no working days, `due_on` (YYYY-MM-DD, a working day after today) and `due_reason`."""

    version: int | None = SchemaField(None, ge=1)
    note: str | None = None
    reason: str | None = None
    missing: list[str] | None = None
    to: int | None = None
    fee_items: dict[int, int] | None = None
    override_vnd: int | None = None
    override_reason: str | None = None
    receipt_number: str | None = None
    reasons: list[str] | None = None
    new_due_on: str | None = None
    due_on: str | None = None
    due_reason: str | None = None
    apology: str | None = None
    method: str | None = None
    tracking_number: str | None = None


def _payload(request: HttpRequest) -> dict[str, Any]:
    """The body: a JSON object (or form fields); none is an empty object. Read after the dossier
    is found, so that another agency's dossier answers 404 whatever was sent."""
    try:
        if request.content_type == "application/json":
            data = json.loads(request.body) if request.body.strip() else {}
        else:
            data = {key: value for key, value in request.POST.items()}
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return ActionIn.model_validate(data).model_dump(exclude_none=True)
    except (ValueError, ValidationError) as error:
        raise Problem(
            400, "invalid_request", _("Yêu cầu không hợp lệ"), _("Nội dung gửi lên phải là một đối tượng JSON hợp lệ.")
        ) from error


def _dossier(request: HttpRequest, code: str) -> Dossier:
    """By its code, or by its id before reception gives it one; 404 outside the officer's
    agencies."""
    found = read_for_transition(pk=int(code)) if code.isdigit() else read_for_transition(code=code[:80])
    if found is None or not officer_selectors.may_open(request.user, found):
        raise Http404
    return found


def _form_data(action: Action, payload: dict[str, Any], dossier: Dossier) -> dict[str, Any]:
    data: dict[str, Any] = {"version": payload.get("version") or dossier.version}
    for key, value in payload.items():
        if key == "version" or value is None:
            continue
        if isinstance(value, dict) and action == Action.REQUEST_PAYMENT and key == "fee_items":
            for item, quantity in value.items():
                data[f"fee_{item}"] = "on"
                data[f"qty_{item}"] = str(quantity)
        elif isinstance(value, list):
            if action == Action.REQUEST_SUPPLEMENT and key == "missing":
                data["other"] = "\n".join(str(item) for item in value)
            elif action == Action.REFUSE and key == "reasons":
                data["reasons"] = "\n".join(str(item) for item in value)
            else:
                data[key] = [str(item) for item in value]
        else:
            data[key] = str(value)
    return data


class ActionOut(Schema):
    """The dossier as it is after the action; ``slip_url`` when the action issued a slip
    (phiếu)."""

    id: int
    code: str | None
    applicant_name: str
    status: str
    status_label: str
    national_status: int | None
    version: int
    received_at: LocalDateTime | None
    due_date: datetime.date | None
    assignee: int | None
    slip_url: str | None = None  # only when the action issued a slip


def _answer(dossier: Dossier, action: Action) -> dict[str, Any]:
    """The answer, as JSON (it is also what a replay under the same Idempotency-Key answers)."""
    body = ActionOut(
        id=dossier.pk,
        code=dossier.code,
        applicant_name=dossier.applicant_name,
        status=dossier.state,
        status_label=str(dossier.get_state_display()),
        national_status=national_status(dossier.state),
        version=dossier.version,
        received_at=dossier.received_at,
        due_date=dossier.due_on,
        assignee=dossier.assignee_id,
    )
    if action in SLIP_ACTIONS:
        body.slip_url = reverse("dossiers:slip", args=[dossier.pk, SLIP_ACTIONS[action].value])
    return body.model_dump(mode="json", exclude_unset=True)


def _fingerprint(request: HttpRequest) -> str:
    return hashlib.sha256(str(request.method).encode() + request.path.encode() + b"\n" + request.body).hexdigest()


def _replay(request: HttpRequest, user: Any, key: str) -> Status[Any] | None:
    """The first answer given under ``key``, if there was one; 422 if it was for another request."""
    first = OfficerIdempotency.objects.filter(user=user, key=key).first()
    if first is None:
        return None
    if first.fingerprint != _fingerprint(request):
        raise Problem(
            422,
            "idempotency_key_reused",
            _("Không thực hiện được"),
            _("Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác."),
        )
    return Status(first.status, first.body)


def _act(
    request: HttpRequest, user: Any, code: str, action: Action, form_class: Any, key: str | None
) -> dict[str, Any]:
    """Validate and take the action; with ``key``, record its answer in the same transaction (a
    second request with that key collides with the record and rolls back whole)."""
    dossier = _dossier(request, code)
    payload = _payload(request)
    handlers = officer_selectors.agency_handlers(dossier) if action in (Action.ASSIGN, Action.FORWARD) else []
    form = form_class(_form_data(action, payload, dossier), dossier=dossier, handlers=handlers, prefix=None)
    if not form.is_valid():
        raise Problem(
            422,
            "dossier_invalid",
            _("Không thực hiện được"),
            _("Thông tin chưa hợp lệ."),
            errors={field: " ".join(str(e) for e in errors) for field, errors in form.errors.items()},
        )
    with atomic_whole():
        done = form.perform(user, dossier)
        answer = _answer(done, action)
        if key is not None:
            OfficerIdempotency.objects.create(
                user=user, key=key, fingerprint=_fingerprint(request), status=200, body=answer
            )
    return answer


@router.post(
    "/officer/dossiers/{code}/{action}",
    auth=OfficerAccess(),
    url_name="officer_act",
    response=answers({200: ActionOut}, 400, 401, 403, 404, 409, 422),
    exclude_unset=True,
    summary="Thao tác của cán bộ với hồ sơ",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": ActionIn.model_json_schema()}},
        }
    },
)
def act(request: HttpRequest, response: HttpResponse, code: str, action: str, lang: str | None = None) -> Status[Any]:
    """One transition of a dossier, named by its code (or its id before reception): `receive`,
    `refuse_intake`, `request_supplement`, `supplement`, `assign`, `forward`, `return_step`,
    `request_payment`, `mark_paid`, `withdraw`, `stop`, `approve`, `refuse`, `extend`,
    `result_ready`, `return_result`. Answers the dossier as it is after the action (and the
    address of the slip it issued); 409 `dossier_changed` when another action came first, 409
    `transition_not_allowed`, 422 with `errors` by field, 403 when the officer's role does not
    allow it. The same `Idempotency-Key` replays the first answer."""
    language = request_language(request, lang)
    localized(response, language)
    with translation.override(language):
        try:
            chosen = Action(action)
            form_class = ACTION_FORMS[chosen]
        except (ValueError, KeyError):
            raise Problem(404, "unknown_action", _("Không có thao tác này"), _("Không có thao tác này.")) from None
        user: Any = request.user
        key = request.headers.get("Idempotency-Key")
        if key is not None and not _IDEMPOTENCY_KEY.fullmatch(key):
            raise Problem(
                400,
                "invalid_idempotency_key",
                _("Yêu cầu không hợp lệ"),
                _("Idempotency-Key gồm 1 đến 100 ký tự ASCII in được."),
            )
        try:
            answer = _act(request, user, code, chosen, form_class, key)
        except (Problem, DossierError, Http404, IntegrityError) as error:
            # A key already used answers as it did the first time (a retry after a lost answer
            # finds the dossier moved on, or collides with the first one's record): looked up only
            # when this request could not go through, so that a first request costs no read.
            if key is not None and (replay := _replay(request, user, key)) is not None:
                response["Idempotent-Replayed"] = "true"
                return replay
            if isinstance(error, DossierError):
                raise problem_from(error) from error
            raise
        return Status(200, answer)
