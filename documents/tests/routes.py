"""Routes of the documents app for the permission walk (tests/route_registry.py)."""

from __future__ import annotations

from typing import Any

from documents import services
from documents.models import DossierFile, Source, StoreItem
from dossiers import services as dossier_services
from dossiers.models import Dossier
from dossiers.rules import Channel, ResultDelivery
from dossiers.tests.factories import procedure_for
from org.tests.factories import one_stop_unit
from tests.route_registry import Cast, Target, private

from . import samples


def counter_dossier(cast: Cast) -> Dossier:
    """A dossier received at the counter of ``cast.agency`` with no citizen account."""
    version = procedure_for(cast.agency)
    unit = one_stop_unit("Bộ phận Một cửa Số Hóa", [cast.agency])
    document = version.documents.first()
    intake = dossier_services.Intake(
        procedure_version=version,
        processing_agency=cast.agency,
        receiving_unit=unit,
        applicant=dossier_services.Applicant(name="Lê Số Hóa", personal_id="056090888888", address="Nha Trang"),
        result_delivery=ResultDelivery.COUNTER,
        channel=Channel.COUNTER,
        documents=[dossier_services.HandedDocument(document.pk)] if document else [],
    )
    dossier = dossier_services.dossier_register(actor=cast.officer, intake=intake)
    return dossier_services.dossier_receive(actor=cast.officer, dossier=dossier)


@private("documents:dossier_file", owner="agency")
def _dossier_file(cast: Cast) -> Target:
    """A scan of a counter dossier of ``cast.agency`` (the applicant's own access is in
    documents/tests/test_views.py). The marker is in the PDF's text."""
    dossier = counter_dossier(cast)
    stored = services.file_store(data=samples.pdf(text="Ban quet dau vet"), name="quet.pdf", actor=cast.officer)
    attached = services.dossier_file_attach(
        dossier=dossier,
        stored_file=stored,
        required_document=dossier.procedure_version.documents.first(),
        purpose="scan",
        name="quet.pdf",
        actor=cast.officer,
    )
    return Target(
        {"pk": attached.pk},
        marker="Ban quet dau vet",
        exists=lambda: DossierFile.objects.filter(pk=attached.pk).exists(),
    )


def _store_item(owner: Any, text: str) -> StoreItem:
    stored = services.file_store(data=samples.pdf(text=text), name="kho.pdf", actor=None)
    return services.store_item_add(owner=owner, stored_file=stored, kind="Giấy khai sinh", source=Source.UPLOAD)


@private("documents:store_item_file", owner="citizen")
def _store_file(cast: Cast) -> Target:
    item = _store_item(cast.owner, "Kho du lieu dau vet")
    return Target({"pk": item.pk}, marker="Kho du lieu dau vet")


@private("documents:store_item_remove", owner="citizen", method="POST", ok=302)
def _store_remove(cast: Cast) -> Target:
    item = _store_item(cast.owner, "Kho du lieu xoa")
    return Target(
        {"pk": item.pk},
        marker="Kho du lieu xoa",
        exists=lambda: StoreItem.objects.filter(pk=item.pk, removed_at__isnull=True).exists(),
    )


@private("documents:digitize", owner="agency")
def _digitize(cast: Cast) -> Target:
    dossier = counter_dossier(cast)
    return Target({"pk": dossier.pk}, marker=f"Số hóa hồ sơ {dossier.code}")


class RepeatableUpload:
    """A file for the test client that every request sends whole (the walk posts it several times)."""

    def __init__(self, name: str, data: bytes, content_type: str) -> None:
        self.name, self.data, self.content_type = name, data, content_type

    def read(self) -> bytes:
        return self.data


@private("api:store_item", owner="citizen")
def _api_store_item(cast: Cast) -> Target:
    item = _store_item(cast.owner, "Kho API dau vet")
    item.number = "KHO-API-77"
    item.save()
    return Target({"item_id": item.pk}, marker="KHO-API-77")


@private("api:store_item", owner="citizen", method="DELETE", ok=204)
def _api_store_item_remove(cast: Cast) -> Target:
    item = _store_item(cast.owner, "Kho API xoa")
    return Target(
        {"item_id": item.pk},
        marker="Kho API xoa",
        exists=lambda: StoreItem.objects.filter(pk=item.pk, removed_at__isnull=True).exists(),
    )


@private("api:dossier_files", owner="agency")
def _api_dossier_files(cast: Cast) -> Target:
    target = _dossier_file(cast)
    row = DossierFile.objects.select_related("stored_file").get(pk=target.kwargs["pk"])
    return Target({"dossier_id": row.dossier_id}, marker=row.stored_file.sha256)


@private("api:dossier_scan_upload", owner="agency", method="POST", ok=201)
def _api_scan_upload(cast: Cast) -> Target:
    dossier = counter_dossier(cast)
    slot = dossier.procedure_version.documents.first()
    assert slot is not None
    page = RepeatableUpload("trang.png", samples.png(), "image/png")
    return Target(
        {"dossier_id": dossier.pk},
        marker="Bản quét của một hồ sơ khác",  # the answer never has it; 201 is what proves access
        exists=lambda: not DossierFile.objects.filter(dossier=dossier).exclude(uploaded_by=cast.officer).exists(),
        data={"required_document": slot.pk, "files": page},
    )
