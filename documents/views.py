"""Pages of the documents app: permission-checked downloads (no file has a public address), the
citizen's data store (kho dữ liệu) and digitization at the counter (số hóa)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.officer_services import is_officer, is_verified_officer
from dossiers.models import Dossier
from dossiers.rules import State

from . import selectors, services
from .errors import UploadRejected
from .forms import DigitizeForm
from .models import Purpose, StoredFile


def _download(stored_file: StoredFile, name: str, *, inline: bool) -> HttpResponse:
    """The file (at most MOTCUA_UPLOAD_MAX_MB, so read whole) with a name the browser keeps."""
    response = HttpResponse(services.file_read(stored_file), content_type=stored_file.content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, name) or "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Opened in the browser, the file runs no script and loads nothing from elsewhere; object-src
    # 'self' lets the browser's own PDF viewer show it (a CSP sandbox would block that viewer).
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"
    )
    return response


def _signed_in_or_redirect(request: HttpRequest) -> HttpResponse | None:
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if is_officer(user) and not is_verified_officer(user):
        return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
    return None


@never_cache
@require_GET
def dossier_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A file of a dossier: its applicant, or officers of the agencies processing or receiving it;
    404 for anybody else. ``?tai-ve=1`` downloads instead of opening in the browser."""
    refused = _signed_in_or_redirect(request)
    if refused is not None:
        return refused
    found = selectors.dossier_file_get_or_404(user=request.user, pk=pk)
    return _download(found.stored_file, found.name, inline=not request.GET.get("tai-ve"))


@never_cache
@require_GET
def store(request: HttpRequest) -> HttpResponse:
    """Kho dữ liệu: the citizen's stored documents."""
    refused = _signed_in_or_redirect(request)
    if refused is not None:
        return refused
    items = list(selectors.store_items_of(user=request.user))
    return render(request, "documents/store.html", {"items": items})


