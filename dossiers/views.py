"""Dossier pages: the public tracking page (tra cứu hồ sơ), the official slips as PDF for the
people allowed to read them, and a one-stop unit's log book for its officers. Thin over
``dossiers.selectors`` and ``dossiers.slips``."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.officer_services import is_officer, is_verified_officer
from org.models import OneStopUnit
from org.permissions import get_scoped_or_404, owned_or_404, scope
from workdays.rules import remaining_working_days
from workdays.selectors import work_calendar

from . import slips
from .models import Dossier, DossierSlip
from .rules import OPEN_STATES, WAITING_STATES
from .selectors import TrackingView
from .slips.store import KIND_ACTIONS, slip_content, slip_store
from .tracking import TrackingLocked, dossier_track_guarded

# --- Tra cứu hồ sơ ------------------------------------------------------------------------------


class TrackForm(forms.Form):
    ma = forms.CharField(
        label=gettext_lazy("Mã hồ sơ"),
        max_length=80,
        help_text=gettext_lazy("In trên giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ 000.00.01.H41-251103-0001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    so_kiem_tra = forms.CharField(
        label=gettext_lazy("4 số cuối của số định danh cá nhân hoặc số điện thoại của người nộp"),
        min_length=4,
        max_length=4,
        help_text=gettext_lazy("Để bảo vệ thông tin của bạn, chỉ người biết 4 số này mới xem được tình trạng hồ sơ."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "autocomplete": "off", "size": "6"}
        ),
    )

    def clean_ma(self) -> str:
        return str(self.cleaned_data["ma"]).strip().upper()

    def clean_so_kiem_tra(self) -> str:
        value = str(self.cleaned_data["so_kiem_tra"]).strip()
        if not value.isascii() or not value.isdigit():
            raise forms.ValidationError(_("Nhập đúng 4 chữ số."))
        return value


def _answer(view: TrackingView, today: datetime.date) -> dict[str, Any]:
    """What the page shows of a found dossier: status and dates, never the applicant."""
    remaining = None
    waiting = view.status in WAITING_STATES
    if view.due_date is not None and view.status in OPEN_STATES and not waiting and view.finished_at is None:
        remaining = remaining_working_days(view.due_date, today, work_calendar())
    return {
        "code": view.code,
        "procedure": view.procedure,
        "status": view.status,
        "status_label": view.status.label,
        "national_status": view.national_status,
        "received_on": timezone.localtime(view.received_at).date() if view.received_at else None,
        "due_date": view.due_date,
        "finished_on": timezone.localtime(view.finished_at).date() if view.finished_at else None,
        "remaining": remaining,
        "overdue": remaining is not None and remaining < 0,
        "overdue_days": -remaining if remaining is not None and remaining < 0 else 0,
        "waiting": waiting,
        "history": [{"label": state.label, "at": timezone.localtime(at)} for state, at in view.history],
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Tra cứu hồ sơ. GET shows the form (``?ma=`` fills in the code: the slips' QR codes open
    this); POST looks the dossier up. An unknown code and wrong check digits get the same answer."""
    answer = None
    not_found = False
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            try:
                view = dossier_track_guarded(code=form.cleaned_data["ma"], check=form.cleaned_data["so_kiem_tra"])
            except TrackingLocked as locked:
                minutes = math.ceil(locked.retry_after / 60)
                form.add_error(
                    None,
                    _(
                        "Số kiểm tra của mã hồ sơ này đã bị nhập sai quá nhiều lần. "
                        "Vui lòng thử lại sau %(minutes)d phút."
                    )
                    % {"minutes": minutes},
                )
                response = render(request, "dossiers/track.html", {"form": form}, status=429)
                response["Retry-After"] = str(locked.retry_after)
                return response
            if view is None:
                not_found = True
            else:
                answer = _answer(view, timezone.localdate())
    else:
        form = TrackForm(initial={"ma": request.GET.get("ma", "").strip()[:80]})
    return render(request, "dossiers/track.html", {"form": form, "answer": answer, "not_found": not_found})


# --- Slips --------------------------------------------------------------------------------------

# Made on demand from the history as it is now; the slips issued at a transition are stored
# with the dossier instead (``slips.store``) and reprinted from the stored copy.
ON_DEMAND: dict[str, Callable[..., bytes]] = {"control": slips.control_sheet, "to-khai": slips.declaration_form}

