"""Intake: what a submission must contain, drafts, and submitting twice."""

from __future__ import annotations

import dataclasses

import pytest

from catalog.models import RequiredDocument, VersionStatus
from catalog.testing import published_form
from dossiers import services
from dossiers.errors import (
    ActionForbidden,
    DossierChanged,
    DossierInvalid,
    IdempotencyKeyReused,
    TransitionNotAllowed,
)
from dossiers.models import Dossier, DossierDocument, DossierEvent
from dossiers.rules import State
from org.tests.factories import agency, one_stop_unit

from .factories import MONDAY, procedure_for, world

pytestmark = pytest.mark.django_db

SCHEMA = {
    "noi_sinh": {"type": "string", "title": "Nơi sinh", "minLength": 1, "maxLength": 300},
    "so_ban_sao": {"type": "integer", "title": "Số bản sao", "minimum": 1, "maximum": 5},
}


def invalid(w, **changes) -> set[str]:
    with pytest.raises(DossierInvalid) as refused:
        services.dossier_submit(applicant=w.citizen, intake=w.intake(**changes), now=MONDAY)
    return set(refused.value.errors)


def test_a_submission_keeps_the_applicant_snapshot_documents_and_form(w):
    published_form(w.version.procedure, SCHEMA, ["noi_sinh"])
    d, created = services.dossier_submit(
        applicant=w.citizen, intake=w.intake(form_data={"noi_sinh": " Nha Trang ", "so_ban_sao": "2"}), now=MONDAY
    )
    assert created and d.state == State.SUBMITTED and d.submitted_at == MONDAY
    stored = Dossier.objects.get(pk=d.pk)
    assert (stored.applicant, stored.applicant_name, stored.applicant_personal_id) == (
        w.citizen,
        w.citizen.full_name,
        w.citizen.personal_id,
    )
    assert stored.applicant_address == "12 Trần Phú, phường Nha Trang"
    assert stored.form_data == {"noi_sinh": "Nha Trang", "so_ban_sao": 2}
    assert list(DossierDocument.objects.filter(dossier=d).values_list("required_document__name", "handed_in")) == [
        ("Tờ khai theo mẫu", "original")
    ]
    # The code from submission (the unit's first of the day); no reception, no due date yet.
    assert (stored.code, stored.received_at, stored.due_on) == (f"{w.unit.code}-251103-0001", None, None)


def test_the_procedure_must_be_public_and_open_online(w):
    w.version.status = VersionStatus.DRAFT
    w.version.save()
    assert invalid(w) == {"procedure"}
    w.version.status = VersionStatus.PUBLISHED
    w.version.online_level = "none"
    w.version.save()
    assert invalid(w) == {"procedure"}


def test_the_agency_must_process_the_procedure_and_the_unit_serve_the_agency(w):
    elsewhere = agency("Sở Tư pháp thử")
    assert invalid(w, processing_agency=elsewhere) == {"agency"}
    assert invalid(w, receiving_unit=one_stop_unit("Bộ phận Một cửa khác", [elsewhere])) == {"unit"}


def test_applicant_details_are_checked(w):
    applicant = services.Applicant(name="", personal_id="123", address=" ", phone="abc")
    assert invalid(w, applicant=applicant) == {
        "applicant.name",
        "applicant.personal_id",
        "applicant.address",
        "applicant.phone",
    }


def test_procedure_fields_are_checked_against_its_form(w):
    published_form(w.version.procedure, SCHEMA, ["noi_sinh"])
    assert invalid(w, form_data={"so_ban_sao": 9, "la": "x"}) == {"form.noi_sinh", "form.so_ban_sao", "form.la"}


def test_documents_must_be_the_procedure_s(w):
    other = procedure_for(w.agency).documents.first()
    own = w.version.documents.first()
    bad = [
        services.HandedDocument(other.pk),
        services.HandedDocument(own.pk, handed_in="photo"),
        services.HandedDocument(own.pk, handed_in="copy", quantity=0),
        services.HandedDocument(own.pk),
        services.HandedDocument(own.pk),
    ]
    assert invalid(w, documents=bad) == {"documents.0", "documents.1", "documents.2", "documents.4"}


def test_bad_input_saves_nothing(w):
    invalid(w, result_delivery="drone", channel="fax")
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


# --- Idempotency ------------------------------------------------------------------------------


