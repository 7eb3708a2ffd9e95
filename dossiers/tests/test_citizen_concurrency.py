"""A double submission that arrives at once (two clicks, a retry racing the first request), each
request on its own database connection: one dossier, its files attached once. The same for the
form and for the API's multipart submission with an Idempotency-Key."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from common.testing import at_once
from documents.models import DossierFile
from dossiers.models import Dossier

from .factories import world
from .test_citizen_intake import filled, hidden_fields, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_same_form_submitted_twice_at_once_gives_one_dossier() -> None:
    w = world(documents=["Tờ khai", "Bản sao giấy khai sinh"])
    url = reverse("dossiers:intake", args=[w.version.procedure.code])
    first, second = signed_in(w.citizen), signed_in(w.citizen)
    page = first.get(url).content.decode()
    data = filled(w, page, action="review", f_noi_sinh=None, f_so_con=None, f_ngay_ket_hon=None)
    review = first.post(url, data).content.decode()
    back = hidden_fields(review) | {"action": "submit"}
    answers = at_once([lambda: first.post(url, back), lambda: second.post(url, back)])
    assert [a.status_code for a in answers] == [302, 302], answers
    dossier = Dossier.objects.get()
    assert {a["Location"] for a in answers} == {reverse("dossiers:submitted", args=[dossier.pk])}
    assert DossierFile.objects.filter(dossier=dossier).count() == 2


def test_the_same_api_request_twice_at_once_gives_one_dossier() -> None:
    w = world(documents=["Tờ khai", "Bản sao giấy khai sinh"])
    a, b = list(w.version.documents.order_by("position"))
    payload = json.dumps(
        {"procedure": w.version.procedure.code, "result_delivery": "online", "applicant": {"address": "Nha Trang"}}
    )

    def send(client: Client) -> Any:
        return client.post(
            "/api/v1/dossiers",
            {
                "payload": payload,
                f"document_{a.pk}": SimpleUploadedFile("a.pdf", pdf_bytes()),
                f"document_{b.pk}": SimpleUploadedFile("b.png", png_bytes()),
            },
            headers={"Idempotency-Key": "nop-cung-luc"},
        )

    one, two = signed_in(w.citizen), signed_in(w.citizen)
    answers = at_once([lambda: send(one), lambda: send(two)])
    assert [a.status_code for a in answers] == [201, 201], [getattr(a, "content", a) for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert Dossier.objects.count() == 1 and DossierFile.objects.count() == 2
