"""Feedback pages. Public: the form (signed in or not), its receipt, tracking by code and check
digits, and the published answers. Officers (/can-bo/phan-anh/): the queue of their agencies, the
item's page with its actions, the hotline call log and paper forms with a quick look-up of the
caller's dossier. Thin over ``forms``, ``selectors`` and ``services``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.officer_services import is_officer, is_verified_officer
from catalog.models import Procedure
from common.http import client_ip
from common.ratelimit import hit, parse_rate, too_many_requests
from org.permissions import get_scoped_or_404, has_capability

from . import rules, selectors, services
from .errors import FeedbackError, FeedbackInvalid
from .forms import ActionForm, DossierLookupForm, IntakeForm, PublicForm, SenderFields, seconds_since_shown, shown_token
from .models import FeedbackItem
from .rules import Action, Channel

log = logging.getLogger(__name__)
View = Callable[..., HttpResponse]
PAGE_SIZE = 20
FAQ_SIZE = 5
_RECEIPT = "feedback.receipt"

# Field names of the services' problems → the form's fields.
_FIELDS = {
    "sender.name": "ho_ten",
    "sender.address": "dia_chi",
    "sender.phone": "dien_thoai",
    "sender.email": "email",
    "sender.reply_by": "tra_loi_qua",
    "subject": "tieu_de",
    "content": "noi_dung",
    "topic": "linh_vuc",
    "attachments": "tep",
    "note": "ghi_chu",
    "text": "tra_loi",
    "pdf": "van_ban",
    "agency": "co_quan",
    "question": "hoi_cong_khai",
    "answer": "tra_loi_cong_khai",
}


def _add_errors(form: Any, error: FeedbackInvalid) -> None:
    for key, message in error.errors.items():
        field = _FIELDS.get(key.split(".")[0] if key.startswith("attachments") else key)
        form.add_error(field if field in form.fields else None, message)


def _limited(request: HttpRequest, scope: str, key: str, setting: str) -> HttpResponse | None:
    if not settings.RATE_LIMIT_ENABLED:
        return None
    retry_after = hit(scope, key, parse_rate(getattr(settings, setting)))
    return too_many_requests(request, retry_after) if retry_after is not None else None


def _submission(form: SenderFields, request: HttpRequest, channel: str, dossier: Any) -> services.Submission:
    data = form.cleaned_data
    return services.Submission(
        channel=channel,
        sender=form.sender(),
        subject=data["tieu_de"],
        content=data["noi_dung"],
        topic=data.get("linh_vuc") or rules.Topic.OTHER,
        procedure=data.get("thu_tuc"),
        named_agency=data.get("co_quan"),
        dossier=dossier,
        sender_user=request.user if channel == Channel.WEB and request.user.is_authenticated else None,
        language=translation.get_language() or "vi",
        uploads=[services.Upload(data=f, name=f.name) for f in data.get("tep") or []],
    )


def _dossier_of(form: SenderFields, user: Any) -> tuple[Any, bool]:
    """The dossier the sender named, checked against its applicant; (None, False) when it does not
    match, told the same way whether the code exists or not."""
    code = (form.cleaned_data.get("ma_ho_so") or "").strip()
    if not code:
        return None, True
    dossier = selectors.checked_dossier(code=code, check=form.cleaned_data.get("so_kiem_tra") or "", user=user)
    if dossier is None:
        form.add_error(
            "ma_ho_so",
            _("Mã hồ sơ và 4 số kiểm tra không khớp với hồ sơ nào của bạn. Kiểm tra lại, hoặc để trống hai ô này."),
        )
        return None, False
    return dossier, True


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def send(request: HttpRequest) -> HttpResponse:
    """Gửi phản ánh, kiến nghị: anyone, signed in or not. Signed in with VNeID, the name, phone
    and e-mail are filled in from the account."""
    user: Any = request.user
    if request.method == "POST":
        limited = _limited(request, "feedback-address", client_ip(request) or "?", "RATE_LIMIT_FEEDBACK_ADDRESS")
        if limited is not None:
            return limited
        form = PublicForm(request.POST, request.FILES)
        automated = rules.looks_automated(
            honeypot=request.POST.get("trang_web", ""),
            seconds_to_fill=seconds_since_shown(request.POST.get("hien_thi", "")),
        )
        if form.is_valid():
            phone = rules.normalize_phone(form.cleaned_data["dien_thoai"])
            limited = _limited(request, "feedback-phone", phone, "RATE_LIMIT_FEEDBACK_PHONE")
            if limited is not None:
                return limited
            if automated:
                # Told as a slip of the hand, so that a person who was quick can simply send again.
                log.info("Feedback form refused as automated.")
                form.add_error(None, _("Biểu mẫu được gửi quá nhanh. Vui lòng kiểm tra lại và bấm Gửi một lần nữa."))
            else:
                dossier, ok = _dossier_of(form, user)
                if ok:
                    try:
                        item = services.feedback_submit(
                            submission=_submission(form, request, Channel.WEB, dossier),
                            actor=user if user.is_authenticated else None,
                        )
                    except FeedbackInvalid as error:
                        _add_errors(form, error)
                    else:
                        request.session[_RECEIPT] = item.pk
                        return redirect("feedback:sent")
        data = request.POST.copy()
        data["hien_thi"] = shown_token()
        form.data = data
    else:
        initial: dict[str, Any] = {"hien_thi": shown_token(), "thu_tuc": request.GET.get("thu-tuc", "")[:40]}
        if user.is_authenticated and not is_officer(user):
            initial.update(ho_ten=user.full_name, dien_thoai=user.phone, email=user.email)
        form = PublicForm(initial=initial)
    return render(request, "feedback/send.html", {"form": form, "content_max": rules.CONTENT_MAX})


@never_cache
def sent(request: HttpRequest) -> HttpResponse:
    """The receipt: the code to track it by. Read from the session, never from the URL."""
    pk = request.session.get(_RECEIPT)
    item = FeedbackItem.objects.filter(pk=pk).only("code", "answer_by", "received_at").first() if pk else None
    if item is None:
        return redirect("feedback:send")
    return render(request, "feedback/sent.html", {"item": item})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Tra cứu phản ánh by its code and the last four digits of the sender's phone (sent by POST)."""
    answer, not_found = None, False
    if request.method == "POST":
        answer = selectors.feedback_track(
            code=request.POST.get("ma", "")[:20], check=request.POST.get("so_kiem_tra", "")[:4]
        )
        not_found = answer is None
    return render(
        request,
        "feedback/track.html",
        {"answer": answer, "not_found": not_found, "code": request.POST.get("ma", request.GET.get("ma", ""))[:20]},
    )


