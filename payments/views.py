"""Payment pages: the citizen's payment page (fees explained, choice of gateway), the return
pages of both gateways, the receipt download, the counter officer's page to record cash or a
bank transfer, and the officers' reconciliation of a gateway's statement. Thin over
``payments.services`` and ``payments.selectors``."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.officer_services import is_officer, is_verified_officer
from common.http import client_ip
from dossiers.models import Dossier
from org.permissions import get_scoped_or_404, owned_or_404

from . import rules
from .gateways import Paygov, PaygovError, Vnpay
from .models import BeneficiaryGroup, Method, MismatchKind, Payment, Source
from .models import State as PaymentState
from .receipts import receipt_pdf
from .selectors import (
    dossier_assessment,
    dossier_payments,
    exemptions_for,
    is_payable,
    paid_payment,
    recent_reconciliations,
    reconciling_agencies,
)
from .services import (
    Outcome,
    PaymentRefused,
    payment_apply_callback,
    payment_fail_to_send,
    payment_mark_pending,
    payment_reconcile,
    payment_record_counter,
    payment_start,
)

DOSSIERS = Dossier.objects.select_related(
    "procedure_version", "procedure_version__procedure", "receiving_unit", "processing_agency"
)


def _client_ip(request: HttpRequest) -> str:
    return client_ip(request) or "127.0.0.1"


def _standin_url(request: HttpRequest, name: str) -> str:
    """The local stand-in's address on this host (development and tests only)."""
    try:
        return request.build_absolute_uri(reverse(name))
    except NoReverseMatch:
        return ""


# --- The citizen's payment page -------------------------------------------------------------------


GATEWAYS = [
    (Method.PAYGOV, gettext_lazy("Nền tảng thanh toán của Cổng Dịch vụ công quốc gia"), "PAYMENT_PAYGOV_URL"),
    (Method.VNPAY, gettext_lazy("VNPay (thẻ ATM, ví điện tử, QR ngân hàng)"), "PAYMENT_VNPAY_URL"),
]


def offered_gateways() -> list[tuple[str, Any]]:
    """The gateways configured (their address set), or served by the local stand-in."""
    standin = apps.is_installed("payments.standin")
    return [(method, label) for method, label, url in GATEWAYS if standin or getattr(settings, url)]


