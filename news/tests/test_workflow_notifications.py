"""Submitting a page for review tells the officers who may approve it today, by e-mail (Wagtail's
workflow notification), whether or not they have opened the editors' admin since they got the role."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from news.access import REVIEWERS
from news.tests import factories as f
from org.models import Role
from org.tests.factories import agency, officer

pytestmark = pytest.mark.django_db


def test_the_reviewers_of_today_are_told_a_page_waits_and_a_former_reviewer_is_not():
    office = agency("Văn phòng UBND tỉnh")
    editor = officer("bientap", {office: [Role.EDITOR]}, email="bientap@example.vn")
    reviewer = officer("duyettin", {office: [Role.NEWS_REVIEWER]}, email="duyettin@example.vn")
    former = officer(
        "duyetcu",
        {office: [Role.NEWS_REVIEWER]},
        email="duyetcu@example.vn",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2021, 1, 1),
    )
    former.groups.add(Group.objects.get_or_create(name=REVIEWERS)[0])  # joined when the role was in force
    page = f.article("Tin chờ duyệt", publish=False)
    assert not reviewer.groups.filter(name=REVIEWERS).exists()

    page.get_workflow().start(page, editor)

    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_task.name == "Duyệt nội dung trước khi đăng"

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["duyettin@example.vn"]
    assert "Tin chờ duyệt" in mail.outbox[0].subject + mail.outbox[0].body
    assert not former.groups.filter(name=REVIEWERS).exists()
