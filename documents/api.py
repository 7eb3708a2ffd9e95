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
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from catalog.models import RequiredDocument
from common.api import Id, LocalDateTime, PageOut, PageParams, answers
from common.problems import Problem
from org.permissions import ApiAccess

from . import selectors, services
from .errors import UploadRejected
from .models import DossierFile, Purpose, StoreItem

router = Router(tags=["documents"])


def refused(error: UploadRejected) -> Problem:
    extra = {"file_name": error.file_name} if error.file_name else {}
    return Problem(422, f"upload_{error.code}", _("Tệp không được nhận"), error.message, **extra)


class DocumentTypeOut(Schema):
    code: str
    name: str


class StoreItemOut(Schema):
    """Một giấy tờ trong kho dữ liệu của công dân."""

    id: int
    type: DocumentTypeOut
    number: str
    issuer: str
    issued_on: datetime.date | None
    valid_until: datetime.date | None
    source: str
    content_type: str
    pages: int | None
    size: int
    added_at: LocalDateTime
    download: str


def item_body(item: StoreItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "type": {"code": item.kind.code, "name": item.kind.name},
        "number": item.number,
        "issuer": item.issuer,
        "issued_on": item.issued_on,
        "valid_until": item.valid_until,
        "source": item.source,
        "content_type": item.stored_file.content_type,
        "pages": item.stored_file.page_count,
        "size": item.stored_file.size,
        "added_at": item.created_at,
        "download": reverse("documents:store_item_file", args=[item.pk]),
    }


class FileMetadataOut(Schema):
    type: str | None
    number: str
    issuer: str
    issued_on: datetime.date | None
    holder: str
    confirmed_at: LocalDateTime | None


class DossierFileOut(Schema):
    """Một tệp của hồ sơ (thành phần hồ sơ, bản quét, kết quả) và thông tin số hóa của nó."""

    id: int
    required_document: int | None
    name: str
    purpose: str
    content_type: str
    pages: int | None
    size: int
    sha256: str
    uploaded_at: LocalDateTime
    reused_from_store: bool
    digitized: bool
    metadata: FileMetadataOut
    proposal: dict[str, Any] | None
    download: str


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
        "uploaded_at": row.uploaded_at,
        "reused_from_store": row.store_item_id is not None,
        "digitized": row.digitized,
        "metadata": {
            "type": row.document_type.code if row.document_type else None,
            "number": row.number,
            "issuer": row.issuer,
            "issued_on": row.issued_on,
            "holder": row.holder,
            "confirmed_at": row.confirmed_at,
        },
        "proposal": row.proposal or None,
        "download": reverse("documents:dossier_file", args=[row.pk]),
    }


class StorePageOut(PageOut):
    results: list[StoreItemOut]


@router.get(
    "/documents/store",
    auth=ApiAccess(),
    url_name="store_items",
    response=answers({200: StorePageOut}, 400, 401, 422),
    summary="Kho dữ liệu của tôi",
)
def store_items(request: HttpRequest, page: Query[PageParams]) -> object:
    """Kho dữ liệu: the signed-in citizen's stored documents, newest first."""
    items = selectors.store_items_of(user=request.user)
    return {
        "count": items.count(),
        "limit": page.limit,
        "offset": page.offset,
        "results": [item_body(item) for item in items[page.window()]],
    }


@router.get(
    "/documents/store/{item_id}",
    auth=ApiAccess(),
    url_name="store_item",
    response=answers({200: StoreItemOut}, 401, 404, 422),
    summary="Một giấy tờ trong kho dữ liệu",
)
def store_item(request: HttpRequest, item_id: Id) -> object:
    return item_body(selectors.store_item_get_or_404(user=request.user, pk=item_id))


@router.delete(
    "/documents/store/{item_id}",
    auth=ApiAccess(),
    url_name="store_item",
    response=answers({204: None}, 401, 403, 404, 422),
    summary="Bỏ một giấy tờ khỏi kho dữ liệu",
)
def store_item_remove(request: HttpRequest, item_id: Id) -> Status[None]:
    """Removes an item from the citizen's store (done again: still 204)."""
    item = selectors.store_item_get_or_404(user=request.user, pk=item_id)
    services.store_item_remove(item=item, actor=request.user)
    return Status(204, None)


class DossierFilesOut(Schema):
    dossier: int
    digitized: bool
    files: list[DossierFileOut] = Field(..., max_length=500)


@router.get(
    "/documents/dossiers/{dossier_id}/files",
    auth=ApiAccess(),
    url_name="dossier_files",
    response=answers({200: DossierFilesOut}, 401, 404, 422),
    summary="Các tệp của một hồ sơ",
)
def dossier_files(request: HttpRequest, dossier_id: Id) -> object:
    """The current files of a dossier (its applicant; officers of its agencies) and whether it is
    digitized: at most 500, in the order they came."""
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


class ScanHitOut(Schema):
    dossier: int
    dossier_code: str | None
    id: int
    name: str
    pages: int | None
    download: str


class ScanHitsOut(Schema):
    results: list[ScanHitOut] = Field(..., max_length=20)


@router.get(
    "/documents/search",
    auth=ApiAccess("dossier.view"),
    url_name="scans_search",
    response=answers({200: ScanHitsOut}, 400, 401, 403),
    summary="Tìm trong bản quét",
)
def scans_search(request: HttpRequest, query: Query[SearchIn]) -> object:
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
    response=answers({201: DossierFileOut}, 400, 401, 403, 404, 413, 422),
    summary="Gửi bản quét một giấy tờ của hồ sơ",
)
def dossier_scan_upload(
    request: HttpRequest,
    dossier_id: Id,
    data: Form[ScanIn],
    files: File[list[UploadedFile]],
) -> Status[Any]:
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
