"""Storing files once, attaching them to dossiers, digitization and the citizen's store."""

from __future__ import annotations

import datetime
import hashlib
import io
import socket
import struct
import threading
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from pypdf import PdfReader

from documents import selectors, services
from documents.errors import UploadRejected
from documents.models import DigitizedDossier, DocumentType, DossierFile, Purpose, Source, StoredFile, StoreItem
from documents.storage import file_storage
from dossiers.models import Dossier
from dossiers.rules import State
from dossiers.tests.factories import World, walk_to
from org.models import Role
from org.tests.factories import agency, citizen, officer

from . import samples

pytestmark = pytest.mark.django_db


def birth_certificate_type() -> DocumentType:
    return DocumentType.objects.get(code="giay-khai-sinh")


# --- Storing -----------------------------------------------------------------------------------


def test_a_file_is_stored_under_its_hash_with_its_real_type_and_pages(file_root) -> None:
    data = samples.pdf(pages=2)
    stored = services.file_store(data=data, name="to-khai.pdf", actor=None)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert (stored.size, stored.content_type, stored.page_count) == (len(data), "application/pdf", 2)
    assert (file_root / stored.storage_name).read_bytes() == data
    assert stored.sha256 in stored.storage_name and "to-khai" not in stored.storage_name


def test_the_same_content_is_stored_once(file_root) -> None:
    data = samples.pdf()
    first = services.file_store(data=data, name="a.pdf", actor=None)
    second = services.file_store(data=io.BytesIO(data), name="b.pdf", actor=None)
    assert first.pk == second.pk
    assert StoredFile.objects.count() == 1
    assert len([p for p in file_root.rglob("*") if p.is_file()]) == 1


def test_a_photo_is_stored_without_its_gps_position() -> None:
    stored = services.file_store(data=samples.jpeg(exif=samples.gps_exif()), name="anh.jpg", actor=None)
    assert b"R58M12345" not in services.file_read(stored)


def test_a_refused_file_leaves_nothing_behind(file_root) -> None:
    with pytest.raises(UploadRejected) as caught:
        services.file_store(data=samples.javascript_pdf(), name="../../hoa-don.pdf", actor=None)
    assert caught.value.code == "active_content"
    assert caught.value.file_name == "hoa-don.pdf"
    assert StoredFile.objects.count() == 0
    assert not file_root.exists() or not any(p.is_file() for p in file_root.rglob("*"))


def test_a_file_larger_than_the_limit_is_not_even_read_whole(settings) -> None:
    settings.UPLOAD_MAX_BYTES = 1024

    class Endless(io.RawIOBase):
        read_total = 0

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            self.read_total += size
            return b"%PDF-" + b"\0" * (size - 5)

    stream: Any = Endless()
    with pytest.raises(UploadRejected) as caught:
        services.file_store(data=stream, name="x.pdf", actor=None)
    assert caught.value.code == "too_large"
    assert stream.read_total <= 1025


def test_a_file_left_short_by_an_interrupted_write_is_written_again(file_root) -> None:
    data = samples.pdf(text="bi ngat")
    digest = hashlib.sha256(data).hexdigest()
    from documents.storage import storage_name

    broken = file_root / storage_name(digest)
    broken.parent.mkdir(parents=True)
    broken.write_bytes(data[:100])
    stored = services.file_store(data=data, name="x.pdf", actor=None)
    assert services.file_read(stored) == data


def test_a_database_failure_after_writing_stores_no_row(file_root) -> None:
    data = samples.pdf(text="rollback")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.file_store(data=data, name="x.pdf", actor=None)
        raise RuntimeError("the caller's transaction fails")
    assert StoredFile.objects.count() == 0
    # The content written meanwhile is reused, not duplicated, by the next attempt.
    stored = services.file_store(data=data, name="x.pdf", actor=None)
    assert len([p for p in file_root.rglob("*") if p.is_file()]) == 1
    assert services.file_read(stored) == data


def test_several_scanned_images_become_one_pdf_with_a_page_each() -> None:
    pages = [
        samples.jpeg(samples.scan_image(["Trang một"])),
        samples.png(samples.scan_image(["Trang hai"])),
    ]
    stored = services.scan_store(parts=[(p, f"{i}.jpg") for i, p in enumerate(pages)], name="ks.pdf", actor=None)
    assert stored.content_type == "application/pdf" and stored.page_count == 2
    reader = PdfReader(io.BytesIO(services.file_read(stored)))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert round(float(width)) == round(1240 * 72 / 150) and round(float(height)) == round(1754 * 72 / 150)


