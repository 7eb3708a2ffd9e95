"""The citizen's side of the one-stop shop: nộp hồ sơ trực tuyến (online intake, drafts, review,
submission) and hồ sơ của tôi (my dossiers: status, timeline, slips, what is asked, supplement,
withdrawal). Thin over ``dossiers.services``, ``dossiers.selectors`` and the documents app's
storage service (files are checked and stored before the dossier is written).

Everything here is the signed-in citizen's own: another person's dossier answers 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.organizations import acting_organizations
from catalog import declaration
from catalog.models import ProcedureVersion, RequiredDocument
from catalog.rules import is_the_declaration_form
from catalog.selectors import declaration_form_in_force, public_versions
from common.formats import fee_sentence, format_vnd
from org.permissions import owned_or_404
from workdays.rules import remaining_working_days
from workdays.selectors import work_calendar

from . import services
from .citizen_links import citizen_links
from .errors import DossierChanged, DossierError, DossierInvalid, IdempotencyKeyReused, TransitionNotAllowed
from .fees import fee_desk
from .intake_forms import (
    TOKEN,
    IntakeForm,
    Place,
    StoredUpload,
    UploadProblem,
    attach,
    attachments_of,
    dossier_files,
    electronic,
    new_token,
    postal_initial,
    prefill_postal,
    reusable,
    reuse,
    slot_name,
    store,
    stored_upload,
    to_intake,
)
from .intake_forms import completeness_problems as intake_completeness
from .models import Dossier, DossierEvent
from .rules import OPEN_STATES, WAITING_STATES, Action, State
from .selectors import (
    citizen_drafts,
    citizen_requests,
    citizen_submitted_dossiers,
    citizen_timeline,
    postal_communes,
    submission_places,
)

PAGE_SIZE = 20


def _citizen(request: HttpRequest) -> Any | HttpResponse:
    """The signed-in person, or the sign-in page (VNeID) for an anonymous visitor, coming back
    here afterwards."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return user


# --- Online intake ------------------------------------------------------------------------------


@dataclass
class Slot:
    """One required document on the form: its catalog entry, what the citizen already gave for
    it (a stored file carried between steps, or an item of their data store chosen), the items
    of their data store they may reuse, and its error."""

    document: RequiredDocument
    kept: StoredUpload | None
    kept_token: str
    reusable: list[Any]
    error: str = ""

    @property
    def name(self) -> str:
        return slot_name(self.document)

    @property
    def template_url(self) -> str:
        return self.document.template_file.url if self.document.template_file else ""


