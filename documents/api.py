"""Documents API: the citizen's data store (kho dữ liệu), a dossier's files and their
digitization, and counter scans uploaded by scanning stations. Thin over ``documents.services``
and ``documents.selectors``; files themselves are downloaded from the permission-checked pages
(``download`` gives their address)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from catalog.models import RequiredDocument
from common.problems import Problem
from org.permissions import ApiAccess

from . import selectors, services
from .errors import UploadRejected
from .models import DossierFile, Purpose, StoreItem

router = Router(tags=["documents"])

MAX_LIMIT = 100


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return str(value.isoformat())


def refused(error: UploadRejected) -> Problem:
    extra = {"file_name": error.file_name} if error.file_name else {}
    return Problem(422, f"upload_{error.code}", _("Tệp không được nhận"), error.message, **extra)


def item_body(item: StoreItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "type": {"code": item.kind.code, "name": item.kind.name},
        "number": item.number,
        "issuer": item.issuer,
        "issued_on": _iso(item.issued_on),
        "valid_until": _iso(item.valid_until),
        "source": item.source,
        "content_type": item.stored_file.content_type,
        "pages": item.stored_file.page_count,
        "size": item.stored_file.size,
        "added_at": _iso(item.created_at),
        "download": reverse("documents:store_item_file", args=[item.pk]),
    }


def file_body(row: DossierFile) -> dict[str, Any]:
    return {
        "id": row.pk,
        "required_document": row.required_document_id,
        "name": row.name,
        "purpose": row.purpose,
        "content_type": row.stored_file.content_type,
        "pages": row.stored_file.page_count,
        "size": row.stored_file.size,
        "sha256": row.stored_file.sha256,
        "uploaded_at": _iso(row.uploaded_at),
        "reused_from_store": row.store_item_id is not None,
        "digitized": row.digitized,
        "metadata": {
            "type": row.document_type.code if row.document_type else None,
            "number": row.number,
            "issuer": row.issuer,
            "issued_on": _iso(row.issued_on),
            "holder": row.holder,
            "confirmed_at": _iso(row.confirmed_at),
        },
        "proposal": row.proposal or None,
        "download": reverse("documents:dossier_file", args=[row.pk]),
    }


class Page(Schema):
    limit: int = 20
    offset: int = 0


def _page(page: Page) -> tuple[int, int]:
    if not 1 <= page.limit <= MAX_LIMIT or page.offset < 0:
        raise Problem(
            400,
            "invalid_request",
            _("Yêu cầu không hợp lệ"),
            _("limit từ 1 đến %(max)s, offset không âm.") % {"max": MAX_LIMIT},
        )
    return page.limit, page.offset


@router.get("/documents/store", auth=ApiAccess(), url_name="store_items")
def store_items(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    """Kho dữ liệu: the signed-in citizen's stored documents, newest first."""
    limit, offset = _page(page)
    items = selectors.store_items_of(user=request.user)
    return {
        "count": items.count(),
        "limit": limit,
        "offset": offset,
        "results": [item_body(item) for item in items[offset : offset + limit]],
    }


@router.get("/documents/store/{item_id}", auth=ApiAccess(), url_name="store_item")
def store_item(request: HttpRequest, item_id: int) -> dict[str, Any]:
    return item_body(selectors.store_item_get_or_404(user=request.user, pk=item_id))


@router.delete("/documents/store/{item_id}", auth=ApiAccess(), url_name="store_item", response={204: None})
def store_item_remove(request: HttpRequest, item_id: int) -> Status[None]:
    """Removes an item from the citizen's store (done again: still 204)."""
    item = selectors.store_item_get_or_404(user=request.user, pk=item_id)
    services.store_item_remove(item=item, actor=request.user)
    return Status(204, None)


