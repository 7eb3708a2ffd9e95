"""Pages of the documents app: permission-checked downloads (no file has a public address), the
citizen's data store (kho dữ liệu) and digitization at the counter (số hóa)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.officer_services import is_officer, is_verified_officer

from . import selectors, services
from .models import StoredFile


def _download(stored_file: StoredFile, name: str, *, inline: bool) -> HttpResponse:
    """The file (at most MOTCUA_UPLOAD_MAX_MB, so read whole) with a name the browser keeps."""
    response = HttpResponse(services.file_read(stored_file), content_type=stored_file.content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, name) or "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A PDF opened in the browser runs nothing and loads nothing, whatever it holds.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
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