# An officer reads the slips of the dossiers their agencies process or receive.
SLIP_CAPABILITY = "dossier.view"


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _slip_dossier(request: HttpRequest, pk: int) -> Dossier | HttpResponse:
    """The dossier if the user may read its slips; a sign-in redirect for anonymous visitors and
    officers whose second step is missing; 404 for anybody else."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    dossiers = Dossier.objects.select_related(
        "procedure_version", "procedure_version__procedure", "receiving_unit", "processing_agency"
    )
    if is_officer(user):
        if not is_verified_officer(user):
            return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
        # The processing agency's officers, then the officers of the one-stop unit that received it.
        try:
            return get_scoped_or_404(
                dossiers, user, agency_field="processing_agency", capability=SLIP_CAPABILITY, pk=pk
            )
        except Http404:
            return get_scoped_or_404(
                dossiers, user, agency_field="receiving_unit__served_agencies", capability=SLIP_CAPABILITY, pk=pk
            )
    return owned_or_404(dossiers, user, owner_field="applicant", pk=pk)


def _stored(dossier: Dossier, kind: str, wanted: str | None) -> DossierSlip:
    """The issued slip to reprint: the one asked for (``?ban=<id>``, of this dossier), else the
    latest of its kind; one issued before the worker stored it is stored now."""
    issued = DossierSlip.objects.filter(dossier=dossier, kind=kind)
    if wanted is not None:
        found = issued.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if found is None:
            raise Http404(_("Không có phiếu này."))
        return found
    latest = issued.order_by("-created_at", "-id").first()
    event = dossier.events.filter(action=KIND_ACTIONS[kind]).order_by("-at", "-id").first()
    if event is None:
        raise Http404(_("Hồ sơ chưa có phiếu này."))
    if latest is not None and latest.event_id == event.pk:
        return latest
    return slip_store(event=event)


@require_GET
def slip(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One official slip of a dossier as PDF, shown in the browser (``<code>-<kind>.pdf``): an
    issued slip from its stored copy, the control sheet made now."""
    found = _slip_dossier(request, pk)
    if isinstance(found, HttpResponse):
        return found
    name = found.code or f"ho-so-{found.pk}"
    if kind in KIND_ACTIONS:
        stored = _stored(found, kind, request.GET.get("ban"))
        return _pdf(slip_content(stored), f"{name}-{kind}.pdf")
    make = ON_DEMAND.get(kind)
    if make is None:
        raise Http404(_("Không có loại phiếu này."))
    try:
        content = make(found)
    except slips.SlipUnavailable as error:
        raise Http404(_("Hồ sơ chưa có phiếu này: %(reason)s") % {"reason": error}) from error
    return _pdf(content, f"{name}-{kind}.pdf")


class LogBookForm(forms.Form):
    """The log book's unit and period, each problem said in words next to its field."""

    unit = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": gettext_lazy("Chọn Bộ phận Một cửa."),
            "invalid": gettext_lazy("Chọn Bộ phận Một cửa trong danh sách."),
            "min_value": gettext_lazy("Chọn Bộ phận Một cửa trong danh sách."),
        },
    )
    start = forms.DateField(
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": gettext_lazy("Nhập ngày bắt đầu."),
            "invalid": gettext_lazy("Ngày bắt đầu không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/11/2025."),
        },
    )
    end = forms.DateField(
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": gettext_lazy("Nhập ngày kết thúc."),
            "invalid": gettext_lazy("Ngày kết thúc không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 30/11/2025."),
        },
    )

    MAX_DAYS = 366

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Ngày kết thúc phải từ ngày bắt đầu trở về sau."))
        elif start and end and (end - start).days > self.MAX_DAYS:
            self.add_error("end", _("Khoảng thời gian tối đa một năm."))
        return data


@require_GET
def log_book(request: HttpRequest) -> HttpResponse:
    """Sổ theo dõi hồ sơ: ``?don-vi=<unit>&tu=YYYY-MM-DD&den=YYYY-MM-DD``, for the officers of the
    agencies the unit serves. A4 landscape PDF. Without parameters: the form that asks for them
    (the units the officer may see, this month by default)."""
    user: Any = request.user
    if not is_verified_officer(user):
        return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
    units = scope(
        OneStopUnit.objects.order_by("name"), user, agency_field="served_agencies", capability="dossier.view"
    ).distinct()
    if not {"don-vi", "tu", "den"} & set(request.GET):
        today = timezone.localdate()
        return render(
            request,
            "dossiers/officer/log_book.html",
            {"units": units, "start": today.replace(day=1).isoformat(), "end": today.isoformat()},
        )
    form = LogBookForm(
        {"unit": request.GET.get("don-vi"), "start": request.GET.get("tu"), "end": request.GET.get("den")}
    )
    if not form.is_valid():
        # The form again, with what was typed and every problem in words (not a bare 400).
        return render(
            request,
            "dossiers/officer/log_book.html",
            {
                "units": units,
                "start": request.GET.get("tu", "")[:20],
                "end": request.GET.get("den", "")[:20],
                "chosen": request.GET.get("don-vi", ""),
                "errors": form.errors,
            },
            status=400,
        )
    unit = get_scoped_or_404(
        OneStopUnit.objects.select_related("administrative_unit"),
        user,
        agency_field="served_agencies",
        capability="dossier.view",
        pk=form.cleaned_data["unit"],
    )
    start: datetime.date = form.cleaned_data["start"]
    end: datetime.date = form.cleaned_data["end"]
    content = slips.log_book(unit, start, end)
    return _pdf(content, f"so-theo-doi-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.pdf")