@router.get("/documents/dossiers/{dossier_id}/files", auth=ApiAccess(), url_name="dossier_files")
def dossier_files(request: HttpRequest, dossier_id: int) -> dict[str, Any]:
    """The current files of a dossier (its applicant; officers of its agencies) and whether it is
    digitized."""
    dossier = selectors.visible_dossiers(request.user).filter(pk=dossier_id).first()
    if dossier is None:
        raise Problem(404, "not_found", _("Không tìm thấy"), _("Không tìm thấy hồ sơ."))
    rows = (
        DossierFile.objects.filter(dossier=dossier, replaced_at__isnull=True)
        .select_related("stored_file", "document_type")
        .order_by("uploaded_at", "id")[:500]
    )
    return {
        "dossier": dossier.pk,
        "digitized": selectors.dossier_is_digitized(dossier),
        "files": [file_body(row) for row in rows],
    }


class SearchIn(Schema):
    q: str


@router.get("/documents/search", auth=ApiAccess("dossier.view"), url_name="scans_search")
def scans_search(request: HttpRequest, query: Query[SearchIn]) -> dict[str, Any]:
    """Tìm trong bản quét: words in the recognized text of the scans of the officer's agencies'
    dossiers (no case, no diacritics), at most 20 files, newest first."""
    text = query.q.strip()[:200]
    if not text:
        raise Problem(400, "invalid_request", _("Yêu cầu không hợp lệ"), _("Nhập từ cần tìm."))
    rows = selectors.scans_search(user=request.user, text=text)
    return {
        "results": [
            {"dossier": row.dossier_id, "dossier_code": row.dossier.code, **file_body_light(row)} for row in rows
        ]
    }


def file_body_light(row: DossierFile) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "pages": row.stored_file.page_count,
        "download": reverse("documents:dossier_file", args=[row.pk]),
    }


class ScanIn(Schema):
    required_document: int


@router.post(
    "/documents/dossiers/{dossier_id}/scans",
    auth=ApiAccess("dossier.receive"),
    url_name="dossier_scan_upload",
    response={201: dict[str, Any]},
)
def dossier_scan_upload(
    request: HttpRequest,
    dossier_id: int,
    data: Form[ScanIn],
    files: File[list[UploadedFile]],
) -> Status[dict[str, Any]]:
    """A scanning station sends the pages of one handed-in document (``files``: PDF or images,
    several images make one PDF) for the slot ``required_document``. Sending the same pages
    again (a retry, with or without the same ``Idempotency-Key``) answers the same file."""
    dossier = selectors.visible_dossiers(request.user, "dossier.receive").filter(pk=dossier_id).first()
    if dossier is None:
        raise Problem(404, "not_found", _("Không tìm thấy"), _("Không tìm thấy hồ sơ."))
    slot = RequiredDocument.objects.filter(pk=data.required_document, version=dossier.procedure_version_id).first()
    if slot is None:
        raise Problem(
            422, "invalid_slot", _("Yêu cầu không hợp lệ"), _("Thành phần hồ sơ không thuộc thủ tục của hồ sơ này.")
        )
    if not files or len(files) > 50:
        raise Problem(422, "upload_empty", _("Tệp không được nhận"), _("Gửi từ 1 đến 50 tệp cho một giấy tờ."))
    try:
        stored = services.scan_store(
            parts=[(f, f.name or "") for f in files], name=f"{slot.name[:100]}.pdf", actor=request.user
        )
        attached = services.dossier_file_attach(
            dossier=dossier,
            stored_file=stored,
            required_document=slot,
            purpose=Purpose.SCAN,
            name=f"{slot.name[:100]}.pdf",
            actor=request.user,
        )
    except UploadRejected as error:
        raise refused(error) from error
    except PermissionDenied as error:
        raise Problem(404, "not_found", _("Không tìm thấy"), _("Không tìm thấy hồ sơ.")) from error
    except ValidationError as error:
        raise Problem(422, "invalid", _("Yêu cầu không hợp lệ"), "; ".join(error.messages)) from error
    return Status(201, file_body(attached))
