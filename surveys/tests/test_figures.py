"""The figures API: the same numbers as the records, for the caller's agencies only, aggregates
only."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from dossiers.rules import State as DossierState
from dossiers.tests.factories import walk_to, world
from feedback import services as feedback_services
from feedback.rules import Sender, Topic
from feedback.tests.factories import make_desk, submit
from org.models import Role
from org.tests.factories import admin_login, agency, citizen, officer
from surveys import services
from surveys.models import Rating

pytestmark = pytest.mark.django_db
URL = "/api/v1/figures/feedback"


def test_the_figures_count_channels_topics_timeliness_satisfaction_and_complaints(client: Client):
    now = timezone.now()
    desk = make_desk()
    fees = submit(topic=Topic.FEES, now=now)  # routed at once to the competent agency
    submit(topic=Topic.FEES, now=now + datetime.timedelta(minutes=1))  # same sender, same subject: a duplicate
    other = submit(
        topic=Topic.FEES, subject="Lệ phí cao", sender=Sender(name="B", address="B", phone="0912000111"), now=now
    )
    fees = feedback_services.feedback_take(actor=desk.handler, item=fees)
    fees = feedback_services.feedback_answer(actor=desk.handler, item=fees, text="Đã trả lời.")
    services.rating_of_item(item=fees, scores=services.Scores(overall=4, criteria={"attitude": 5}), rater=None)
    dossier = walk_to(world(), DossierState.RETURNED, now=now)  # another agency's: not in the leader's figures
    leader = desk.leader
    admin_login(client, leader)
    today = timezone.localdate()
    body = client.get(URL, {"start": today.isoformat(), "end": today.isoformat()}).json()
    assert body["received"] == 2 and body["duplicates"] == 1
    assert body["by_channel"] == {"web": 2} and body["by_topic"] == {"fees": 2}
    assert body["forwarded"] == {"on_time": 2, "late": 0}
    assert body["answered"] == {"on_time": 1, "late": 0}
    assert body["median_working_days_to_answer"] == 0
    assert body["median_minutes_to_reach_agency"] == 0
    assert body["ratings"] == 1 and body["invited"] == 1 and body["response_rate"] == 1.0
    assert body["satisfaction"]["overall"]["mean"] == 4.0
    assert body["satisfaction"]["attitude"]["distribution"]["5"] == 1
    assert body["satisfaction"]["procedure"]["count"] == 0
    assert other.code not in str(body) and "rater" not in str(body)
    assert dossier.processing_agency_id != desk.agency.pk
    assert body["dossiers_returned"] == 0


def test_returned_dossiers_with_and_without_complaint(client: Client):
    w = world()
    complained = walk_to(w, DossierState.RETURNED, now=timezone.now())
    walk_to(w, DossierState.RETURNED, now=timezone.now())
    make_desk()
    submit(subject="Hồ sơ trả chậm", dossier=complained)
    root = officer("root", is_superuser=True)
    admin_login(client, root)
    today = timezone.localdate().isoformat()
    body = client.get(URL, {"start": today, "end": today}).json()
    assert (body["dossiers_returned"], body["dossiers_with_complaint"], body["share_without_complaint"]) == (2, 1, 0.5)
    assert Rating.objects.count() == 0


def test_only_agencies_where_the_caller_reads_reports(client: Client):
    desk = make_desk()
    today = timezone.localdate().isoformat()
    assert client.get(URL, {"start": today, "end": today}).status_code == 401
    client.force_login(citizen("c"))
    assert client.get(URL, {"start": today, "end": today}).status_code == 403
    admin_login(client, officer("l2", {agency("Sở khác"): [Role.LEADER]}))
    assert client.get(URL, {"start": today, "end": today, "agency": desk.agency.code}).status_code == 404
    response = client.get(URL, {"start": today, "end": "2020-01-01"})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
