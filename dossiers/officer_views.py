"""Officers' side of the one-stop shop (/can-bo/ho-so/): the work queues with their dashboard,
the counter's registration of paper and postal dossiers, and the officer's dossier page with a
form for every action they may take now. Thin over ``selectors``, ``forms`` and ``services``;
every dossier is looked up within the officer's agencies (another agency's: 404)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.officer_services import is_officer, is_verified_officer
from catalog import declaration
from org.models import Agency, OneStopUnit
from org.permissions import memberships_held

from . import officer_selectors, selectors
from .errors import ActionForbidden, DossierChanged, DossierError, DossierInvalid
from .forms import ACTION_FORMS, ActionForm, QueueFilterForm, RegisterForm, add_service_errors
from .models import Dossier, DossierSlip, SlipKind
from .routing import officer_actions, proposed_step, step_position
from .rules import COUNTER, LEADER, PROCESSOR, Action
from .selectors import Queue, postal_communes
from .services import dossier_register, read_for_transition
from .slips.store import KIND_ACTIONS

PAGE_SIZE = 20

View = Callable[..., HttpResponse]


def officer_required(view: View) -> View:
    """Officers who passed both sign-in steps. Anonymous visitors and officers without their
    second step are asked to sign in; a citizen is answered as if the page did not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if user.is_authenticated and not is_officer(user):
            raise Http404
        if not is_verified_officer(user):
            return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
        return view(request, *args, **kwargs)

    return wrapper


def queue_label(queue: str) -> str:
    labels = {
        Queue.TO_RECEIVE: _("Chờ tiếp nhận"),
        Queue.TO_PROCESS: _("Chờ xử lý"),
        Queue.TO_APPROVE: _("Chờ phê duyệt"),
        Queue.TO_RETURN: _("Chờ trả kết quả"),
        Queue.WAITING: _("Chờ người nộp bổ sung, nộp phí"),
    }
    return labels[queue]


# The queue an officer lands on, by the first role they hold.
_HOME_QUEUE = ((COUNTER, Queue.TO_RECEIVE), (PROCESSOR, Queue.TO_PROCESS), (LEADER, Queue.TO_APPROVE))


def _home_queue(roles: set[str]) -> str:
    return next((queue for role, queue in _HOME_QUEUE if role in roles), Queue.TO_RECEIVE)


# --- Queues and dashboard ----------------------------------------------------------------------


@never_cache
@require_GET
@officer_required
def queues(request: HttpRequest) -> HttpResponse:
    """Hồ sơ cần xử lý: the counts of every queue, and one queue as a list, least time left first,
    with filters and pages (``?hang-doi=&thu-tuc=&trang-thai=&q=&trang=``)."""
    user: Any = request.user
    roles = officer_selectors.roles_today(user)
    queue = request.GET.get("hang-doi") or _home_queue(roles)
    if queue not in Queue.ALL:
        queue = _home_queue(roles)
    procedures = officer_selectors.queue_procedures(user)
    filter_form = QueueFilterForm(
        {
            "q": request.GET.get("q", ""),
            "thu_tuc": request.GET.get("thu-tuc", ""),
            "trang_thai": request.GET.get("trang-thai", ""),
        },
        procedures=[(code, f"{code} — {name[:90]}") for code, name in procedures],
    )
    filters = filter_form.filters()
    try:
        number = max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        number = 1
    page = selectors.officer_queue(
        user=user, queue=queue, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE, filters=filters
    )
    counts = selectors.queue_counts(user=user)
    pages = max(1, -(-page.total // PAGE_SIZE))
    kept = {"hang-doi": queue, "q": filters.search, "thu-tuc": filters.procedure, "trang-thai": filters.state}
    kept = {key: value for key, value in kept.items() if value}

    def page_url(n: int) -> str:
        return "?" + urlencode({**kept, "trang": n})

    return render(
        request,
        "dossiers/officer/queues.html",
        {
            "queue": queue,
            "queue_title": queue_label(queue),
            "tabs": [(q, queue_label(q), counts[q], q == queue) for q in Queue.ALL],
            "page": page,
            "page_number": number,
            "pages": pages,
            "previous_url": page_url(number - 1) if number > 1 else "",
            "next_url": page_url(number + 1) if number < pages else "",
            "filter_form": filter_form,
            "filters": filters,
            # A counter serving many agencies offers hundreds of procedures: the options are
            # written here at once rather than by a template loop asking the form each time.
            "procedure_options": format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (value, " selected" if value == filters.procedure else "", label)
                    for value, label in filter_form.procedure_choices
                ),
            ),
            "filtered": bool(filters.search or filters.procedure or filters.state),
            "can_register": COUNTER in roles,
            "today": timezone.localdate(),
        },
    )