class _Intake:
    """Everything one intake request works with: the procedure, its form, places, documents."""

    def __init__(self, request: HttpRequest, user: Any, version: ProcedureVersion, draft: Dossier | None) -> None:
        self.request = request
        self.user = user
        self.version = version
        self.draft = draft
        # Tờ khai in force today (a draft resumed is filled with today's form too).
        self.declaration = declaration_form_in_force(version.procedure_id)
        self.places = [Place(agency, unit) for agency, unit in submission_places(version=version)]
        documents = list(RequiredDocument.objects.filter(version=version).order_by("position", "id"))
        # Giấy tờ phải xuất trình are listed for the visit, never asked for as files.
        self.documents = [d for d in documents if d.uploaded]
        self.presented = [d for d in documents if not d.uploaded]
        # The paper tờ khai is not asked for when the portal has it as an e-form: it is filled above.
        title = self.declaration.title if self.declaration else ""
        self.filled_online = [d for d in self.documents if title and is_the_declaration_form(d.name, title)]
        self.documents = [d for d in self.documents if d not in self.filled_online]
        self.organizations = list(acting_organizations(user))
        self.communes = postal_communes()

    @property
    def name(self) -> str:
        return str(self.user.full_name or self.user.get_username())

    def form(self, data: Any = None, initial: Mapping[str, Any] | None = None) -> IntakeForm:
        return IntakeForm(
            data,
            initial=initial,
            version=self.version,
            declaration_form=self.declaration,
            declaration_initial=self.declaration_initial(),
            places=self.places,
            organizations=self.organizations,
            communes=self.communes,
        )

    def declaration_initial(self) -> dict[str, Any]:
        """The declaration as the draft left it, or prefilled from what the citizen's account
        (VNeID) knows: the layout says where (the declarant, the parent whose ID it is)."""
        if self.declaration is None:
            return {}
        if self.draft is not None:
            return dict(self.draft.form_data)
        user = self.user
        last = Dossier.objects.filter(applicant=user).exclude(applicant_address="").order_by("-id").first()
        known = {
            "full_name": user.full_name,
            "personal_id": user.personal_id,
            "birth_date": user.birth_date.isoformat() if user.birth_date else None,
            "birth_year": user.birth_date.year if user.birth_date else None,
            "address": last.applicant_address if last is not None else None,
            "phone": user.phone,
            "email": user.email,
        }
        return declaration.prefill(self.declaration.layout, known)

    def initial(self) -> dict[str, Any]:
        """Prefilled from the identity (or the draft being resumed); the address from the
        citizen's last dossier, since the e-ID gives none; the postal address from the contact
        details (or the draft's own)."""
        if self.draft is not None:
            d = self.draft
            values: dict[str, Any] = {
                "phone": d.applicant_phone,
                "email": d.applicant_email,
                "address": d.applicant_address,
                "result_delivery": d.result_delivery,
                "place": f"{d.processing_agency_id}-{d.receiving_unit_id}",
                "organization": d.organization_tax_code,
            }
            postal = postal_initial(
                name=self.name, phone=d.applicant_phone, address=d.applicant_address, communes=self.communes
            )
            if d.by_post:
                postal = {
                    "postal_recipient_name": d.postal_recipient_name,
                    "postal_phone": d.postal_recipient_phone,
                    "postal_address": d.postal_address,
                    "postal_commune": d.postal_commune.code if d.postal_commune is not None else "",
                }
            return values | postal | {"token": new_token()}
        last = Dossier.objects.filter(applicant=self.user).exclude(applicant_address="").order_by("-id").first()
        address = last.applicant_address if last is not None else ""
        return {
            "phone": self.user.phone,
            "email": self.user.email,
            "address": address,
            **postal_initial(name=self.name, phone=self.user.phone or "", address=address, communes=self.communes),
            "token": new_token(),
        }

    def slots(self, kept: Mapping[int, StoredUpload], errors: Mapping[str, str]) -> list[Slot]:
        return [
            Slot(
                document=doc,
                kept=kept.get(doc.pk),
                kept_token=kept[doc.pk].token(self.user) if doc.pk in kept else "",
                reusable=reusable(user=self.user, required_document=doc),
                error=errors.get(slot_name(doc), ""),
            )
            for doc in self.documents
        ]

    def render(
        self,
        form: IntakeForm,
        kept: Mapping[int, StoredUpload],
        errors: Mapping[str, str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        errors = dict(errors or {})
        form.describe()
        context = {
            "version": self.version,
            "draft": self.draft,
            "form": form,
            "slots": self.slots(kept, errors),
            "presented": self.presented,
            "filled_online": self.filled_online,
            "online_days": self.version.working_days("online"),
            "identity": self.user,
            "action_url": self.action_url(),
            "error_summary": _error_summary(form, errors, self.documents),
        }
        return render(self.request, "dossiers/citizen/intake_form.html", context, status=status)

    def action_url(self) -> str:
        if self.draft is not None:
            return reverse("dossiers:draft_edit", args=[self.draft.pk])
        return reverse("dossiers:intake", args=[self.version.procedure.code])


def _error_summary(
    form: IntakeForm, slot_errors: Mapping[str, str], documents: Sequence[RequiredDocument]
) -> list[dict[str, str]]:
    """Tóm tắt lỗi at the top of the page, each linking to its field."""
    names = {slot_name(doc): doc.name for doc in documents}
    summary = [{"href": "#intake-form", "message": str(m)} for m in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            summary += [{"href": f"#id_{name}", "message": f"{form.fields[name].label}: {m}"} for m in errors]
    if form.declaration_form is not None:
        schema = form.localized_declaration()[0]
        for path, message in form.declaration_errors.items():
            label = declaration.label_of(schema, path) if path else _("Tờ khai")
            text = message if message.startswith(f"{label}:") else f"{label}: {message}"
            summary.append({"href": f"#{declaration.html_id(path)}" if path else "#declaration", "message": text})
    summary += [
        {"href": f"#id_{name}", "message": f"{names.get(name, '')}: {message}" if name in names else message}
        for name, message in slot_errors.items()
    ]
    return summary


def _kept_files(request: HttpRequest, user: Any, documents: Sequence[RequiredDocument]) -> dict[int, StoredUpload]:
    """The files stored at an earlier step of this form (signed references in hidden fields, so
    that nothing the citizen uploaded is lost when the page comes back with an error)."""
    kept: dict[int, StoredUpload] = {}
    for doc in documents:
        token = request.POST.get(f"kept_{doc.pk}", "")
        if token:
            upload = stored_upload(token, user=user, required_document=doc)
            if upload is not None:
                kept[doc.pk] = upload
    return kept


def _store_uploads(
    request: HttpRequest, user: Any, documents: Sequence[RequiredDocument], kept: dict[int, StoredUpload]
) -> dict[str, str]:
    """Check and store the files sent with this step (the newest replaces the kept one), and the
    data-store items chosen; the problems by slot."""
    problems: dict[str, str] = {}
    for doc in documents:
        name = slot_name(doc)
        upload: UploadedFile | None = request.FILES.get(name)
        try:
            if upload is not None:
                kept[doc.pk] = store(upload=upload, user=user, required_document=doc)
            elif request.POST.get(f"reuse_{doc.pk}"):
                chosen = reuse(token=request.POST[f"reuse_{doc.pk}"], user=user, required_document=doc)
                if chosen is not None:
                    kept[doc.pk] = chosen
        except UploadProblem as problem:
            problems[name] = problem.message
    return problems


def _intake(request: HttpRequest, user: Any, version: ProcedureVersion, draft: Dossier | None) -> HttpResponse:
    it = _Intake(request, user, version, draft)
    if not user.personal_id:
        return render(request, "dossiers/citizen/identity_required.html", {"version": version}, status=403)
    if request.method != "POST":
        kept = attachments_of(draft) if draft is not None else {}
        return it.render(it.form(initial=it.initial()), kept)

    data = request.POST.copy()
    if not TOKEN.fullmatch(data.get("token", "")):
        data["token"] = new_token()
    prefill_postal(data, name=it.name, communes=it.communes)
    form = it.form(data)
    form.is_valid()
    kept = _kept_files(request, user, it.documents)
    if draft is not None:
        kept = {**attachments_of(draft), **kept}
    slot_errors = _store_uploads(request, user, it.documents, kept)
    action = request.POST.get("action", "")
    token = str(data["token"])

    if action == "edit":
        return it.render(form, kept)
    place = form.chosen_place()
    if action == "save":
        if form.errors or slot_errors:
            return it.render(form, kept, slot_errors, status=422)
        return _save_draft(it, form, kept)
    # Every problem at once: a refused file does not hide an empty slot or a wrong phone number.
    problems = intake_completeness(
        form,
        personal_id=user.personal_id,
        name=user.full_name or user.get_username(),
        documents=it.documents,
        provided=set(kept),
    )
    slot_problems = {k: v for k, v in problems.items() if k.startswith("document_")} | slot_errors
    for key, message in problems.items():
        if not key.startswith("document_") and not form.has_error(key):
            form.add_error(None if key == "__all__" else key, message)
    if form.errors or form.declaration_errors or slot_problems or place is None:
        return it.render(form, kept, slot_problems, status=422)
    if action != "submit":
        return render(
            request,
            "dossiers/citizen/intake_review.html",
            {
                "version": version,
                "draft": draft,
                "form": form,
                "place": place,
                "slots": it.slots(kept, {}),
                "presented": it.presented,
                "identity": user,
                "action_url": it.action_url(),
                "declaration_review": form.declaration_review(),
                "declaration_hidden": form.declaration_hidden(),
                "organization": form.chosen_organization(),
                "postal": form.postal(),
                "postal_label": form.postal_label(),
            },
        )
    return _submit(it, form, place, kept, token)


def _save_draft(it: _Intake, form: IntakeForm, kept: dict[int, StoredUpload]) -> HttpResponse:
    place = form.chosen_place() or (it.places[0] if it.places else None)
    if place is None:
        form.add_error(None, _("Thủ tục này chưa có nơi tiếp nhận hồ sơ trực tuyến."))
        return it.render(form, kept, status=422)
    intake = to_intake(form, user=it.user, place=place, documents=electronic(list(kept)), complete=False)
    try:
        with transaction.atomic():
            draft = services.dossier_draft_save(applicant=it.user, intake=intake, draft=it.draft)
            attach(dossier=draft, uploads=kept.values(), user=it.user, purpose="submitted")
    except DossierInvalid as error:
        form.put_errors(error.errors)
        return it.render(form, kept, status=422)
    except DossierError as error:
        messages.error(it.request, error.message)
        return redirect("dossiers:mine")
    messages.success(it.request, _("Đã lưu nháp. Bạn có thể tiếp tục soạn hồ sơ bất cứ lúc nào trong “Hồ sơ của tôi”."))
    return redirect("dossiers:draft_edit", draft.pk)


def _submit(it: _Intake, form: IntakeForm, place: Place, kept: dict[int, StoredUpload], token: str) -> HttpResponse:
    intake = to_intake(form, user=it.user, place=place, documents=electronic(list(kept)), complete=True)
    try:
        with transaction.atomic():
            if it.draft is not None:
                draft = services.dossier_draft_save(applicant=it.user, intake=intake, draft=it.draft)
                attach(dossier=draft, uploads=kept.values(), user=it.user, purpose="submitted")
                dossier = services.dossier_draft_submit(applicant=it.user, draft=draft)
            else:
                dossier, created = services.dossier_submit(applicant=it.user, intake=intake, idempotency_key=token)
                if created:
                    attach(dossier=dossier, uploads=kept.values(), user=it.user, purpose="submitted", fresh=True)
    except DossierInvalid as error:
        form.put_errors(error.errors)
        return it.render(form, kept, status=422)
    except IdempotencyKeyReused:
        messages.warning(
            it.request, _("Tờ khai này đã được dùng để nộp một hồ sơ. Hồ sơ đã nộp có trong danh sách dưới đây.")
        )
        return redirect("dossiers:mine")
    except (TransitionNotAllowed, DossierChanged):
        # The draft was submitted already (a double click, the back button): show that dossier.
        if it.draft is not None:
            return redirect("dossiers:submitted", it.draft.pk)
        raise
    return redirect("dossiers:submitted", dossier.pk)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def intake(request: HttpRequest, code: str) -> HttpResponse:
    """Nộp hồ sơ trực tuyến for a public procedure open online."""
    user = _citizen(request)
    if isinstance(user, HttpResponse):
        return user
    version = public_versions().filter(procedure__code=code).select_related("procedure", "decision").first()
    if version is None:
        raise Http404(_("Không có thủ tục công khai mã %(code)s.") % {"code": code})
    if not version.offered_online or not submission_places(version=version):
        return render(request, "dossiers/citizen/not_online.html", {"version": version}, status=404)
    return _intake(request, user, version, None)


def _own(request: HttpRequest, user: Any, pk: int) -> Dossier:
    return owned_or_404(
        Dossier.objects.select_related(
            "procedure_version",
            "procedure_version__procedure",
            "procedure_version__decision",
            "receiving_unit",
            "processing_agency",
            "postal_commune__parent",
        ),
        user,
        owner_field="applicant",
        pk=pk,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Tiếp tục soạn một bản nháp."""
    user = _citizen(request)
    if isinstance(user, HttpResponse):
        return user
    dossier = _own(request, user, pk)
    if dossier.state != State.DRAFT:
        return redirect("dossiers:detail", dossier.pk)
    return _intake(request, user, dossier.procedure_version, dossier)


@require_POST
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Xóa bản nháp."""
    user = _citizen(request)
    if isinstance(user, HttpResponse):
        return user
    dossier = _own(request, user, pk)
    try:
        services.dossier_draft_delete(applicant=user, draft=dossier)
    except DossierError as error:
        messages.error(request, error.message)
        return redirect("dossiers:detail", dossier.pk)
    messages.success(request, _("Đã xóa bản nháp."))
    return redirect("dossiers:mine")


@never_cache
def submitted(request: HttpRequest, pk: int) -> HttpResponse:
    """Đã nộp hồ sơ: what the citizen's submission became and what happens next."""
    user = _citizen(request)
    if isinstance(user, HttpResponse):
        return user
    dossier = _own(request, user, pk)
    if dossier.state == State.DRAFT:
        return redirect("dossiers:draft_edit", dossier.pk)
    return render(request, "dossiers/citizen/submitted.html", {"dossier": dossier, "owed": fee_desk().owed(dossier)})


# --- Hồ sơ của tôi ------------------------------------------------------------------------------


@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    """Hồ sơ của tôi: newest first, 20 a page, with the status, due date, working time left and
    what is asked of the citizen; drafts listed apart."""
    user = _citizen(request)
    if isinstance(user, HttpResponse):
        return user
    try:
        number = max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        number = 1
    page = citizen_submitted_dossiers(user=user, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    items = page.items
    asked = citizen_requests(dossiers=[item.dossier for item in items])
    links = citizen_links([item.dossier for item in items], user)
    pages = Paginator(range(page.total), PAGE_SIZE).get_page(number)
    return render(
        request,
        "dossiers/citizen/mine.html",
        {
            "rows": [
                {"item": item, "asked": asked.get(item.dossier.pk), "links": links.get(item.dossier.pk, [])}
                for item in items
            ],
            "drafts": citizen_drafts(user=user) if number == 1 else [],
            "pages": pages,
        },
    )


@dataclass(frozen=True)
class Step:
    """One step of the timeline as the citizen reads it."""

    at: datetime.datetime
    title: str
    detail: str


def _citizen_step(event: DossierEvent) -> Step | None:
    """What a history row means to the citizen; internal hand-overs are not shown."""
    details = event.details or {}
    note = event.note
    action = event.action
    titles = {
        Action.SUBMIT: _("Hồ sơ đã được nộp"),
        Action.RECEIVE: _("Bộ phận Một cửa đã tiếp nhận hồ sơ"),
        Action.REFUSE_INTAKE: _("Hồ sơ không được tiếp nhận"),
        Action.REQUEST_SUPPLEMENT: _("Cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ"),
        Action.SUPPLEMENT: _("Hồ sơ đã được bổ sung"),
        Action.ASSIGN: _("Hồ sơ được chuyển đến cơ quan giải quyết"),
        Action.REQUEST_PAYMENT: _("Cơ quan yêu cầu nộp phí, lệ phí"),
        Action.MARK_PAID: _("Đã xác nhận nộp phí, lệ phí"),
        Action.WITHDRAW: _("Hồ sơ đã được rút theo yêu cầu"),
        Action.STOP: _("Cơ quan dừng xử lý hồ sơ"),
        Action.APPROVE: _("Hồ sơ đã được giải quyết"),
        Action.REFUSE: _("Cơ quan từ chối giải quyết hồ sơ"),
        Action.EXTEND: _("Cơ quan xin lỗi và hẹn lại ngày trả kết quả"),
        Action.RESULT_READY: _("Đã có kết quả"),
        Action.RETURN_RESULT: _("Đã trả kết quả"),
    }
    title = titles.get(Action(action))
    if title is None:
        return None
    detail = note
    if action == Action.REQUEST_SUPPLEMENT:
        detail = "; ".join(str(item) for item in details.get("missing", []))
    elif action == Action.REQUEST_PAYMENT and isinstance(details.get("fee"), dict):
        detail = fee_sentence(details["fee"], get_language() or "vi")
    elif action == Action.REQUEST_PAYMENT and details.get("amount_vnd"):
        detail = _("Số tiền: %(amount)s") % {"amount": format_vnd(details["amount_vnd"], get_language() or "vi")}
    elif action == Action.MARK_PAID:
        receipt = details.get("receipt_number", "")
        if event.by_system:
            detail = _("Nền tảng thanh toán đã xác nhận tự động khoản thanh toán trực tuyến.")
        if receipt:
            detail = " ".join(filter(None, [detail, _("Biên lai số %(number)s.") % {"number": receipt}]))
    elif action == Action.REFUSE:
        detail = "; ".join(str(item) for item in details.get("reasons", []))
    elif action == Action.EXTEND and details.get("new_due_on"):
        new_due = datetime.date.fromisoformat(details["new_due_on"])
        detail = _("Ngày hẹn mới: %(day)s. %(apology)s") % {"day": f"{new_due:%d/%m/%Y}", "apology": note}
    elif action == Action.RETURN_RESULT and details.get("tracking_number"):
        detail = _("Số hiệu bưu gửi: %(number)s") % {"number": details["tracking_number"]}
    elif action in (Action.ASSIGN, Action.RECEIVE, Action.APPROVE, Action.RESULT_READY, Action.SUBMIT):
        detail = ""
    return Step(timezone.localtime(event.at), title, detail)


# The slips a citizen may download, once the step that issues them has happened.
_SLIPS = (
    ("receipt", Action.RECEIVE, gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")),
    ("supplement", Action.REQUEST_SUPPLEMENT, gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")),
    ("refusal", Action.REFUSE_INTAKE, gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ")),
    ("refusal", Action.REFUSE, gettext_lazy("Văn bản từ chối giải quyết hồ sơ")),
    ("apology", Action.EXTEND, gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả")),
    ("stop", Action.STOP, gettext_lazy("Thông báo dừng xử lý hồ sơ")),
    ("control", Action.RECEIVE, gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ")),
)


def _slips(dossier: Dossier, events: Sequence[DossierEvent]) -> list[dict[str, str]]:
    done = {event.action for event in events}
    found, seen = [], set()
    for kind, action, label in _SLIPS:
        if action in done and kind not in seen:
            seen.add(kind)
            found.append({"label": str(label), "url": reverse("dossiers:slip", args=[dossier.pk, kind])})
    if dossier.declaration_form_id is not None and dossier.state != State.DRAFT:
        found.insert(0, {"label": _("Tờ khai đã nộp"), "url": reverse("dossiers:slip", args=[dossier.pk, "to-khai"])})
    return found


@never_cache
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Một hồ sơ của tôi: status, timeline, slips, what is asked and the answer forms."""
    user = _citizen(request)
    if isinstance(user, HttpResponse):
        return user
    dossier = _own(request, user, pk)
    if dossier.state == State.DRAFT:
        return redirect("dossiers:draft_edit", dossier.pk)
    return _detail(request, user, dossier)


def _detail(
    request: HttpRequest, user: Any, dossier: Dossier, errors: Mapping[str, str] | None = None, status: int = 200
) -> HttpResponse:
    events = citizen_timeline(dossier=dossier)
    asked = citizen_requests(dossiers=[dossier]).get(dossier.pk)
    documents = _uploaded_documents(dossier)
    errors = dict(errors or {})
    return render(
        request,
        "dossiers/citizen/detail.html",
        {
            "dossier": dossier,
            "files": dossier_files(dossier),
            "steps": [step for step in (_citizen_step(e) for e in events) if step is not None],
            "slips": _slips(dossier, events),
            "asked": asked,
            "owed": fee_desk().owed(dossier),
            "can_supplement": dossier.state == State.SUPPLEMENT_REQUESTED,
            "can_withdraw": dossier.state in OPEN_STATES,
            "waiting": dossier.state in WAITING_STATES,
            "supplement_slots": [
                {"document": doc, "name": slot_name(doc), "error": errors.get(slot_name(doc), "")} for doc in documents
            ],
            "errors": errors,
            "remaining": _remaining(dossier),
            "links": citizen_links([dossier], user).get(dossier.pk, []),
        },
        status=status,
    )


def _uploaded_documents(dossier: Dossier) -> list[RequiredDocument]:
    """The procedure's documents a citizen may upload (not those only shown in person)."""
    documents = RequiredDocument.objects.filter(version=dossier.procedure_version, presented_only=False)
    return list(documents.order_by("position", "id"))


def _remaining(dossier: Dossier) -> int | None:
    if dossier.due_on is None or dossier.state not in OPEN_STATES or dossier.state in WAITING_STATES:
        return None
    return remaining_working_days(dossier.due_on, timezone.localdate(), work_calendar())


@require_POST
def supplement(request: HttpRequest, pk: int) -> HttpResponse:
    """Bổ sung hồ sơ trực tuyến: the missing documents uploaded, with a note; the clock runs
    again."""
    user = _citizen(request)
    if isinstance(user, HttpResponse):
        return user
    dossier = _own(request, user, pk)
    documents = _uploaded_documents(dossier)
    kept: dict[int, StoredUpload] = {}
    errors = _store_uploads(request, user, documents, kept)
    note = request.POST.get("note", "").strip()[:2000]
    if not errors and not kept and not note:
        errors["__all__"] = _("Cần tải lên ít nhất một giấy tờ hoặc ghi nội dung bổ sung.")
    if errors:
        return _detail(request, user, dossier, errors, status=422)
    try:
        with transaction.atomic():
            updated = services.dossier_supplement(
                actor=user,
                dossier=dossier,
                documents=electronic(list(kept)),
                note=note,
                attachments=[{"stored_file": u.stored_file_id, "name": u.name} for u in kept.values()],
            )
            attach(dossier=updated, uploads=kept.values(), user=user, purpose="supplement")
    except DossierError as error:
        return _detail(request, user, dossier, {"__all__": error.message}, status=409)
    messages.success(request, _("Đã gửi hồ sơ bổ sung. Cơ quan giải quyết sẽ tiếp tục xử lý hồ sơ của bạn."))
    return redirect("dossiers:detail", dossier.pk)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Rút hồ sơ, after the citizen confirms."""
    user = _citizen(request)
    if isinstance(user, HttpResponse):
        return user
    dossier = _own(request, user, pk)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = _("Hãy đánh dấu xác nhận bạn muốn rút hồ sơ.")
        else:
            try:
                services.dossier_withdraw(actor=user, dossier=dossier, reason=request.POST.get("reason", "")[:1000])
            except DossierError as refused:
                error = refused.message
            else:
                messages.success(request, _("Đã rút hồ sơ. Cơ quan giải quyết sẽ không xử lý hồ sơ này nữa."))
                return redirect("dossiers:detail", dossier.pk)
    return render(
        request,
        "dossiers/citizen/withdraw.html",
        {"dossier": dossier, "error": error, "can_withdraw": dossier.state in OPEN_STATES},
        status=422 if error else 200,
    )
