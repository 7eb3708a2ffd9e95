"""Writes of the documents app: storing files, attaching them to dossiers, digitization at the
counter (số hóa), and the citizen's data store (kho dữ liệu).

- ``file_store`` checks a file by its content (``checks.inspect_upload``), hashes what is kept
  and writes it once: the same content is stored once, and a database row never points at a file
  that is not whole in the storage.
- ``dossier_file_attach`` puts a stored file in a slot of a dossier (the previous file of the slot
  stays, marked replaced); scans are recognized (OCR) by the worker once the attachment commits.
- ``dossier_file_describe`` records the metadata an officer confirms; a confirmed document goes
  into the applicant's store, and the dossier is marked digitized when every document it was
  handed in with is.
- ``store_item_add``, ``store_item_reuse``, ``store_item_remove``: the citizen's store.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import RequiredDocument
from common.tasks import enqueue_on_commit
from common.text import fold
from common.transactions import inner_atomic
from dossiers.models import Dossier, DossierDocument
from org.permissions import has_capability

from . import rules, scanning
from .checks import EXTENSIONS, IMAGE_TYPES, PDF, Limits, inspect_upload, sanitize_name
from .errors import UploadRejected
from .models import DigitizedDossier, DocumentType, DossierFile, Purpose, Source, StoredFile, StoreItem
from .scans import combine_into_pdf
from .storage import file_storage, storage_name

READ_CHUNK = 1024 * 1024

# --- Files -------------------------------------------------------------------------------------


def _read_limited(data: bytes | IO[bytes], limit: int) -> bytes:
    """The bytes of ``data``, reading at most one byte more than ``limit`` (enough to refuse)."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if hasattr(data, "seek"):
        try:
            data.seek(0)
        except (OSError, ValueError):
            pass
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = data.read(min(READ_CHUNK, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def file_store(*, data: bytes | IO[bytes], name: str, actor: Any) -> StoredFile:
    """Checks and stores a file, once per content. ``name`` is what the sender called it (shown
    in a refusal: ``UploadRejected.file_name``); ``actor`` is who sent it, or None for the system.
    Raises ``UploadRejected`` with a localized message for anything refused; nothing is stored then."""
    limits = Limits.from_settings()
    raw = _read_limited(data, limits.max_bytes)
    try:
        checked = inspect_upload(raw, limits)
    except UploadRejected as refusal:
        refusal.file_name = sanitize_name(name)
        raise
    digest = hashlib.sha256(checked.data).hexdigest()
    existing = StoredFile.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    try:
        scanning.scan(checked.data)
    except UploadRejected as refusal:
        refusal.file_name = sanitize_name(name)
        raise
    location = _write_once(digest, checked.data)
    try:
        with transaction.atomic():
            return StoredFile.objects.create(
                sha256=digest,
                size=len(checked.data),
                content_type=checked.content_type,
                page_count=checked.page_count,
                storage_name=location,
            )
    except IntegrityError:
        # Another request stored the same content meanwhile: theirs is the one.
        return StoredFile.objects.get(sha256=digest)


def _write_once(digest: str, data: bytes) -> str:
    """Writes the content under its hash unless it is already there whole. A file left short by
    an interrupted write is replaced; a copy written by a concurrent request is dropped."""
    storage = file_storage()
    name = storage_name(digest)
    if storage.exists(name):
        if storage.size(name) == len(data):
            return name
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        storage.delete(saved)
        if not storage.exists(name):
            raise UploadRejected("malformed")
    return name


def file_open(stored_file: StoredFile) -> IO[bytes]:
    return file_storage().open(stored_file.storage_name, "rb")  # type: ignore[no-any-return]


def file_read(stored_file: StoredFile) -> bytes:
    with file_open(stored_file) as handle:
        return handle.read()


def scan_store(*, parts: Sequence[tuple[bytes | IO[bytes], str]], name: str, actor: Any) -> StoredFile:
    """One PDF made of what the counter officer scanned for one document: several images (each
    a page) or PDFs, checked one by one, then stored. A single PDF is stored as it is."""
    if not parts:
        raise UploadRejected("empty")
    limits = Limits.from_settings()
    checked = []
    for data, part_name in parts:
        try:
            checked.append(inspect_upload(_read_limited(data, limits.max_bytes), limits))
        except UploadRejected as refusal:
            refusal.file_name = sanitize_name(part_name)
            raise
    if len(checked) == 1 and checked[0].content_type == PDF:
        return file_store(data=checked[0].data, name=name, actor=actor)
    pages = sum(item.page_count for item in checked)
    if pages > limits.max_pages:
        raise UploadRejected("too_many_pages", limit=limits.max_pages)
    combined = combine_into_pdf([(item.data, item.content_type in IMAGE_TYPES) for item in checked])
    return file_store(data=combined, name=name, actor=actor)


# --- Files of dossiers -------------------------------------------------------------------------

DOSSIER_CAPABILITIES = ("dossier.receive", "dossier.process", "dossier.approve")


def _officer_may_handle(actor: Any, dossier: Dossier) -> bool:
    agencies = {dossier.processing_agency_id, *dossier.receiving_unit.served_agencies.values_list("pk", flat=True)}
    return any(has_capability(actor, capability, agency) for capability in DOSSIER_CAPABILITIES for agency in agencies)


def _check_actor(actor: Any, dossier: Dossier) -> None:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Cần đăng nhập."))
    if dossier.applicant_id is not None and dossier.applicant_id == actor.pk:
        return
    if not _officer_may_handle(actor, dossier):
        raise PermissionDenied(_("Bạn không có quyền với hồ sơ này."))


def _check_slot(dossier: Dossier, required_document: RequiredDocument | None) -> None:
    if required_document is not None and required_document.version_id != dossier.procedure_version_id:
        raise ValidationError(_("Thành phần hồ sơ không thuộc thủ tục của hồ sơ này."))


def dossier_file_attach(
    *,
    dossier: Dossier,
    stored_file: StoredFile,
    required_document: RequiredDocument | None,
    purpose: str,
    name: str,
    actor: Any,
    store_item: StoreItem | None = None,
) -> DossierFile:
    """Puts ``stored_file`` in a slot (``required_document``) of ``dossier``; a file already in the
    slot is kept, marked replaced. The same file put again in the same slot changes nothing and
    answers the row already there (retries are harmless). ``actor``: the applicant, or an officer of the agencies that
    receive or process the dossier. Scans are sent to recognition once this commits."""
    purpose = Purpose(purpose)
    _check_actor(actor, dossier)
    _check_slot(dossier, required_document)
    now = timezone.now()
    with transaction.atomic():
        if required_document is not None and purpose != Purpose.RESULT:
            current = (
                DossierFile.objects.select_for_update()
                .filter(dossier=dossier, required_document=required_document, replaced_at__isnull=True)
                .exclude(purpose=Purpose.RESULT)
            )
            same = current.filter(stored_file=stored_file, purpose=purpose, store_item=store_item).first()
            if same is not None:
                # A retry (double click, lost answer) of the same file in the same slot.
                return same
            current.update(replaced_at=now)
        attached = _new_file(dossier, required_document, stored_file, name, purpose, actor, store_item)
        attached.save()
        _refresh_digitized(dossier, now)
        if purpose == Purpose.SCAN and not stored_file.recognized_at:
            from .tasks import recognize_dossier_file

            enqueue_on_commit(recognize_dossier_file, attached.pk)
    return attached


def dossier_files_attach_new(
    *,
    dossier: Dossier,
    files: Sequence[tuple[StoredFile, RequiredDocument, str]],
    purpose: str,
    actor: Any,
) -> list[DossierFile]:
    """Puts each ``(stored file, slot, name)`` in its slot of a dossier just created (the caller
    knows it has no file yet: nothing is marked replaced): one insert for all, and the dossier's
    digitized mark worked out once (what ``dossier_file_attach`` does file by file)."""
    purpose = Purpose(purpose)
    _check_actor(actor, dossier)
    for _stored, document, _name in files:
        _check_slot(dossier, document)
    if not files:
        return []
    now = timezone.now()
    with inner_atomic():
        rows = DossierFile.objects.bulk_create(
            [_new_file(dossier, document, stored, name, purpose, actor) for stored, document, name in files]
        )
        # The dossier had no file: no mark to take back, and its slots are the rows just made.
        if rules.dossier_is_digitized(_slots_digitized(_handed_slots(dossier), rows)):
            DigitizedDossier.objects.create(dossier=dossier, digitized_at=now)
        if purpose == Purpose.SCAN:
            from .tasks import recognize_dossier_file

            scans = zip(rows, files, strict=True)
            unrecognized = [row.pk for row, (stored, _doc, _name) in scans if not stored.recognized_at]
            for pk in unrecognized:
                enqueue_on_commit(recognize_dossier_file, pk)
    return rows


def _new_file(
    dossier: Dossier,
    required_document: RequiredDocument | None,
    stored_file: StoredFile,
    name: str,
    purpose: str,
    actor: Any,
    store_item: StoreItem | None = None,
) -> DossierFile:
    """A file in a dossier's slot, not saved yet."""
    return DossierFile(
        dossier=dossier,
        required_document=required_document,
        stored_file=stored_file,
        name=_file_name(stored_file, name),
        purpose=purpose,
        store_item=store_item,
        uploaded_by=actor,
    )


def _file_name(stored_file: StoredFile, name: str) -> str:
    """The name a file is listed under: the given one, made safe, with its real type's extension."""
    return sanitize_name(name, extension=EXTENSIONS.get(stored_file.content_type, ""))


def dossier_file_describe(
    *,
    dossier_file: DossierFile,
    actor: Any,
    document_type: DocumentType,
    holder: str,
    issued_on: datetime.date,
    number: str = "",
    issuer: str = "",
    valid_until: datetime.date | None = None,
) -> DossierFile:
    """Records the metadata of a digitized document as the officer confirmed it. The document
    then counts as digitized, goes into the applicant's store (when the dossier has an account),
    and the dossier is marked digitized once every handed-in document is."""
    dossier = dossier_file.dossier
    _check_actor(actor, dossier)
    if dossier.applicant_id == actor.pk and not _officer_may_handle(actor, dossier):
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận, xử lý hồ sơ mới xác nhận thông tin số hóa."))
    problems = {}
    if not holder.strip():
        problems["holder"] = _("Nhập người được cấp.")
    if issued_on is None:
        problems["issued_on"] = _("Nhập ngày cấp.")
    elif issued_on > timezone.localdate():
        problems["issued_on"] = _("Ngày cấp không thể sau hôm nay.")
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    with transaction.atomic():
        row = DossierFile.objects.select_for_update().get(pk=dossier_file.pk)
        row.document_type = document_type
        row.holder = " ".join(holder.split())[:200]
        row.issued_on = issued_on
        row.number = number.strip()[:100]
        row.issuer = " ".join(issuer.split())[:300]
        row.confirmed_by = actor
        row.confirmed_at = now
        row.save()
        _refresh_digitized(dossier, now)
        if dossier.applicant_id is not None and row.purpose != Purpose.REUSED:
            store_item_add(
                owner=dossier.applicant,
                stored_file=row.stored_file,
                kind=document_type,
                number=row.number,
                issuer=row.issuer,
                issued_on=issued_on,
                valid_until=valid_until or rules.valid_until_for(issued_on, document_type.valid_months),
                source=Source.DIGITIZED,
                dossier=dossier,
            )
    return row


def _refresh_digitized(dossier: Dossier, now: datetime.datetime) -> None:
    """Marks or unmarks the dossier digitized from the state of its slots."""
    slots = dossier_slots_digitized(dossier)
    digitized = rules.dossier_is_digitized(slots)
    if digitized:
        DigitizedDossier.objects.get_or_create(dossier=dossier, defaults={"digitized_at": now})
    else:
        DigitizedDossier.objects.filter(dossier=dossier).delete()


def _handed_slots(dossier: Dossier) -> set[int]:
    return set(DossierDocument.objects.filter(dossier=dossier).values_list("required_document_id", flat=True))


def _slots_digitized(handed: set[int], files: Iterable[DossierFile]) -> list[bool]:
    """For each handed-in slot, in order, whether its file among ``files`` (the current ones) is
    digitized; a result is not a handed-in document."""
    current = {f.required_document_id: f.digitized for f in files if f.purpose != Purpose.RESULT}
    return [current.get(slot, False) for slot in sorted(handed)]


def dossier_slots_digitized(dossier: Dossier) -> list[bool]:
    """For each document the dossier was handed in with, whether its current file is digitized."""
    handed = _handed_slots(dossier)
    files = DossierFile.objects.filter(dossier=dossier, required_document_id__in=handed, replaced_at__isnull=True)
    return _slots_digitized(handed, files)


# --- Document types ----------------------------------------------------------------------------


def _types_with_keywords() -> Iterable[tuple[object, Sequence[str]]]:
    for kind in DocumentType.objects.all():
        yield kind, [kind.name, *kind.keyword_list()]


def document_type_resolve(*, name: str) -> DocumentType:
    """The type a document called ``name`` is of (by the types' keywords), created when none
    matches (an electronic result of a procedure that has no type yet, say)."""
    found = rules.matching_type(name, _types_with_keywords())
    if isinstance(found, DocumentType):
        return found
    clean = " ".join(name.split())[:300]
    code = fold(clean).replace(" ", "-")[:80] or "giay-to"
    kind, _created = DocumentType.objects.get_or_create(code=code, defaults={"name": clean, "keywords": clean})
    return kind


# --- Kho dữ liệu -------------------------------------------------------------------------------


def store_item_add(
    *,
    owner: Any,
    stored_file: StoredFile,
    kind: DocumentType | str,
    number: str = "",
    issuer: str = "",
    issued_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    source: str,
    dossier: Dossier | None = None,
) -> StoreItem:
    """Puts a document into ``owner``'s store. ``kind``: a DocumentType, or the name of the
    document (resolved with ``document_type_resolve``). The same file of the same type is kept
    once: adding it again updates its details."""
    if isinstance(kind, str):
        kind = document_type_resolve(name=kind)
    source = Source(source)
    details = {
        "number": number.strip()[:100],
        "issuer": " ".join(issuer.split())[:300],
        "issued_on": issued_on,
        "valid_until": valid_until,
        "source": source,
        "dossier": dossier,
    }
    with transaction.atomic():
        item = (
            StoreItem.objects.select_for_update()
            .filter(owner=owner, stored_file=stored_file, kind=kind, removed_at__isnull=True)
            .first()
        )
        if item is None:
            try:
                with transaction.atomic():
                    return StoreItem.objects.create(owner=owner, stored_file=stored_file, kind=kind, **details)
            except IntegrityError:
                item = StoreItem.objects.get(owner=owner, stored_file=stored_file, kind=kind, removed_at__isnull=True)
        for field, value in details.items():
            setattr(item, field, value)
        item.save()
    return item


def store_item_reuse(
    *, item: StoreItem, dossier: Dossier, required_document: RequiredDocument, actor: Any
) -> DossierFile:
    """Dùng lại giấy tờ từ kho dữ liệu: ``item`` fills ``required_document`` of ``dossier``
    instead of a new upload. The item must be the applicant's, still valid and of the type the
    slot asks for; the reuse is recorded (a file of purpose "reused" pointing at the item), which
    the index counts."""
    _check_actor(actor, dossier)
    _check_slot(dossier, required_document)
    from .selectors import reusable_items

    if dossier.applicant_id is None or item.owner_id != dossier.applicant_id:
        raise PermissionDenied(_("Giấy tờ này không thuộc kho dữ liệu của người nộp hồ sơ."))
    if not reusable_items(user=dossier.applicant, required_document=required_document).filter(pk=item.pk).exists():
        raise ValidationError(_("Giấy tờ này không còn giá trị hoặc không đúng loại thành phần hồ sơ."))
    now = timezone.now()
    with transaction.atomic():
        attached = dossier_file_attach(
            dossier=dossier,
            stored_file=item.stored_file,
            required_document=required_document,
            purpose=Purpose.REUSED,
            name=f"{item.kind.name} {item.number}".strip(),
            actor=actor,
            store_item=item,
        )
        attached.document_type = item.kind
        attached.number = item.number
        attached.issuer = item.issuer
        attached.issued_on = item.issued_on
        attached.holder = dossier.applicant_name
        attached.confirmed_by = actor
        attached.confirmed_at = now
        attached.save()
        _refresh_digitized(dossier, now)
    return attached


def store_item_remove(*, item: StoreItem, actor: Any) -> StoreItem:
    """The owner removes an item from their store; dossiers that used it keep their copy."""
    if actor is None or item.owner_id != actor.pk:
        raise PermissionDenied(_("Giấy tờ này không thuộc kho dữ liệu của bạn."))
    if item.removed_at is None:
        item.removed_at = timezone.now()
        item.save(update_fields=["removed_at"])
    return item