# --- The dossier page --------------------------------------------------------------------------


def _get(request: HttpRequest, pk: int) -> Dossier:
    try:
        return officer_selectors.officer_dossiers(request.user).get(pk=pk)
    except Dossier.DoesNotExist:
        raise Http404(_("Không có hồ sơ này, hoặc bạn không được xem.")) from None


def _page_context(
    request: HttpRequest, dossier: Dossier, *, bound: ActionForm | None = None, problem: str = ""
) -> dict[str, Any]:
    """Everything the dossier page shows, with a blank form for every action the officer may
    take now (``bound``: the one just refused, with its errors)."""
    user: Any = request.user
    history = officer_selectors.dossier_history(dossier)
    roles = officer_selectors.acting_roles(user, dossier)
    has_previous = any(
        event.action == Action.FORWARD and event.handed_to_id == dossier.assignee_id and dossier.assignee_id
        for event in history
    )
    actions = officer_actions(
        state=dossier.state,
        roles=roles,
        result_ready=dossier.result_ready_at is not None,
        extended=dossier.extended,
        has_due_date=dossier.due_on is not None,
        has_previous_step=has_previous,
    )
    steps = officer_selectors.procedure_steps(dossier.procedure_version.procedure_id)
    position = step_position(
        [e.action for e in history if e.action in (Action.ASSIGN, Action.FORWARD, Action.RETURN_STEP)], steps
    )
    handlers = officer_selectors.agency_handlers(dossier) if {Action.ASSIGN, Action.FORWARD} & set(actions) else []
    if bound is not None and bound.action not in actions:
        # The refused action is not one the officer may take now: say why above the page.
        problem = (
            problem
            or " ".join(str(error) for error in bound.non_field_errors())
            or _("Bạn không thể thực hiện thao tác này với hồ sơ ở bước hiện tại.")
        )
    forms = []
    for action in actions:
        if bound is not None and bound.action == action:
            forms.append(bound)
            continue
        proposed = proposed_step(action, position, steps).role
        forms.append(ACTION_FORMS[action](dossier=dossier, handlers=handlers, proposed=proposed))
    slips = list(DossierSlip.objects.filter(dossier=dossier).order_by("created_at", "id"))
    stored_kinds = {slip.kind for slip in slips}
    files = officer_selectors.dossier_files(dossier)
    documents = list(
        dossier.documents.select_related("required_document").order_by("required_document__position", "id")
    )
    for document in documents:
        document.uploaded = files.get(document.required_document_id, [])  # type: ignore[attr-defined]
    listed = {document.required_document_id for document in documents}
    related = officer_selectors.related_pages(user, dossier)
    form = dossier.declaration_form
    return {
        "dossier": dossier,
        "declaration": declaration.sections(form.schema, form.layout, dossier.form_data) if form else None,
        "remaining": officer_selectors.dossier_remaining(dossier),
        "other_files": [f for key, group in files.items() if key not in listed for f in group],
        "may_digitize": "documents:digitize" in related,
        "may_take_payment": "payments:counter_payment" in related,
        "may_draft_result": "results:draft" in related,
        "history": history,
        "documents": documents,
        "forms": forms,
        "roles": roles,
        "steps": steps,
        "step": steps[position] if dossier.assignee_id else None,
        "slips": slips,
        # Issued before its slip was stored (the worker has not run yet): made and stored on first print.
        "issuable_missing": [
            (kind, SlipKind(kind).label)
            for kind, action in KIND_ACTIONS.items()
            if kind not in stored_kinds and any(e.action == action for e in history)
        ],
        "problem": problem,
        "refused": bound,
    }


