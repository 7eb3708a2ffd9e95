"""Wagtail's admin (/cms/) is reached only by officers with an editorial role and a verified second
factor; their Wagtail groups follow their roles."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from news.access import EDITORS, INDEX_ENTRY, REVIEWERS
from org.models import Membership, Role
from org.tests.factories import admin_login, agency, citizen, officer

pytestmark = pytest.mark.django_db


def verified(user) -> Client:
    client = Client()
    admin_login(client, user)
    return client


def groups(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_anonymous_visitors_are_sent_to_the_officers_sign_in():
    response = Client().get("/cms/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/can-bo/dang-nhap/?next=/cms/pages/")


def test_wagtails_own_sign_in_page_is_never_shown():
    response = Client().get("/cms/login/?next=/cms/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/can-bo/dang-nhap/?next=/cms/pages/"


def test_a_citizen_is_sent_to_the_officers_sign_in():
    client = Client()
    client.force_login(citizen("dan"))
    assert client.get("/cms/").status_code == 302


def test_an_editor_without_a_verified_second_factor_is_sent_to_sign_in():
    editor = officer("bientap", {agency("Văn phòng"): [Role.EDITOR]}, is_staff=True)
    client = Client()
    client.force_login(editor)
    response = client.get("/cms/")
    assert response.status_code == 302 and response["Location"].startswith("/can-bo/dang-nhap/")


def test_a_verified_officer_without_an_editorial_role_is_refused():
    clerk = officer("tiepnhan", {agency("Sở Tư pháp"): [Role.COUNTER_OFFICER, Role.ADMINISTRATOR]}, is_staff=True)
    assert verified(clerk).get("/cms/").status_code == 403
    assert groups(clerk) == set()


def test_a_verified_editor_reaches_the_dashboard_and_joins_the_editors_group():
    editor = officer("bientap", {agency("Văn phòng"): [Role.EDITOR]})
    response = verified(editor).get("/cms/")
    assert response.status_code == 200
    assert groups(editor) == {EDITORS}


def test_a_reviewer_joins_the_reviewers_and_an_analyst_the_index_entry_group():
    office = agency("Văn phòng")
    reviewer = officer("duyettin", {office: [Role.NEWS_REVIEWER]})
    analyst = officer("phantich", {office: [Role.ANALYST]})
    assert verified(reviewer).get("/cms/").status_code == 200
    assert verified(analyst).get("/cms/").status_code == 200
    assert groups(reviewer) == {EDITORS, REVIEWERS}
    assert groups(analyst) == {INDEX_ENTRY}


def test_an_ended_role_takes_the_groups_away_at_the_next_request():
    editor = officer("bientap", {agency("Văn phòng"): [Role.EDITOR]})
    client = verified(editor)
    assert client.get("/cms/").status_code == 200
    Membership.objects.filter(user=editor).update(valid_to=timezone.localdate())
    assert client.get("/cms/").status_code == 403
    editor.refresh_from_db()
    assert groups(editor) == {EDITORS}  # refused before anything else; the groups give nothing alone
    assert client.get("/cms/pages/").status_code == 403


def test_an_editor_cannot_publish_but_a_reviewer_can():
    from news.tests.factories import article_index

    index = article_index()
    office = agency("Văn phòng")
    editor = officer("bientap", {office: [Role.EDITOR]})
    reviewer = officer("duyettin", {office: [Role.NEWS_REVIEWER]})
    verified(editor).get("/cms/")
    verified(reviewer).get("/cms/")
    assert index.permissions_for_user(editor).can_add_subpage()
    assert not index.permissions_for_user(editor).can_publish_subpage()
    assert index.permissions_for_user(reviewer).can_publish_subpage()


def test_wagtails_admin_alone_allows_the_inline_scripts_its_choosers_start_from():
    editor = officer("bientap", {agency("Văn phòng"): [Role.EDITOR]})
    client = verified(editor)
    admin = client.get("/cms/")
    assert admin.status_code == 200 and "'unsafe-inline'" in admin["Content-Security-Policy"].split("script-src")[1]
    public = client.get("/")
    assert "'unsafe-inline'" not in public["Content-Security-Policy"]
