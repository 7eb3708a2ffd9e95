"""Pages of electronic results: the processing officer's draft upload, the signed result's
download, and the public verification page (xác thực kết quả điện tử). Thin over
``results.services``, ``results.selectors`` and ``results.verification``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.officer_services import is_officer, is_verified_officer
from documents.errors import UploadRejected
from documents.services import file_read
from dossiers.models import Dossier
from org.permissions import get_scoped_or_404

from . import rules, selectors, services
from .verification import MAX_UPLOAD_BYTES, verify_upload

# --- Dự thảo kết quả (officers) --------------------------------------------------------------------


class DraftForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Tên văn bản kết quả"),
        max_length=services.NAME_MAX,
        required=False,
        help_text=gettext_lazy("Để trống thì dùng tên kết quả của thủ tục."),
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp dự thảo (PDF)"),
        help_text=gettext_lazy("Lãnh đạo phê duyệt thì văn bản này được ký số và trả cho người nộp."),
    )


def _officer_gate(request: HttpRequest) -> HttpResponse | None:
    """Sign-in for anonymous visitors and officers without their second step; 404 for citizens,
    exactly as for a dossier that does not exist."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_officer(user):
        raise Http404
    if not is_verified_officer(user):
        return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
    return None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Dự thảo kết quả of a dossier: its processing officers upload the PDF to be signed on
    approval; the page lists the drafts and the signed results."""
    gate = _officer_gate(request)
    if gate is not None:
        return gate
    dossier = get_scoped_or_404(
        Dossier.objects.select_related("procedure_version", "processing_agency"),
        request.user,
        agency_field="processing_agency",
        capability=services.DRAFT_CAPABILITY,
        pk=pk,
    )
    error = ""
    if request.method == "POST":
        form = DraftForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.result_draft_upload(
                    actor=request.user,
                    dossier=dossier,
                    data=upload,
                    file_name=upload.name,
                    name=form.cleaned_data["name"],
                )
            except UploadRejected as refusal:
                error = refusal.message
            except services.ResultNotAllowed as refusal:
                error = refusal.message
            else:
                messages.success(
                    request, _("Đã tải lên dự thảo kết quả; văn bản này sẽ được ký khi hồ sơ được phê duyệt.")
                )
                return redirect("results:draft", pk=dossier.pk)
    else:
        form = DraftForm(initial={"name": services.result_name_of(dossier)})
    context = {
        "dossier": dossier,
        "form": form,
        "error": error,
        "drafts": selectors.result_drafts(dossier),
        "results": selectors.dossier_results(dossier),
        "can_upload": dossier.state in services.DRAFT_STATES,
    }
    return render(request, "results/draft.html", context, status=400 if error else 200)


# --- Tải kết quả đã ký ------------------------------------------------------------------------------


@require_GET
def download(request: HttpRequest, pk: int, code: str | None = None) -> HttpResponse:
    """The signed result as PDF (the latest one without ``code``): the citizen who owns the
    dossier and the officers of its agencies; 404 for anybody else."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if is_officer(user) and not is_verified_officer(user):
        return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
    result = selectors.result_for_download(user=user, dossier_pk=pk, code=code)
    response = HttpResponse(file_read(result.stored_file), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{result.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Xác thực kết quả (public) ----------------------------------------------------------------------


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp kết quả (PDF)"),
        required=False,
        help_text=gettext_lazy("Tệp PDF kết quả điện tử bạn nhận được, tối đa 20 MB."),
    )
    ma = forms.CharField(
        label=gettext_lazy("Hoặc nhập mã kết quả"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("In trong khung chữ ký số, ví dụ 000.00.01.H41-251103-0001-KQ1."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa %(limit)s MB).") % {"limit": MAX_UPLOAD_BYTES // 2**20})
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code_text = str(data.get("ma") or "").strip()
        if not data.get("file") and not code_text and not self.errors:
            raise forms.ValidationError(_("Hãy chọn tệp PDF kết quả hoặc nhập mã kết quả."))
        if code_text and not data.get("file"):
            code = rules.normalize_code(code_text)
            if code is None:
                self.add_error("ma", _("Mã kết quả có dạng <mã hồ sơ>-KQ<số>, ví dụ 000.00.01.H41-251103-0001-KQ1."))
            data["ma"] = code
        return data


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Xác thực kết quả điện tử. ``?ma=<code>`` (the QR code on the document) shows what the
    portal knows of that result; a PDF sent here is checked: signature, signer, time, changes."""
    answer = None
    record = None
    not_found = False
    code = rules.normalize_code(request.GET.get("ma", "")) if request.method != "POST" else None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            if upload is not None:
                answer = verify_upload(upload.read(MAX_UPLOAD_BYTES + 1))
            else:
                code = form.cleaned_data["ma"]
    else:
        form = VerifyForm(initial={"ma": request.GET.get("ma", "").strip()[:100]})
    if code is not None and answer is None:
        record = selectors.public_record(code)
        not_found = record is None
    context = {
        "form": form,
        "answer": answer,
        "record": record,
        "not_found": not_found,
        "public_url": settings.PORTAL_PUBLIC_URL,
    }
    return render(request, "results/verify.html", context, status=400 if form.errors else 200)