def test_a_bad_page_among_scans_names_its_file() -> None:
    with pytest.raises(UploadRejected) as caught:
        services.scan_store(parts=[(samples.jpeg(), "1.jpg"), (b"not an image", "trang 2.jpg")], name="x", actor=None)
    assert caught.value.code == "unsupported_type" and caught.value.file_name == "trang 2.jpg"


# --- The virus scanner hook --------------------------------------------------------------------

# The distinctive part of the EICAR test string, which survives inside a PDF's text unescaped.
EICAR = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


def flag_eicar(data: bytes) -> str | None:
    return "Eicar-Test-Signature" if EICAR in data else None


def test_a_scanner_callable_refuses_what_it_flags(settings) -> None:
    settings.VIRUS_SCANNER = "documents.tests.test_services.flag_eicar"
    infected = samples.pdf(text=EICAR.decode())
    with pytest.raises(UploadRejected) as caught:
        services.file_store(data=infected, name="x.pdf", actor=None)
    assert caught.value.code == "infected"
    assert services.file_store(data=samples.pdf(), name="ok.pdf", actor=None)


class FakeClamd:
    """A local clamd speaking its INSTREAM protocol, flagging the EICAR test string."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                conn, _address = self.server.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += conn.recv(1)
                assert command == b"zINSTREAM\0"
                data = b""
                while True:
                    (length,) = struct.unpack(">I", self._exact(conn, 4))
                    if length == 0:
                        break
                    data += self._exact(conn, length)
                found = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
                conn.sendall(found)

    @staticmethod
    def _exact(conn: socket.socket, size: int) -> bytes:
        out = b""
        while len(out) < size:
            out += conn.recv(size - len(out))
        return out

    def close(self) -> None:
        self.server.close()


def test_clamd_over_tcp_refuses_infected_files_and_passes_clean_ones(settings) -> None:
    clamd = FakeClamd()
    try:
        settings.VIRUS_SCANNER = f"tcp://127.0.0.1:{clamd.port}"
        with pytest.raises(UploadRejected) as caught:
            services.file_store(data=samples.pdf(text=EICAR.decode()), name="x.pdf", actor=None)
        assert caught.value.code == "infected"
        assert services.file_store(data=samples.pdf(text="sach"), name="ok.pdf", actor=None)
    finally:
        clamd.close()


def test_an_unreachable_scanner_refuses_rather_than_store_unchecked(settings) -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    settings.VIRUS_SCANNER = f"tcp://127.0.0.1:{port}"
    with pytest.raises(UploadRejected) as caught:
        services.file_store(data=samples.pdf(), name="x.pdf", actor=None)
    assert caught.value.code == "scanner_unavailable"
    assert StoredFile.objects.count() == 0


# --- Files of dossiers and digitization --------------------------------------------------------


def _scan(w: World, state: State = State.RECEIVED) -> tuple[DossierFile, Dossier]:
    dossier = walk_to(w, state)
    slot = w.version.documents.first()
    stored = services.file_store(data=samples.pdf(text="Giay khai sinh"), name="ks.pdf", actor=w.counter)
    attached = services.dossier_file_attach(
        dossier=dossier,
        stored_file=stored,
        required_document=slot,
        purpose=Purpose.SCAN,
        name="ks.pdf",
        actor=w.counter,
    )
    return attached, dossier


def test_an_officer_of_another_agency_cannot_attach(w: World) -> None:
    dossier = walk_to(w, State.RECEIVED)
    stranger = officer("canbo.ngoai", {agency("Sở khác"): [Role.COUNTER_OFFICER]})
    stored = services.file_store(data=samples.pdf(), name="x.pdf", actor=stranger)
    with pytest.raises(PermissionDenied):
        services.dossier_file_attach(
            dossier=dossier, stored_file=stored, required_document=None, purpose="scan", name="x", actor=stranger
        )


def test_a_slot_of_another_procedure_is_refused(w: World) -> None:
    from dossiers.tests.factories import procedure_for

    dossier = walk_to(w, State.RECEIVED)
    foreign = procedure_for(w.agency).documents.first()
    stored = services.file_store(data=samples.pdf(), name="x.pdf", actor=w.counter)
    with pytest.raises(ValidationError):
        services.dossier_file_attach(
            dossier=dossier, stored_file=stored, required_document=foreign, purpose="scan", name="x", actor=w.counter
        )


def test_a_new_scan_replaces_the_slot_and_keeps_the_old_one(w: World) -> None:
    first, dossier = _scan(w)
    stored = services.file_store(data=samples.pdf(text="Ban quet lai"), name="lai.pdf", actor=w.counter)
    second = services.dossier_file_attach(
        dossier=dossier,
        stored_file=stored,
        required_document=first.required_document,
        purpose="scan",
        name="lai.pdf",
        actor=w.counter,
    )
    first.refresh_from_db()
    assert first.replaced_at is not None and second.replaced_at is None
    assert [s.current for s in selectors.dossier_slots(dossier)] == [second]


def test_the_files_of_a_new_dossier_go_in_at_once_each_in_its_slot(w: World, django_assert_max_num_queries) -> None:
    dossier = walk_to(w, State.SUBMITTED)
    slots = list(w.version.documents.order_by("position", "pk")[:2])
    files = [
        (services.file_store(data=samples.pdf(text=f"Trang {n}"), name=f"{n}.pdf", actor=w.citizen), slot, f"{n}.pdf")
        for n, slot in enumerate(slots)
    ]
    # a savepoint and its release, the insert, the two reads and the write of the digitized mark:
    # not one round per file
    with django_assert_max_num_queries(6):
        rows = services.dossier_files_attach_new(dossier=dossier, files=files, purpose="submitted", actor=w.citizen)
    assert [(r.required_document, r.stored_file, r.name) for r in rows] == [(s, f, n) for f, s, n in files]
    assert all(r.pk and r.uploaded_at and r.replaced_at is None for r in rows)
    assert [s.current for s in selectors.dossier_slots(dossier)][: len(rows)] == rows


def test_the_files_of_a_new_dossier_are_checked_like_one_file(w: World) -> None:
    from dossiers.tests.factories import procedure_for

    dossier = walk_to(w, State.SUBMITTED)
    stored = services.file_store(data=samples.pdf(), name="x.pdf", actor=w.citizen)
    foreign = procedure_for(w.agency).documents.get()
    with pytest.raises(ValidationError):
        services.dossier_files_attach_new(
            dossier=dossier, files=[(stored, foreign, "x.pdf")], purpose="submitted", actor=w.citizen
        )
    stranger = citizen("congdan.khac")
    with pytest.raises(PermissionDenied):
        services.dossier_files_attach_new(
            dossier=dossier,
            files=[(stored, w.version.documents.all()[0], "x.pdf")],
            purpose="submitted",
            actor=stranger,
        )
    assert not DossierFile.objects.filter(dossier=dossier).exists()


def test_a_document_counts_as_digitized_once_file_and_metadata_are_there(w: World) -> None:
    attached, dossier = _scan(w)
    assert not attached.digitized and not selectors.dossier_is_digitized(dossier)
    described = services.dossier_file_describe(
        dossier_file=attached,
        actor=w.counter,
        document_type=birth_certificate_type(),
        holder="Nguyễn Văn An",
        issued_on=datetime.date(2020, 5, 4),
        number="123/2020",
        issuer="Ủy ban nhân dân phường Nha Trang",
    )
    assert described.digitized and selectors.dossier_is_digitized(dossier)
    assert described.confirmed_by == w.counter


def test_metadata_needs_holder_and_a_past_date_of_issue(w: World) -> None:
    attached, _dossier = _scan(w)
    with pytest.raises(ValidationError) as caught:
        services.dossier_file_describe(
            dossier_file=attached,
            actor=w.counter,
            document_type=birth_certificate_type(),
            holder=" ",
            issued_on=datetime.date.today() + datetime.timedelta(days=3),
        )
    assert set(caught.value.message_dict) == {"holder", "issued_on"}


def test_the_citizen_cannot_confirm_digitization_of_their_own_dossier(w: World) -> None:
    attached, _dossier = _scan(w)
    with pytest.raises(PermissionDenied):
        services.dossier_file_describe(
            dossier_file=attached,
            actor=w.citizen,
            document_type=birth_certificate_type(),
            holder="Nguyễn Văn An",
            issued_on=datetime.date(2020, 5, 4),
        )


def test_a_confirmed_document_goes_into_the_applicants_store(w: World) -> None:
    attached, dossier = _scan(w)
    services.dossier_file_describe(
        dossier_file=attached,
        actor=w.counter,
        document_type=birth_certificate_type(),
        holder="Nguyễn Văn An",
        issued_on=datetime.date(2020, 5, 4),
        number="123/2020",
    )
    item = StoreItem.objects.get(owner=w.citizen)
    assert (item.kind, item.number, item.source, item.dossier) == (
        birth_certificate_type(),
        "123/2020",
        Source.DIGITIZED,
        dossier,
    )
    assert item.stored_file == attached.stored_file


def test_replacing_a_digitized_scan_makes_the_dossier_undigitized_until_confirmed(w: World) -> None:
    attached, dossier = _scan(w)
    services.dossier_file_describe(
        dossier_file=attached,
        actor=w.counter,
        document_type=birth_certificate_type(),
        holder="An",
        issued_on=datetime.date(2020, 5, 4),
    )
    stored = services.file_store(data=samples.pdf(text="moi"), name="m.pdf", actor=w.counter)
    services.dossier_file_attach(
        dossier=dossier,
        stored_file=stored,
        required_document=attached.required_document,
        purpose="scan",
        name="m.pdf",
        actor=w.counter,
    )
    assert not DigitizedDossier.objects.filter(dossier=dossier).exists()


# --- The store: reuse --------------------------------------------------------------------------


def _birth_certificate_procedure(w: World):
    from dossiers.tests.factories import procedure_for

    return procedure_for(w.agency, documents=["Bản sao Giấy khai sinh của người được đăng ký"])


def _stored_item(owner, *, valid_until=None, removed=False) -> StoreItem:
    stored = services.file_store(data=samples.pdf(text=f"ks {valid_until}"), name="ks.pdf", actor=None)
    item = services.store_item_add(
        owner=owner,
        stored_file=stored,
        kind=birth_certificate_type(),
        number="12/2019",
        issued_on=datetime.date(2019, 1, 2),
        valid_until=valid_until,
        source=Source.DIGITIZED,
    )
    if removed:
        services.store_item_remove(item=item, actor=owner)
    return item


def test_reusable_items_are_the_owners_valid_items_of_the_same_type(w: World) -> None:
    version = _birth_certificate_procedure(w)
    slot = version.documents.get()
    valid = _stored_item(w.citizen)
    _stored_item(w.citizen, valid_until=datetime.date(2020, 1, 1))  # expired
    _stored_item(w.citizen, valid_until=datetime.date(2099, 1, 1), removed=True)
    _stored_item(citizen("nguoi.khac"))
    stored = services.file_store(data=samples.pdf(text="can cuoc"), name="cc.pdf", actor=None)
    services.store_item_add(owner=w.citizen, stored_file=stored, kind="Căn cước công dân", source=Source.UPLOAD)
    assert list(selectors.reusable_items(user=w.citizen, required_document=slot)) == [valid]


def test_a_required_document_of_no_known_type_offers_nothing(w: World) -> None:
    _stored_item(w.citizen)
    slot = w.version.documents.get()
    assert not selectors.reusable_items(user=w.citizen, required_document=slot).exists()


def test_reusing_a_stored_document_fills_the_slot_and_is_counted(w: World) -> None:
    version = _birth_certificate_procedure(w)
    slot = version.documents.get()
    item = _stored_item(w.citizen)
    from dossiers.services import HandedDocument
    from dossiers.tests.factories import submitted

    dossier = submitted(w, procedure_version=version, documents=[HandedDocument(slot.pk)])
    from dossiers import services as dossier_services

    dossier = dossier_services.dossier_receive(actor=w.counter, dossier=dossier)
    used = services.store_item_reuse(item=item, dossier=dossier, required_document=slot, actor=w.citizen)
    assert (used.purpose, used.store_item, used.stored_file) == (Purpose.REUSED, item, item.stored_file)
    assert used.digitized and selectors.dossier_is_digitized(dossier)
    today = datetime.date.today()
    figures = selectors.digitization_figures(
        start=today - datetime.timedelta(days=3650), end=today + datetime.timedelta(days=1)
    )
    assert figures.reused == 1 and figures.digitized == 1


def test_another_citizens_item_cannot_be_reused(w: World) -> None:
    version = _birth_certificate_procedure(w)
    slot = version.documents.get()
    item = _stored_item(citizen("nguoi.khac2"))
    from dossiers.services import HandedDocument
    from dossiers.tests.factories import submitted

    dossier = submitted(w, procedure_version=version, documents=[HandedDocument(slot.pk)])
    with pytest.raises(PermissionDenied):
        services.store_item_reuse(item=item, dossier=dossier, required_document=slot, actor=w.citizen)
    assert not DossierFile.objects.filter(dossier=dossier).exists()


def test_an_expired_item_cannot_be_reused(w: World) -> None:
    version = _birth_certificate_procedure(w)
    slot = version.documents.get()
    item = _stored_item(w.citizen, valid_until=datetime.date(2020, 1, 1))
    from dossiers.services import HandedDocument
    from dossiers.tests.factories import submitted

    dossier = submitted(w, procedure_version=version, documents=[HandedDocument(slot.pk)])
    with pytest.raises(ValidationError):
        services.store_item_reuse(item=item, dossier=dossier, required_document=slot, actor=w.citizen)


def test_adding_the_same_file_twice_keeps_one_item(w: World) -> None:
    first = _stored_item(w.citizen)
    again = services.store_item_add(
        owner=w.citizen,
        stored_file=first.stored_file,
        kind=birth_certificate_type(),
        number="12/2019-b",
        source="upload",
    )
    assert again.pk == first.pk and again.number == "12/2019-b"


def test_an_e_result_by_name_gets_a_type_created_once(w: World) -> None:
    stored = services.file_store(data=samples.pdf(text="kq"), name="kq.pdf", actor=None)
    name = "Giấy chứng nhận an toàn thực phẩm"
    one = services.store_item_add(owner=w.citizen, stored_file=stored, kind=name, source=Source.E_RESULT)
    two = services.document_type_resolve(name=name)
    assert one.kind == two and two.name == name


def test_only_the_owner_removes_an_item(w: World) -> None:
    item = _stored_item(w.citizen)
    with pytest.raises(PermissionDenied):
        services.store_item_remove(item=item, actor=citizen("ke.xau"))
    services.store_item_remove(item=item, actor=w.citizen)
    assert not selectors.store_items_of(user=w.citizen).exists()


def test_officers_see_only_items_their_agencies_dossiers_use(w: World) -> None:
    version = _birth_certificate_procedure(w)
    slot = version.documents.get()
    used_item = _stored_item(w.citizen)
    _stored_item(w.citizen, valid_until=datetime.date(2099, 1, 1))  # never used
    from dossiers.services import HandedDocument
    from dossiers.tests.factories import submitted

    dossier = submitted(w, procedure_version=version, documents=[HandedDocument(slot.pk)])
    services.store_item_reuse(item=used_item, dossier=dossier, required_document=slot, actor=w.citizen)
    assert list(selectors.store_items_for_officer(user=w.counter)) == [used_item]
    outsider = officer("canbo.ngoai2", {agency("Sở ngoài"): [Role.COUNTER_OFFICER]})
    assert not selectors.store_items_for_officer(user=outsider).exists()


def test_file_storage_has_no_public_address(file_root) -> None:
    stored = services.file_store(data=samples.pdf(), name="x.pdf", actor=None)
    with pytest.raises(ValueError):
        file_storage().url(stored.storage_name)


# --- Figures -----------------------------------------------------------------------------------


def test_figures_count_received_dossiers_of_the_period_and_agency(w: World) -> None:
    from dossiers.tests.factories import MONDAY, world

    digitized, _dossier = _scan(w)
    services.dossier_file_describe(
        dossier_file=digitized,
        actor=w.counter,
        document_type=birth_certificate_type(),
        holder="An",
        issued_on=datetime.date(2020, 5, 4),
    )
    walk_to(w, State.RECEIVED)  # received, not digitized
    walk_to(w, State.SUBMITTED)  # not received: not counted
    elsewhere = world()
    walk_to(elsewhere, State.RECEIVED)
    day = MONDAY.date()
    figures = selectors.digitization_figures(start=day, end=day, agency=w.agency)
    assert (figures.received, figures.digitized, figures.reused) == (2, 1, 0)
    assert figures.digitized_share == 0.5 and figures.reused_share == 0
    everywhere = selectors.digitization_figures(start=day, end=day)
    assert (everywhere.received, everywhere.digitized) == (3, 1)
    before = selectors.digitization_figures(
        start=day - datetime.timedelta(days=7), end=day - datetime.timedelta(days=1)
    )
    assert (before.received, before.digitized_share) == (0, None)