@require_http_methods(["GET", "HEAD"])
def answers(request: HttpRequest) -> HttpResponse:
    """Hỏi đáp: the published answers, searchable however the words are typed."""
    query = request.GET.get("q", "")[:200]
    procedure = Procedure.objects.filter(code=request.GET.get("thu-tuc", "")[:40]).only("id", "code").first()
    found = selectors.search_answers(query=query, procedure_id=procedure.pk if procedure is not None else None)
    page = CountedAtMost(found.items, PAGE_SIZE, counted=found.count).get_page(request.GET.get("trang"))
    context = {"page": page, "query": query, "procedure": procedure, "at_most": rules.COUNT_AT_MOST}
    return render(request, "feedback/answers.html", context)


class CountedAtMost(Paginator):
    """Pages of a search counted up to ``rules.COUNT_AT_MOST`` + 1 ("more than 1.000"): counting
    every answer of a common word would cost more than finding the newest ones."""

    def __init__(self, object_list: Any, per_page: int, *, counted: int) -> None:
        super().__init__(object_list, per_page)
        self.counted = counted

    @cached_property
    def count(self) -> int:
        return self.counted


@require_http_methods(["GET", "HEAD"])
def procedure_faq(request: HttpRequest, code: str) -> HttpResponse:
    """Câu hỏi thường gặp of one procedure: a panel its catalog page loads after itself."""
    procedure = Procedure.objects.filter(code=code[:40]).only("id", "code").first()
    found = list(selectors.public_search(procedure_id=procedure.pk)[:FAQ_SIZE]) if procedure is not None else []
    return render(request, "feedback/_faq.html", {"items": found, "code": code[:40]})


