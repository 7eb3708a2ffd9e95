"""The officer's dossier page: the citizen's uploaded files open from it as links, checked on
every request (officers of the dossier's agency and the citizen owner; anybody else 404, as if
the file did not exist); the pages next to it are linked only for the roles that can use them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from documents import services as documents
from documents.models import DossierFile, Purpose
from documents.tests.samples import pdf
from dossiers.models import Dossier
from dossiers.rules import State
from org.models import Role
from org.tests.factories import admin_login, citizen, officer

from .factories import World, walk_to, world

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    admin_login(client, user)
    return client


def with_upload(w: World, state: State = State.SUBMITTED) -> tuple[Dossier, DossierFile]:
    d = walk_to(w, state)
    slot = w.version.documents.first()
    stored = documents.file_store(data=pdf(text="To khai khai sinh"), name="to-khai.pdf", actor=w.citizen)
    attached = documents.dossier_file_attach(
        dossier=d, stored_file=stored, required_document=slot, purpose=Purpose.SUBMITTED, name="to-khai.pdf",
        actor=w.citizen,
    )  # fmt: skip
    return d, attached


def page(client: Client, d: Dossier) -> str:
    response = client.get(reverse("dossiers:officer_dossier", args=[d.pk]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_uploaded_file_is_a_link_that_opens_for_the_dossier_s_officers_and_owner() -> None:
    w = world()
    d, attached = with_upload(w)
    url = reverse("documents:dossier_file", args=[attached.pk])
    shown = page(signed_in(w.counter), d)
    assert f'href="{url}"' in shown and "to-khai.pdf" in shown
    for user in (w.counter, w.processor, w.leader):
        response = signed_in(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", user
    owner = Client()
    owner.force_login(w.citizen)
    assert owner.get(url).status_code == 200


def test_nobody_else_opens_the_file() -> None:
    w, other = world(), world()
    _d, attached = with_upload(w)
    url = reverse("documents:dossier_file", args=[attached.pk])
    assert signed_in(other.counter).get(url).status_code == 404  # another agency's officer
    stranger = Client()
    stranger.force_login(citizen("nguoila", personal_id="056090999999"))
    assert stranger.get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302  # asked to sign in, nothing shown


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.COUNTER_OFFICER, ["Số hóa giấy tờ", "Thu phí, lệ phí tại quầy"], ["Dự thảo kết quả"]),
        (Role.PROCESSING_OFFICER, ["Dự thảo kết quả"], ["Số hóa giấy tờ", "Thu phí, lệ phí tại quầy"]),
        (Role.LEADER, [], ["Dự thảo kết quả", "Số hóa giấy tờ", "Thu phí, lệ phí tại quầy"]),
    ],
)
def test_the_related_pages_are_linked_only_for_the_roles_that_use_them(role, shown, hidden) -> None:
    w = world()
    d = walk_to(w, State.IN_PROGRESS)
    user = {Role.COUNTER_OFFICER: w.counter, Role.PROCESSING_OFFICER: w.processor, Role.LEADER: w.leader}[role]
    text = page(signed_in(user), d)
    for label in shown:
        assert label in text, label
    for label in hidden:
        assert label not in text, label
    for href in re.findall(r'<a href="(/can-bo/ho-so/\d+/[^"]*)"', text):
        assert signed_in(user).get(href).status_code == 200, href


def test_a_counter_officer_of_two_roles_sees_both_sets() -> None:
    w = world()
    both = officer("haivaitro", {w.agency: [Role.COUNTER_OFFICER, Role.PROCESSING_OFFICER]})
    text = page(signed_in(both), walk_to(w, State.IN_PROGRESS))
    assert "Dự thảo kết quả" in text and "Thu phí, lệ phí tại quầy" in text