@never_cache
@require_GET
@officer_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Trang hồ sơ của cán bộ: the dossier, its history, its remaining working time, its slips,
    and what the officer may do now."""
    dossier = _get(request, pk)
    return render(request, "dossiers/officer/dossier.html", _page_context(request, dossier))


@require_POST
@officer_required
def dossier_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on the dossier. Success: back to the page with a message. Refused: the page
    again with the reason next to the form, nothing saved."""
    dossier = _get(request, pk)
    try:
        chosen = Action(action)
        form_class = ACTION_FORMS[chosen]
    except (ValueError, KeyError):
        raise Http404(_("Không có thao tác này.")) from None
    handlers = officer_selectors.agency_handlers(dossier) if chosen in (Action.ASSIGN, Action.FORWARD) else []
    form = form_class(request.POST, dossier=dossier, handlers=handlers)
    status = 422
    changed = ""
    if form.is_valid():
        # The page's read stays as it was for the answer; the transition reads its own.
        seen = read_for_transition(pk=dossier.pk)
        if seen is None:
            raise Http404
        try:
            form.perform(request.user, seen)
        except DossierChanged as error:
            changed, status = error.message, 409
        except DossierInvalid as error:
            add_service_errors(form, error.errors)
        except DossierError as error:
            form.add_error(None, error.message)
            status = 403 if isinstance(error, ActionForbidden) else 409
        else:
            messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": chosen.label})
            return redirect(reverse("dossiers:officer_dossier", args=[dossier.pk]) + "#ket-qua")
    dossier = _get(request, pk)
    if changed:
        # The form as it stood no longer fits the dossier: show the dossier as it is now.
        context = _page_context(request, dossier, problem=changed)
    else:
        context = _page_context(request, dossier, bound=form)
    return render(request, "dossiers/officer/dossier.html", context, status=status)


# --- The counter: registering a paper or postal dossier ----------------------------------------


def _counter_places(user: Any, version: Any) -> tuple[list[Agency], list[OneStopUnit]]:
    """The agencies (where the officer works at the counter) that process the procedure, and the
    one-stop units that receive for them (the officer's own unit when bound to one)."""
    memberships = [held for held in memberships_held(user) if held.role == COUNTER]
    agencies = list(
        Agency.objects.filter(
            pk__in=[m.agency_id for m in memberships], catalog_roles__versions=version, is_active=True
        ).distinct()
    )
    bound = {m.one_stop_unit_id for m in memberships if m.one_stop_unit_id}
    units = OneStopUnit.objects.filter(served_agencies__in=agencies).distinct().order_by("code")
    if bound and all(m.one_stop_unit_id for m in memberships):
        units = units.filter(pk__in=bound)
    return agencies, list(units)


@never_cache
@require_http_methods(["GET", "POST"])
@officer_required
def register(request: HttpRequest) -> HttpResponse:
    """Đăng ký hồ sơ nộp trực tiếp hoặc qua bưu chính: pick the procedure by search
    (``?tim=``), then fill in the applicant and the checklist (``?thu-tuc=<code>``)."""
    user: Any = request.user
    if not any(held.role == COUNTER for held in memberships_held(user)):
        raise Http404(_("Chỉ cán bộ Bộ phận Một cửa đăng ký hồ sơ."))
    code = request.GET.get("thu-tuc", "").strip()[:40]
    query = request.GET.get("tim", "").strip()[:200]
    if not code:
        found = officer_selectors.counter_procedures(user, query)
        return render(request, "dossiers/officer/register_pick.html", {"query": query, "procedures": found})
    version = officer_selectors.counter_procedure(user, code)
    if version is None:
        raise Http404(_("Cơ quan của bạn không giải quyết thủ tục này."))
    agencies, units = _counter_places(user, version)
    form = RegisterForm(
        request.POST or None, version=version, agencies=agencies, units=units, communes=postal_communes()
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = dossier_register(actor=user, intake=form.intake())
        except DossierInvalid as error:
            form.add_service_errors(error.errors)
        except DossierError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Đã đăng ký hồ sơ. Kiểm tra thành phần hồ sơ rồi tiếp nhận, yêu cầu bổ sung hoặc từ chối.")
            )
            return redirect("dossiers:officer_dossier", pk=dossier.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "dossiers/officer/register.html", {"form": form, "version": version}, status=status)
