"""Issuing electronic results: an approval makes exactly one signed, stored, recorded result,
from the processing officer's draft or from the template, and puts it in the citizen's store."""

from __future__ import annotations

import pytest

from documents.errors import UploadRejected
from documents.models import Source, StoreItem
from documents.services import file_read
from dossiers import services as dossier_services
from dossiers.models import DossierEvent
from dossiers.rules import Action, State
from dossiers.tests.factories import MONDAY, walk_to
from org.models import Role
from org.tests.factories import agency, officer
from results import pki, selectors, services
from results.models import ElectronicResult, Origin
from results.signing import Verdict, verify_pdf

from .samples import pdftotext, plain_pdf

pytestmark = pytest.mark.django_db


def approve(w, dossier, django_capture_on_commit_callbacks, note="Đồng ý cấp."):
    with django_capture_on_commit_callbacks(execute=True):
        return dossier_services.dossier_approve(actor=w.leader, dossier=dossier, note=note, now=MONDAY)


def test_approval_issues_one_signed_result_from_the_template(w, django_capture_on_commit_callbacks, tmp_path):
    dossier = walk_to(w, State.IN_PROGRESS)

    approve(w, dossier, django_capture_on_commit_callbacks)

    result = ElectronicResult.objects.get(dossier=dossier)
    assert result.code == f"{dossier.code}-KQ1"
    assert result.n == 1 and result.origin == Origin.TEMPLATE
    assert result.signer == w.agency.name
    data = file_read(result.stored_file)
    assert result.sha256 == result.stored_file.sha256
    check = verify_pdf(data, trust_roots=pki.trust_roots())
    assert check.verdict is Verdict.VALID and check.signer == w.agency.name
    assert selectors.code_of(check) == result.code
    text = pdftotext(data, tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert w.citizen.full_name in text and dossier.code in text and "Đồng ý cấp." in text
    assert "ngày " in text and " tháng " in text


def test_the_result_goes_into_the_citizens_store(w, django_capture_on_commit_callbacks):
    dossier = walk_to(w, State.IN_PROGRESS)

    approve(w, dossier, django_capture_on_commit_callbacks)

    result = ElectronicResult.objects.get(dossier=dossier)
    item = StoreItem.objects.get(owner=w.citizen, stored_file=result.stored_file)
    assert item.source == Source.E_RESULT and item.number == result.code
    assert item.issuer == w.agency.name and item.dossier_id == dossier.pk


def test_issuing_again_for_the_same_approval_returns_the_first_result(w, django_capture_on_commit_callbacks):
    dossier = walk_to(w, State.IN_PROGRESS)
    approve(w, dossier, django_capture_on_commit_callbacks)
    approval = DossierEvent.objects.get(dossier=dossier, action=Action.APPROVE)
    first = ElectronicResult.objects.get(dossier=dossier)

    again = services.result_issue(approval_id=approval.pk)

    assert again.pk == first.pk
    assert ElectronicResult.objects.filter(dossier=dossier).count() == 1


def test_the_officers_latest_draft_is_what_gets_signed(w, django_capture_on_commit_callbacks, tmp_path):
    dossier = walk_to(w, State.IN_PROGRESS)
    services.result_draft_upload(
        actor=w.processor, dossier=dossier, data=plain_pdf(b"BAN NHAP CU"), file_name="cu.pdf", name="Bản cũ"
    )
    services.result_draft_upload(
        actor=w.processor,
        dossier=dossier,
        data=plain_pdf(b"GIAY KHAI SINH BAN CHINH THUC"),
        file_name="../../giay khai sinh.pdf",
        name="Giấy khai sinh",
    )

    approve(w, dossier, django_capture_on_commit_callbacks)

    result = ElectronicResult.objects.get(dossier=dossier)
    assert result.origin == Origin.DRAFT and result.name == "Giấy khai sinh"
    data = file_read(result.stored_file)
    assert "GIAY KHAI SINH BAN CHINH THUC" in pdftotext(data, tmp_path)
    assert verify_pdf(data, trust_roots=pki.trust_roots()).verdict is Verdict.VALID
    assert StoreItem.objects.get(owner=w.citizen, stored_file=result.stored_file).kind.name == "Giấy khai sinh"


def test_a_draft_must_be_a_pdf_from_a_processing_officer_of_the_agency_while_processing(w):
    dossier = walk_to(w, State.IN_PROGRESS)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    with pytest.raises(UploadRejected):
        services.result_draft_upload(actor=w.processor, dossier=dossier, data=png, file_name="anh.pdf")
    with pytest.raises(services.ResultNotAllowed):
        services.result_draft_upload(actor=w.counter, dossier=dossier, data=plain_pdf(), file_name="a.pdf")
    stranger = officer("chuyenvien.khac", {agency("Sở Khác"): [Role.PROCESSING_OFFICER]})
    with pytest.raises(services.ResultNotAllowed):
        services.result_draft_upload(actor=stranger, dossier=dossier, data=plain_pdf(), file_name="a.pdf")
    received = walk_to(w, State.RECEIVED)
    with pytest.raises(services.ResultNotAllowed):
        services.result_draft_upload(actor=w.processor, dossier=received, data=plain_pdf(), file_name="a.pdf")
    assert not dossier.result_drafts.exists()


def test_a_refused_dossier_gets_no_electronic_result(w, django_capture_on_commit_callbacks):
    dossier = walk_to(w, State.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.dossier_refuse(actor=w.leader, dossier=dossier, reasons=["Không đủ điều kiện"], now=MONDAY)

    assert not ElectronicResult.objects.filter(dossier=dossier).exists()


def test_results_of_lists_code_name_and_signing_time_for_the_national_sync(w, django_capture_on_commit_callbacks):
    dossier = walk_to(w, State.IN_PROGRESS)
    assert selectors.results_of(dossier) == []
    approve(w, dossier, django_capture_on_commit_callbacks)

    [summary] = selectors.results_of(dossier)

    result = ElectronicResult.objects.get(dossier=dossier)
    assert (summary.code, summary.name, summary.signed_at) == (result.code, result.name, result.signed_at)
