"""The pages: the officers' draft upload, the signed result's download, the public
verification page (upload or code), and its per-client limit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dossiers import services as dossier_services
from dossiers.rules import State
from dossiers.tests.factories import MONDAY, walk_to
from org.tests.factories import admin_login, citizen
from results.models import ElectronicResult, ResultDraft

from .samples import plain_pdf, signed_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(w, django_capture_on_commit_callbacks):
    dossier = walk_to(w, State.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.dossier_approve(actor=w.leader, dossier=dossier, now=MONDAY)
    return ElectronicResult.objects.get(dossier=dossier)


def officer_client(user) -> Client:
    client = Client()
    admin_login(client, user)
    return client


def citizen_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_owner_downloads_the_signed_pdf(w, approved):
    url = reverse("results:download", kwargs={"pk": approved.dossier_id, "code": approved.code})

    response = citizen_client(w.citizen).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{approved.code}.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    import hashlib

    assert hashlib.sha256(response.content).hexdigest() == approved.sha256


def test_without_a_code_the_latest_result_is_downloaded(w, approved):
    url = reverse("results:download", kwargs={"pk": approved.dossier_id})

    response = citizen_client(w.citizen).get(url)

    assert response.status_code == 200 and approved.code in response["Content-Disposition"]
    assert citizen_client(citizen("nguoi.la.khac")).get(url).status_code == 404


def test_officers_of_the_agency_download_it_and_nobody_else(w, approved):
    url = reverse("results:download", kwargs={"pk": approved.dossier_id, "code": approved.code})

    assert officer_client(w.leader).get(url).status_code == 200
    assert officer_client(w.counter).get(url).status_code == 200
    assert citizen_client(citizen("nguoi.khac")).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]
    wrong_code = reverse("results:download", kwargs={"pk": approved.dossier_id, "code": approved.code + "9"})
    assert citizen_client(w.citizen).get(wrong_code).status_code == 404


def test_the_processing_officer_uploads_a_draft(w):
    dossier = walk_to(w, State.IN_PROGRESS)
    url = reverse("results:draft", kwargs={"pk": dossier.pk})
    client = officer_client(w.processor)

    page = client.get(url)
    assert page.status_code == 200 and dossier.code in page.content.decode()

    response = client.post(
        url,
        {"name": "Giấy khai sinh", "file": SimpleUploadedFile("khai-sinh.pdf", plain_pdf(), "application/pdf")},
    )

    assert response.status_code == 302
    draft = ResultDraft.objects.get(dossier=dossier)
    assert (draft.name, draft.uploaded_by) == ("Giấy khai sinh", w.processor)
    assert "Giấy khai sinh" in client.get(url).content.decode()


def test_a_draft_that_is_no_pdf_is_refused_with_a_reason(w):
    dossier = walk_to(w, State.IN_PROGRESS)
    url = reverse("results:draft", kwargs={"pk": dossier.pk})

    response = officer_client(w.processor).post(
        url, {"file": SimpleUploadedFile("ket-qua.pdf", b"<script>alert(1)</script>", "application/pdf")}
    )

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not ResultDraft.objects.filter(dossier=dossier).exists()


def test_the_draft_page_is_for_processing_officers_of_the_agency(w):
    dossier = walk_to(w, State.IN_PROGRESS)
    url = reverse("results:draft", kwargs={"pk": dossier.pk})

    assert citizen_client(w.citizen).get(url).status_code == 404
    assert officer_client(w.counter).get(url).status_code == 404  # no processing role


def test_the_verification_page_says_a_genuine_result_is_valid(w, approved):
    from documents.services import file_read

    response = Client().post(
        reverse("results:verify"),
        {"file": SimpleUploadedFile("kq.pdf", file_read(approved.stored_file), "application/pdf")},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Văn bản hợp lệ" in body and w.agency.name in body and approved.code in body


def test_the_verification_page_says_a_tampered_file_is_not_valid():
    data = signed_pdf().replace(b"0123456789", b"9876543210")

    response = Client().post(reverse("results:verify"), {"file": SimpleUploadedFile("kq.pdf", data)})

    body = response.content.decode()
    assert "Văn bản không hợp lệ" in body and "nội dung tệp đã bị sửa" in body


def test_the_qr_code_opens_what_the_portal_knows_of_the_code(w, approved):
    response = Client().get(reverse("results:verify") + f"?ma={approved.code}")

    body = response.content.decode()
    assert approved.sha256 in body and w.agency.name in body
    assert w.citizen.full_name not in body and w.citizen.personal_id not in body
    unknown = Client().get(reverse("results:verify") + "?ma=BPMC.999-250101-0001-KQ1").content.decode()
    assert "Không tìm thấy kết quả" in unknown


def test_an_empty_or_malformed_request_is_explained():
    empty = Client().post(reverse("results:verify"), {})
    assert empty.status_code == 400 and "Hãy chọn tệp PDF" in empty.content.decode()
    bad_code = Client().post(reverse("results:verify"), {"ma": "khong phai ma"})
    assert bad_code.status_code == 400 and "Mã kết quả có dạng" in bad_code.content.decode()


def test_the_verification_page_is_rate_limited(settings):
    settings.RATE_LIMIT_VERIFY = "2/m"
    client = Client(REMOTE_ADDR="198.51.100.21")  # counters live in the cache: an address of its own
    for _ in range(2):
        assert (
            client.post(reverse("results:verify"), {"file": SimpleUploadedFile("a.pdf", plain_pdf())}).status_code
            == 200
        )

    refused = client.post(reverse("results:verify"), {"file": SimpleUploadedFile("a.pdf", plain_pdf())})

    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