class GatewayForm(forms.Form):
    gateway = forms.ChoiceField(label=gettext_lazy("Thanh toán qua"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = offered_gateways()
        field = self.fields["gateway"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        field.initial = choices[0][0] if choices else None


def _send_to_gateway(request: HttpRequest, payment: Payment) -> HttpResponse:
    now = timezone.now()
    description = _("Nộp phí, lệ phí hồ sơ %(code)s") % {"code": payment.dossier.code or f"#{payment.dossier_id}"}
    if payment.method == Method.VNPAY:
        url = Vnpay.from_settings(_standin_url(request, "paystandin:vnpay")).payment_url(
            reference=payment.reference,
            amount_vnd=payment.amount_vnd,
            order_info=description,
            return_url=request.build_absolute_uri(reverse("payments:vnpay_return")),
            ip=_client_ip(request),
            created=now,
            expires=payment.expires_at or now,
            locale="vn" if (get_language() or "vi").startswith("vi") else "en",
        )
    else:
        try:
            url = Paygov.from_settings(_standin_url(request, "paystandin:paygov_api")).init(
                reference=payment.reference,
                amount_vnd=payment.amount_vnd,
                description=description,
                return_url=request.build_absolute_uri(reverse("payments:paygov_return")),
                ip=_client_ip(request),
                now=now,
                language=get_language() or "vi",
            )
        except (PaygovError, OSError, ValueError, KeyError) as error:
            payment_fail_to_send(payment=payment, reason=str(error)[:300])
            return HttpResponseRedirect(reverse("payments:pay", args=[payment.dossier_id]) + "?loi=cong-thanh-toan")
    payment_mark_pending(payment=payment)
    return HttpResponseRedirect(url)


@never_cache
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    """Thanh toán phí, lệ phí: the fee explained line by line, then the choice of gateway."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    dossier = owned_or_404(DOSSIERS, user, owner_field="applicant", pk=pk)
    form = GatewayForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            payment = payment_start(
                actor=user,
                dossier=dossier,
                method=form.cleaned_data["gateway"],
                expiry_minutes=settings.PAYMENT_EXPIRY_MINUTES,
            )
        except PaymentRefused as refused:
            error = refused.message
        else:
            return _send_to_gateway(request, payment)
    if request.GET.get("loi") == "cong-thanh-toan":
        error = _("Cổng thanh toán chưa nhận được giao dịch. Vui lòng thử lại hoặc chọn cổng thanh toán khác.")
    paid = paid_payment(dossier)
    assessment = dossier_assessment(dossier)
    context = {
        "dossier": dossier,
        "assessment": assessment,
        "exemptions": exemptions_for(dossier),
        "payable": is_payable(dossier) and assessment.total_vnd > 0,
        "online": bool(offered_gateways()),
        "paid": paid,
        "payments": list(dossier_payments(dossier)[:10]),
        "form": form,
        "error": error,
    }
    return render(request, "payments/pay.html", context, status=400 if error and request.method == "POST" else 200)


# --- Back from the gateways -------------------------------------------------------------------------


def _result_page(request: HttpRequest, method: str, callback: Any) -> HttpResponse:
    if callback is None:
        return render(
            request,
            "payments/result.html",
            {"invalid": True},
            status=400,
        )
    outcome = payment_apply_callback(method=method, callback=callback, source=Source.RETURN)
    payment = (
        Payment.objects.select_related("dossier", "receipt")
        .filter(reference=callback.reference[:40], method=method)
        .first()
    )
    user: Any = request.user
    mine = payment is not None and user.is_authenticated and payment.dossier.applicant_id == user.pk
    return render(
        request,
        "payments/result.html",
        {
            "payment": payment if mine else None,
            "paid": payment is not None and payment.state == PaymentState.PAID,
            "success": callback.success and outcome in (Outcome.PAID, Outcome.ALREADY),
            "cancelled": callback.cancelled,
            "late": outcome is Outcome.LATE_PAID or (payment is not None and payment.needs_refund),
            "invalid": outcome in (Outcome.NOT_FOUND, Outcome.WRONG_AMOUNT),
        },
        status=400 if outcome in (Outcome.NOT_FOUND, Outcome.WRONG_AMOUNT) else 200,
    )


@never_cache
@require_GET
def vnpay_return(request: HttpRequest) -> HttpResponse:
    """Where VNPay sends the citizen back: the signature is checked again; a verified "paid"
    counts even if the IPN has not arrived yet (either one, first, makes the payment paid)."""
    params = {key: request.GET.get(key, "") for key in request.GET}
    return _result_page(request, Method.VNPAY, Vnpay.from_settings().read(params))


@never_cache
@require_GET
def paygov_return(request: HttpRequest) -> HttpResponse:
    """Where the national payment platform sends the citizen back (a signed RESULT message)."""
    message = {key: request.GET.get(key, "") for key in request.GET}
    return _result_page(request, Method.PAYGOV, Paygov.from_settings().read(message))


# --- Receipts --------------------------------------------------------------------------------------


@require_GET
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """Biên lai of a paid payment as PDF: the citizen who owns the dossier, or officers of its
    agency."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    payments = Payment.objects.select_related(
        "receipt",
        "dossier",
        "dossier__procedure_version",
        "dossier__receiving_unit__administrative_unit",
        "dossier__processing_agency",
    ).filter(receipt__isnull=False)
    if is_officer(user):
        if not is_verified_officer(user):
            return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
        payment = get_scoped_or_404(
            payments, user, agency_field="dossier__processing_agency", capability="dossier.view", pk=pk
        )
    else:
        payment = owned_or_404(payments, user, owner_field="dossier__applicant", pk=pk)
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.receipt.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- At the counter -----------------------------------------------------------------------------------


class CounterForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Hình thức"),
        choices=[(Method.CASH, Method.CASH.label), (Method.BANK_TRANSFER, Method.BANK_TRANSFER.label)],
        widget=forms.RadioSelect,
        initial=Method.CASH,
    )
    group = forms.ChoiceField(
        label=gettext_lazy("Đối tượng được miễn (đã xem giấy tờ chứng minh)"),
        choices=[("", gettext_lazy("Không thuộc đối tượng miễn")), *BeneficiaryGroup.choices],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Số hiệu giao dịch chuyển khoản, ghi chú"), max_length=300, required=False
    )


@never_cache
@require_http_methods(["GET", "POST"])
def counter_payment(request: HttpRequest, pk: int) -> HttpResponse:
    """Thu phí tại Bộ phận Một cửa: cash or a bank transfer, recorded by a counter officer of the
    dossier's agency."""
    user: Any = request.user
    if user.is_authenticated and not is_officer(user):
        raise Http404
    if not is_verified_officer(user):
        return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
    dossier = get_scoped_or_404(DOSSIERS, user, agency_field="processing_agency", capability="dossier.receive", pk=pk)
    form = CounterForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            payment_record_counter(
                actor=user,
                dossier=dossier,
                method=form.cleaned_data["method"],
                group=form.cleaned_data["group"],
                note=form.cleaned_data["note"],
            )
        except PaymentRefused as refused:
            error = refused.message
        else:
            return redirect("payments:counter_payment", pk=dossier.pk)
    group = request.GET.get("doi-tuong", "") if request.method == "GET" else form.data.get("group", "")
    if group not in BeneficiaryGroup.values:
        group = ""
    context = {
        "dossier": dossier,
        "assessment": dossier_assessment(dossier, group=group),
        "exemptions": exemptions_for(dossier),
        "payable": is_payable(dossier),
        "paid": paid_payment(dossier),
        "payments": list(dossier_payments(dossier).prefetch_related("events")[:10]),
        "form": form,
        "error": error,
    }
    status = 400 if request.method == "POST" and (error or not form.is_valid()) else 200
    return render(request, "payments/counter.html", context, status=status)


# --- Reconciliation -------------------------------------------------------------------------------------

STATEMENT_MAX_BYTES = 2 * 1024 * 1024
BAD_LINES_SHOWN = 5


class StatementForm(forms.Form):
    """Đối soát: the gateway, the day and its statement (CSV, UTF-8 with or without BOM, a header
    with ``reference,gateway_number,amount_vnd,status``). A statement with any unreadable line is
    refused whole: a reconciliation that skipped lines could hide a mismatch."""

    gateway = forms.ChoiceField(
        label=gettext_lazy("Cổng thanh toán"),
        choices=[(Method.VNPAY, Method.VNPAY.label), (Method.PAYGOV, Method.PAYGOV.label)],
        widget=forms.RadioSelect,
        initial=Method.VNPAY,
    )
    day = forms.DateField(
        label=gettext_lazy("Ngày giao dịch"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Nhập ngày theo dạng ngày/tháng/năm.")},
    )
    statement = forms.FileField(
        label=gettext_lazy("Tệp sao kê (CSV)"),
        help_text=gettext_lazy(
            "Tệp CSV mã hóa UTF-8, dòng đầu gồm các cột reference, gateway_number, amount_vnd, status; tối đa 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv", "aria-describedby": "statement-hint"}),
        error_messages={
            "required": gettext_lazy("Chọn tệp sao kê (CSV) của cổng thanh toán."),
            "empty": gettext_lazy("Tệp sao kê trống."),
        },
    )

    def clean_day(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày giao dịch không được sau hôm nay."))
        return day

    def clean_statement(self) -> Any:
        upload = self.cleaned_data["statement"]
        if upload.size > STATEMENT_MAX_BYTES:
            raise forms.ValidationError(_("Tệp sao kê lớn hơn 2 MB. Hãy tải sao kê của từng ngày."))
        data = upload.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("Tệp sao kê phải là văn bản CSV mã hóa UTF-8 (có hoặc không có BOM). Hãy lưu lại tệp với mã UTF-8.")
            ) from None
        statement = rules.read_statement(text)
        header = next((p for p in statement.problems if p.missing), None)
        if header is not None:
            raise forms.ValidationError(
                _("Dòng đầu của tệp sao kê thiếu cột: %(columns)s. Cần đủ các cột %(required)s.")
                % {"columns": ", ".join(header.missing), "required": ", ".join(rules.STATEMENT_COLUMNS)}
            )
        if statement.problems:
            lines = ", ".join(str(p.line) for p in statement.problems[:BAD_LINES_SHOWN])
            more = len(statement.problems) - BAD_LINES_SHOWN
            message = _(
                "Không đọc được dòng %(lines)s của tệp sao kê: thiếu mã tham chiếu, hoặc số tiền không phải số "
                "nguyên. Chưa đối soát; hãy sửa tệp rồi tải lên lại."
            ) % {"lines": lines + (_(" và %(n)d dòng khác") % {"n": more} if more > 0 else "")}
            raise forms.ValidationError(message)
        self.statement_read = statement
        self.statement_sha256 = hashlib.sha256(data).hexdigest()
        return upload


@never_cache
@require_http_methods(["GET", "POST"])
def reconcile(request: HttpRequest) -> HttpResponse:
    """Đối soát giao dịch: a counter officer or a leader uploads a gateway's statement for a day
    and sees every mismatch with the payments of their agencies (missing on either side, a
    different amount, a different state). Each run is recorded (who, when, what was found)."""
    user: Any = request.user
    if user.is_authenticated and not is_officer(user):
        raise Http404
    if not is_verified_officer(user):
        return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
    agencies = list(reconciling_agencies(user).order_by("name"))
    if not agencies:
        raise Http404(_("Chỉ cán bộ Bộ phận Một cửa và lãnh đạo cơ quan được đối soát thanh toán."))
    form = StatementForm(request.POST or None, request.FILES or None)
    run = result = None
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            run, result = payment_reconcile(
                actor=user,
                method=form.cleaned_data["gateway"],
                day=form.cleaned_data["day"],
                statement=form.statement_read,
                file_name=form.cleaned_data["statement"].name,
                file_sha256=form.statement_sha256,
            )
        except PaymentRefused as refused:
            error = refused.message
    context = {
        "form": form,
        "agencies": agencies,
        "run": run,
        "result": result,
        "kinds": [(kind, kind.label, result.count(kind) if result else 0) for kind in MismatchKind],
        "error": error,
        "recent": recent_reconciliations(user),
    }
    status = 400 if request.method == "POST" and (error or not form.is_valid()) else 200
    return render(request, "payments/reconcile.html", context, status=status)