def test_the_same_key_returns_the_first_dossier(w):
    first, created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), idempotency_key="k-1")
    again, created_again = services.dossier_submit(applicant=w.citizen, intake=w.intake(), idempotency_key="k-1")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert Dossier.objects.count() == 1 and DossierEvent.objects.count() == 1


def test_the_same_key_with_another_content_is_refused(w):
    services.dossier_submit(applicant=w.citizen, intake=w.intake(), idempotency_key="k-1")
    with pytest.raises(IdempotencyKeyReused):
        services.dossier_submit(applicant=w.citizen, intake=w.intake(result_delivery="post"), idempotency_key="k-1")


def test_keys_are_per_applicant_and_no_key_means_a_new_dossier_each_time(w):
    other = world()
    services.dossier_submit(applicant=w.citizen, intake=w.intake(), idempotency_key="k-1")
    _d, created = services.dossier_submit(applicant=other.citizen, intake=other.intake(), idempotency_key="k-1")
    assert created
    services.dossier_submit(applicant=w.citizen, intake=w.intake())
    services.dossier_submit(applicant=w.citizen, intake=w.intake())
    assert Dossier.objects.filter(applicant=w.citizen).count() == 3


# --- Drafts -----------------------------------------------------------------------------------


def test_a_draft_saves_incomplete_and_resumes(w):
    published_form(w.version.procedure, SCHEMA, ["noi_sinh"])
    applicant = dataclasses.replace(w.intake().applicant, address="")
    draft = services.dossier_draft_save(applicant=w.citizen, intake=w.intake(applicant=applicant, documents=[]))
    assert draft.state == State.DRAFT and draft.form_data == {}
    assert not DossierEvent.objects.filter(dossier=draft).exists()
    draft = services.dossier_draft_save(
        applicant=w.citizen, intake=w.intake(form_data={"noi_sinh": "Cam Ranh"}), draft=draft
    )
    assert draft.version == 2 and draft.applicant_address and draft.documents.count() == 1
    d = services.dossier_draft_submit(applicant=w.citizen, draft=draft, now=MONDAY)
    assert (d.state, d.submitted_at, d.form_data) == (State.SUBMITTED, MONDAY, {"noi_sinh": "Cam Ranh"})


def test_a_draft_is_submitted_only_when_complete(w):
    published_form(w.version.procedure, SCHEMA, ["noi_sinh"])
    draft = services.dossier_draft_save(applicant=w.citizen, intake=w.intake())
    with pytest.raises(DossierInvalid) as refused:
        services.dossier_draft_submit(applicant=w.citizen, draft=draft)
    assert set(refused.value.errors) == {"form.noi_sinh"}
    assert Dossier.objects.get(pk=draft.pk).state == State.DRAFT


def test_a_draft_is_its_author_s(w):
    draft = services.dossier_draft_save(applicant=w.citizen, intake=w.intake())
    stranger = world().citizen
    with pytest.raises(ActionForbidden):
        services.dossier_draft_save(applicant=stranger, intake=w.intake(), draft=draft)
    with pytest.raises(ActionForbidden):
        services.dossier_draft_delete(applicant=stranger, draft=draft)
    with pytest.raises(ActionForbidden):
        services.dossier_draft_submit(applicant=stranger, draft=draft)


def test_a_stale_draft_is_not_overwritten(w):
    draft = services.dossier_draft_save(applicant=w.citizen, intake=w.intake())
    services.dossier_draft_save(applicant=w.citizen, intake=w.intake(), draft=draft)
    with pytest.raises(DossierChanged):
        services.dossier_draft_save(applicant=w.citizen, intake=w.intake(), draft=draft)


def test_only_drafts_are_deleted(w):
    draft = services.dossier_draft_save(applicant=w.citizen, intake=w.intake())
    services.dossier_draft_delete(applicant=w.citizen, draft=draft)
    assert not Dossier.objects.exists()
    d, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake())
    with pytest.raises(TransitionNotAllowed):
        services.dossier_draft_delete(applicant=w.citizen, draft=d)
    assert Dossier.objects.filter(pk=d.pk).exists()


def test_a_required_document_of_another_version_is_refused_on_supplement_too(w):
    stray = RequiredDocument.objects.create(version=procedure_for(w.agency), name="Giấy lạ")
    d, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake())
    d = services.dossier_request_supplement(actor=w.counter, dossier=d, missing=["Tờ khai"])
    with pytest.raises(DossierInvalid):
        services.dossier_supplement(actor=w.citizen, dossier=d, documents=[services.HandedDocument(stray.pk)])