@never_cache
@require_GET
def store_item_file(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _signed_in_or_redirect(request)
    if refused is not None:
        return refused
    item = selectors.store_item_get_or_404(user=request.user, pk=pk)
    extension = ".pdf" if item.stored_file.content_type == "application/pdf" else ""
    name = f"{item.kind.name} {item.number}".strip() + extension
    return _download(item.stored_file, name, inline=not request.GET.get("tai-ve"))


@require_POST
def store_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _signed_in_or_redirect(request)
    if refused is not None:
        return refused
    item = selectors.store_item_get_or_404(user=request.user, pk=pk)
    services.store_item_remove(item=item, actor=request.user)
    from django.contrib import messages

    messages.success(request, _("Đã xóa giấy tờ khỏi kho dữ liệu."))
    return redirect("documents:store")


# --- Số hóa tại Bộ phận Một cửa ----------------------------------------------------------------

# The counter officers of the agencies that receive or process the dossier digitize it.
DIGITIZE_CAPABILITY = "dossier.receive"


def _slot_initial(slot: selectors.Slot, dossier: Dossier) -> dict[str, Any]:
    """What the form starts with: the confirmed metadata, else what recognition proposed and what
    the slot and the dossier tell (the type by the slot's name, the applicant as holder)."""
    current = slot.current
    if current is not None and current.confirmed_at is not None:
        return {
            "document_type": current.document_type_id,
            "number": current.number,
            "issuer": current.issuer,
            "issued_on": current.issued_on,
            "holder": current.holder,
        }
    proposal = current.proposal if current is not None else {}
    issued = proposal.get("issued_on") or None
    return {
        "document_type": slot.suggested_type.pk if slot.suggested_type else None,
        "number": proposal.get("number", ""),
        "issuer": proposal.get("issuer", ""),
        "issued_on": datetime.date.fromisoformat(issued) if issued else None,
        "holder": dossier.applicant_name,
    }


def _save_slot(request: HttpRequest, dossier: Dossier, slot: selectors.Slot, form: DigitizeForm) -> bool:
    """Stores the scan and the metadata of one slot in one transaction; False (with the reason on
    the form) when refused, and then nothing is saved."""
    data = form.cleaned_data
    try:
        with transaction.atomic():
            current = slot.current
            if data["pages"]:
                stored = services.scan_store(
                    parts=[(upload, upload.name or "") for upload in data["pages"]],
                    name=f"{slot.required_document.name[:100]}.pdf",
                    actor=request.user,
                )
                current = services.dossier_file_attach(
                    dossier=dossier,
                    stored_file=stored,
                    required_document=slot.required_document,
                    purpose=Purpose.SCAN,
                    name=f"{slot.required_document.name[:100]}.pdf",
                    actor=request.user,
                )
            if form.describes() and current is not None:
                services.dossier_file_describe(
                    dossier_file=current,
                    actor=request.user,
                    document_type=data["document_type"],
                    holder=data["holder"],
                    issued_on=data["issued_on"],
                    number=data["number"],
                    issuer=data["issuer"],
                    valid_until=data["valid_until"],
                )
    except UploadRejected as refusal:
        prefix = _("Tệp %(name)s: ") % {"name": refusal.file_name} if refusal.file_name else ""
        form.add_error("pages", prefix + refusal.message)
        return False
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _reusable(dossier: Dossier, slot: selectors.Slot) -> list[Any]:
    """Documents of the applicant's store that may fill the slot, unless the slot already holds
    one of them."""
    if dossier.applicant is None:
        return []
    items = selectors.reusable_items(user=dossier.applicant, required_document=slot.required_document)
    if slot.current is not None and slot.current.store_item_id is not None:
        items = items.exclude(pk=slot.current.store_item_id)
    return list(items.select_related("kind")[:10])


def _reuse(request: HttpRequest, dossier: Dossier, slot: selectors.Slot) -> HttpResponse:
    """Dùng lại giấy tờ từ kho dữ liệu at the counter, instead of scanning it again."""
    item = next((i for i in _reusable(dossier, slot) if str(i.pk) == request.POST.get("reuse")), None)
    if item is None:
        raise Http404
    try:
        services.store_item_reuse(
            item=item, dossier=dossier, required_document=slot.required_document, actor=request.user
        )
    except (ValidationError, PermissionDenied) as error:
        return HttpResponse(
            " ".join(getattr(error, "messages", [str(error)])), status=400, content_type="text/plain; charset=utf-8"
        )
    return redirect(f"{request.path}#slot-{slot.required_document.pk}")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def digitize(request: HttpRequest, pk: int) -> HttpResponse:
    """Số hóa hồ sơ: each document the dossier was handed in with, scanned into its slot as one
    PDF (several images become one PDF) with its metadata; the page says which slots and whether
    the whole dossier are digitized. Counter officers of the dossier's agencies; 404 for others."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_officer(user):
        raise Http404
    if not is_verified_officer(user):
        return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
    dossier = get_object_or_404(
        selectors.visible_dossiers(user, DIGITIZE_CAPABILITY)
        .exclude(state=State.DRAFT)
        .select_related("procedure_version", "processing_agency", "applicant"),
        pk=pk,
    )
    slots = selectors.dossier_slots(dossier)
    posted: dict[int, DigitizeForm] = {}
    if request.method == "POST":
        chosen = next((s for s in slots if str(s.required_document.pk) == request.POST.get("slot")), None)
        if chosen is None:
            return HttpResponse(
                _("Thành phần hồ sơ không hợp lệ."), status=400, content_type="text/plain; charset=utf-8"
            )
        key = chosen.required_document.pk
        if request.POST.get("reuse"):
            return _reuse(request, dossier, chosen)
        form = DigitizeForm(request.POST, request.FILES, prefix=f"s{key}", has_file=chosen.current is not None)
        if form.is_valid() and _save_slot(request, dossier, chosen, form):
            return redirect(f"{request.path}#slot-{key}")
        posted[key] = form
    rows = [
        {
            "slot": slot,
            "reusable": _reusable(dossier, slot),
            "form": posted.get(slot.required_document.pk)
            or DigitizeForm(prefix=f"s{slot.required_document.pk}", initial=_slot_initial(slot, dossier)),
        }
        for slot in slots
    ]
    status = 400 if posted else 200
    return render(
        request,
        "documents/digitize.html",
        {"dossier": dossier, "rows": rows, "digitized": selectors.dossier_is_digitized(dossier)},
        status=status,
    )
