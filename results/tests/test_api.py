"""POST /api/v1/results/verify and GET /api/v1/figures/digitization."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from documents.services import file_read
from dossiers import services as dossier_services
from dossiers.rules import State
from dossiers.tests.factories import walk_to
from org.models import Role
from org.tests.factories import agency, officer
from results.models import ElectronicResult

from .samples import forger_signer, plain_pdf, signed_pdf, stamp
from .test_signing import _append_text

pytestmark = pytest.mark.django_db
URL = "/api/v1/results/verify"


@pytest.fixture
def approved(w, django_capture_on_commit_callbacks):
    dossier = walk_to(w, State.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.dossier_approve(actor=w.leader, dossier=dossier)
    return ElectronicResult.objects.get(dossier=dossier)


def send(data: bytes, name: str = "ket-qua.pdf", client: Client | None = None):
    return (client or Client()).post(URL, {"file": SimpleUploadedFile(name, data, "application/pdf")})


def test_a_genuine_result_is_valid_with_signer_time_and_code(w, approved):
    response = send(file_read(approved.stored_file))

    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True and body["status"] == "valid"
    assert body["signer"] == w.agency.name
    assert datetime.datetime.fromisoformat(body["signed_at"]) == approved.signed_at
    assert body["modified_after_signing"] is False
    assert body["result_code"] == approved.code


def test_an_altered_result_is_invalid():
    body = send(signed_pdf().replace(b"0123456789", b"0000000000")).json()

    assert (body["valid"], body["status"], body["signer"], body["result_code"]) == (False, "altered", None, None)
    assert body["modified_after_signing"] is None


def test_a_result_with_content_added_after_signing_names_what_it_was(approved):
    original = file_read(approved.stored_file)

    body = send(_append_text(original)).json()

    assert body["valid"] is False and body["status"] == "modified_after_signing"
    assert body["modified_after_signing"] is True
    assert body["result_code"] == approved.code  # the signed revision is ours


def test_a_forged_signature_is_untrusted(tmp_path):
    from results.signing import sign_pdf

    forged = sign_pdf(plain_pdf(), signer=forger_signer(tmp_path / "forger"), stamp=stamp())

    body = send(forged).json()

    assert (body["valid"], body["status"], body["signer"]) == (False, "untrusted_signer", None)
    assert "không do cơ quan nhà nước" in body["detail"]


def test_an_unsigned_pdf_and_a_non_pdf():
    unsigned = send(plain_pdf()).json()
    assert (unsigned["valid"], unsigned["status"]) == (False, "unsigned")
    not_pdf = send(b"\xff\xd8\xff\xe0 JFIF image", "anh.pdf").json()
    assert (not_pdf["valid"], not_pdf["status"]) == (False, "not_pdf")


def test_the_answer_follows_the_language_asked_for():
    response = Client().post(
        URL + "?lang=en", {"file": SimpleUploadedFile("a.pdf", plain_pdf())}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response["Content-Language"] == "en"


def test_a_request_without_a_file_is_a_problem():
    response = Client().post(URL, {})
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_verification_is_rate_limited(settings):
    settings.RATE_LIMIT_VERIFY = "1/m"
    client = Client(REMOTE_ADDR="198.51.100.22")  # counters live in the cache: an address of its own
    assert send(plain_pdf(), client=client).status_code == 200
    refused = send(plain_pdf(), client=client)
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"


# --- Figures -----------------------------------------------------------------------------------

FIGURES = "/api/v1/figures/digitization"


def test_figures_count_the_electronic_results_of_the_callers_agencies(w, approved):
    from django.utils import timezone

    analyst = officer("phantich", {w.agency: [Role.ANALYST]})
    client = Client()
    client.force_login(analyst)
    day = timezone.localtime(approved.signed_at).date().isoformat()

    body = client.get(FIGURES, {"start": day, "end": day}).json()

    assert body["electronic_results"] == 1
    assert body["results_decided"] == body["results_digitized"] == body["results_electronic"] == 1
    assert body["results_digitized_share"] == body["results_electronic_share"] == 1.0
    assert {"dossiers_received", "dossiers_digitized", "dossiers_reusing_data"} <= set(body)
    own = client.get(FIGURES, {"start": day, "end": day, "agency": w.agency.code}).json()
    assert own["electronic_results"] == 1 and own["agency"] == w.agency.code


def test_figures_of_another_agency_are_not_found_and_need_the_capability(w, approved):
    elsewhere = agency("Sở Khác Số Liệu")
    analyst = officer("phantich.khac", {elsewhere: [Role.ANALYST]})
    client = Client()
    client.force_login(analyst)
    day = datetime.date.today().isoformat()

    assert client.get(FIGURES, {"start": day, "end": day, "agency": w.agency.code}).status_code == 404
    nothing = client.get(FIGURES, {"start": "2024-01-01", "end": "2026-12-31"}).json()
    assert nothing["electronic_results"] == nothing["results_decided"] == 0
    assert nothing["results_digitized_share"] is None
    assert client.get(FIGURES, {"start": day, "end": "2000-01-01"}).status_code == 400
    assert Client().get(FIGURES, {"start": day, "end": day}).status_code == 401
    processor = Client()
    processor.force_login(w.processor)
    assert processor.get(FIGURES, {"start": day, "end": day}).status_code == 403