@require_http_methods(["GET", "HEAD"])
def answer(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(selectors.published().select_related("answered_by_agency", "procedure"), code=code)
    return render(request, "feedback/answer.html", {"item": item})


# --- Officers --------------------------------------------------------------------------------------


def officer_required(view: View) -> View:
    """Officers who passed both sign-in steps and handle feedback somewhere; a citizen is answered
    as if the page did not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if user.is_authenticated and not is_officer(user):
            raise Http404
        if not is_verified_officer(user):
            return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
        if not has_capability(user, selectors.CAPABILITY):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


TABS = (
    ("overdue", "Quá hạn"),
    ("today", "Đến hạn hôm nay"),
    ("open", "Đang mở"),
    ("answered", "Chờ công khai"),
    ("closed", "Đã kết thúc"),
)


@never_cache
@officer_required
def queue(request: HttpRequest) -> HttpResponse:
    """Phản ánh cần xử lý: the items of the officer's agencies, overdue and due today first."""
    bucket = request.GET.get("hang-doi", "open")
    if bucket not in selectors.BUCKETS:
        bucket = "open"
    today = timezone.localdate()
    counts = selectors.queue_counts(request.user, today=today)
    page = Paginator(selectors.queue(request.user, bucket, today=today), PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [(item, selectors.due_of(item), rules.queue_bucket(selectors.due_of(item), today)) for item in page]
    tabs = [(key, _(label), counts[key], key == bucket) for key, label in TABS]
    return render(request, "feedback/officer/queue.html", {"page": page, "rows": rows, "tabs": tabs, "bucket": bucket})


def _officer_item(request: HttpRequest, pk: int) -> FeedbackItem:
    items = FeedbackItem.objects.select_related("agency", "procedure", "named_agency", "dossier", "duplicate_of")
    return get_scoped_or_404(items, request.user, agency_field="agency", capability=selectors.CAPABILITY, pk=pk)


@never_cache
@officer_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _officer_item(request, pk)
    actions = rules.allowed_actions(item.state, [rules.HANDLER])
    form = ActionForm(
        initial={
            "version": item.version,
            "linh_vuc": item.topic,
            "tieu_de_cong_khai": item.public_subject,
            "hoi_cong_khai": item.public_question,
            "tra_loi_cong_khai": item.public_answer,
        }
    )
    return render(
        request,
        "feedback/officer/item.html",
        {
            "item": item,
            "actions": actions,
            "form": form,
            "history": selectors.item_history(item),
            "due": selectors.due_of(item),
            "attachments": item.attachments.all(),
        },
    )


@require_POST
@officer_required
def item_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = _officer_item(request, pk)
    try:
        chosen = Action(action)
    except ValueError as missing:
        raise Http404 from missing
    form = ActionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Thông tin chưa hợp lệ."))
        return redirect("feedback:officer_item", pk=item.pk)
    data = form.cleaned_data
    item.version = data["version"]
    user = request.user
    note = data.get("ghi_chu") or ""
    try:
        if chosen == Action.CLASSIFY:
            services.feedback_classify(actor=user, item=item, topic=data.get("linh_vuc") or item.topic)
        elif chosen == Action.REFUSE:
            services.feedback_refuse(actor=user, item=item, reason=note)
        elif chosen == Action.FORWARD:
            if data.get("co_quan") is None:
                raise FeedbackInvalid({"agency": _("Chọn cơ quan có thẩm quyền.")})
            services.feedback_forward(actor=user, item=item, agency=data["co_quan"], note=note)
        elif chosen == Action.HANDLE:
            services.feedback_take(actor=user, item=item)
        elif chosen == Action.ANSWER:
            pdf = data.get("van_ban")
            upload = services.Upload(data=pdf, name=pdf.name) if pdf else None
            services.feedback_answer(actor=user, item=item, text=data.get("tra_loi") or "", pdf=upload)
        elif chosen == Action.PUBLISH:
            services.feedback_publish(
                actor=user,
                item=item,
                subject=data.get("tieu_de_cong_khai") or "",
                question=data.get("hoi_cong_khai") or "",
                answer=data.get("tra_loi_cong_khai") or "",
            )
        elif chosen == Action.ARCHIVE:
            services.feedback_archive(actor=user, item=item)
        else:
            services.feedback_reopen(actor=user, item=item, reason=note)
    except FeedbackInvalid as error:
        messages.error(request, " ".join([error.message, *error.errors.values()]))
    except FeedbackError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": chosen.label})
    return redirect("feedback:officer_item", pk=item.pk)


@never_cache
@officer_required
def intake(request: HttpRequest) -> HttpResponse:
    """Ghi nhận cuộc gọi đường dây nóng, or type in a paper form received at the counter."""
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES)
        if form.is_valid():
            dossier, ok = _dossier_of(form, None)
            if ok:
                data = form.cleaned_data
                submission = _submission(form, request, data["kenh"], dossier)
                minutes = data.get("thoi_luong")
                if data["kenh"] == Channel.HOTLINE:
                    submission = services.Submission(
                        **{
                            **submission.__dict__,
                            "call_started_at": data.get("bat_dau") or timezone.now(),
                            "call_seconds": minutes * 60 if minutes is not None else None,
                        }
                    )
                try:
                    item = services.feedback_submit(submission=submission, actor=request.user)
                except FeedbackInvalid as error:
                    _add_errors(form, error)
                else:
                    messages.success(request, _("Đã ghi nhận phản ánh %(code)s.") % {"code": item.code})
                    return redirect("feedback:officer_item", pk=item.pk)
    else:
        form = IntakeForm(initial={"bat_dau": timezone.localtime().replace(second=0, microsecond=0)})
    return render(request, "feedback/officer/intake.html", {"form": form, "lookup": DossierLookupForm()})


@never_cache
@require_POST
@officer_required
def dossier_lookup(request: HttpRequest) -> HttpResponse:
    """Tra nhanh hồ sơ of a caller by code and check digits, while on the phone (an htmx fragment):
    the status and dates only, as the public tracking shows them."""
    form = DossierLookupForm(request.POST)
    found = None
    if form.is_valid():
        found = selectors.dossier_status(code=form.cleaned_data["ma_ho_so"], check=form.cleaned_data["so_kiem_tra"])
    return render(request, "feedback/officer/_lookup.html", {"found": found, "asked": form.is_valid()})
