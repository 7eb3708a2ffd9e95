"""Satisfaction ratings: the rules (windows, scores, aggregates), one rating per dossier given by
its applicant within 14 days and changed within 7, the rating of an answer by its signed link
with the offer to reopen, and the counter's tablet locked to the invited dossier."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier
from dossiers.rules import State as DossierState
from dossiers.tests.factories import walk_to, world
from feedback import services as feedback_services
from feedback.models import FeedbackItem
from feedback.rules import State as FeedbackState
from feedback.tests.factories import make_desk, submit
from org.models import Role
from org.tests.factories import admin_login, agency, citizen, officer
from surveys import rules, services
from surveys.models import KioskDevice, Rating
from surveys.views import KIOSK_COOKIE, item_link_token

T0 = datetime.datetime(2026, 12, 7, 9, tzinfo=datetime.UTC)

# --- Rules ----------------------------------------------------------------------------------------------


def test_a_rating_is_invited_for_14_days_and_changed_for_7():
    assert rules.may_rate(invited_at=T0, now=T0 + datetime.timedelta(days=14))
    assert not rules.may_rate(invited_at=T0, now=T0 + datetime.timedelta(days=14, seconds=1))
    assert not rules.may_rate(invited_at=None, now=T0)
    assert not rules.may_rate(invited_at=T0, now=T0 - datetime.timedelta(seconds=1))
    assert rules.may_change(rated_at=T0, now=T0 + datetime.timedelta(days=7))
    assert not rules.may_change(rated_at=T0, now=T0 + datetime.timedelta(days=7, seconds=1))


@pytest.mark.parametrize("overall", [None, 0, 6])
def test_overall_is_required_from_1_to_5(overall: Any):
    assert "overall" in rules.score_problems(overall, {})


def test_criteria_are_optional_and_from_the_index():
    assert rules.score_problems(4, {"attitude": None, "result": 5}) == {}
    assert set(rules.score_problems(4, {"attitude": 9, "price": 3})) == {"attitude", "price"}
    assert "comment" in rules.score_problems(4, {}, "x" * 2001)


def test_aggregates_give_the_mean_the_distribution_and_the_response_rate():
    summary = rules.summarize([5, 4, None, 4, 1])
    assert (summary.count, summary.mean) == (4, 3.5)
    assert summary.distribution == {1: 1, 2: 0, 3: 0, 4: 2, 5: 1}
    assert rules.summarize([]).mean is None
    assert rules.response_rate(3, 4) == 0.75 and rules.response_rate(0, 0) is None
    assert rules.median_days([1, 5, 2]) == 2 and rules.median_days([]) is None


def test_one_or_two_is_unhappy():
    assert [rules.is_unhappy(s) for s in rules.SCORES] == [True, True, False, False, False]


# --- Dossiers ------------------------------------------------------------------------------------------


def _returned() -> Dossier:
    w = world()
    dossier = walk_to(w, DossierState.RETURNED, now=timezone.now() - datetime.timedelta(days=1))
    assert dossier.code is not None and dossier.applicant is not None
    return dossier


def _code(dossier: Dossier) -> str:
    return str(dossier.code)


GOOD = services.Scores(overall=5, criteria={"attitude": 5, "timeliness": 4}, comment="Nhanh")


@pytest.mark.django_db
def test_the_applicant_rates_a_returned_dossier_once_and_changes_it_within_7_days():
    dossier = _returned()
    owner = dossier.applicant
    rating = services.rating_of_dossier(dossier=dossier, scores=GOOD, rater=owner)
    assert (rating.overall, rating.attitude, rating.procedure, rating.agency_id) == (
        5,
        5,
        None,
        dossier.processing_agency_id,
    )
    changed = services.rating_of_dossier(dossier=dossier, scores=services.Scores(overall=3), rater=owner)
    assert changed.pk == rating.pk and changed.overall == 3 and Rating.objects.count() == 1
    later = timezone.now() + datetime.timedelta(days=8)
    with pytest.raises(services.RatingError, match="7 ngày"):
        services.rating_of_dossier(dossier=dossier, scores=GOOD, rater=owner, now=later)


@pytest.mark.django_db
def test_a_dossier_is_rated_only_once_returned_and_within_14_days():
    w = world()
    in_progress = walk_to(w, DossierState.IN_PROGRESS)
    with pytest.raises(services.RatingError):
        services.rating_of_dossier(dossier=in_progress, scores=GOOD, rater=w.citizen)
    late = walk_to(w, DossierState.RETURNED, now=timezone.now() - datetime.timedelta(days=15))
    with pytest.raises(services.RatingError, match="14 ngày"):
        services.rating_of_dossier(dossier=late, scores=GOOD, rater=w.citizen)


@pytest.mark.django_db
def test_only_the_owner_opens_the_rating_page_of_a_dossier(client: Client):
    dossier = _returned()
    url = reverse("surveys:rate_dossier", args=[dossier.pk])
    client.force_login(citizen("stranger"))
    assert client.get(url).status_code == 404
    client.force_login(dossier.applicant)  # type: ignore[arg-type]
    assert client.get(url).status_code == 200
    response = client.post(url, {"overall": "4", "attitude": "5", "comment": "Tốt"})
    assert "Cảm ơn bạn đã đánh giá" in response.content.decode()
    assert Rating.objects.get(dossier=dossier).overall == 4
    assert _code(dossier) in client.get(reverse("surveys:mine")).content.decode()


# --- Feedback answers -----------------------------------------------------------------------------------


def _answered() -> FeedbackItem:
    desk = make_desk()
    item = submit(now=timezone.now())
    item = feedback_services.feedback_classify(actor=desk.hotline, item=item, topic="delay")
    item = feedback_services.feedback_take(actor=desk.hotline, item=item)
    return feedback_services.feedback_answer(actor=desk.hotline, item=item, text="Đã trả kết quả.")


@pytest.mark.django_db
def test_the_sender_rates_an_answer_by_its_link_and_reopens_it_when_unhappy(client: Client):
    item = _answered()
    url = reverse("surveys:rate_item", args=[item_link_token(item)])
    assert client.get(reverse("surveys:rate_item", args=["forged"])).status_code == 404
    body = client.post(url, {"overall": "1", "comment": "Chưa đúng"}).content.decode()
    assert "Đề nghị trả lời lại" in body
    rating = Rating.objects.get(feedback_item=item)
    assert (rating.overall, rating.rater, rating.agency_id) == (1, None, item.agency_id)
    # Changed within 7 days by the link it was given with (no account needed).
    client.post(url, {"overall": "2", "comment": "Chưa đúng"})
    assert Rating.objects.get(feedback_item=item).overall == 2 and Rating.objects.count() == 1
    client.post(url, {"mo-lai": "1", "ly-do": "Tôi vẫn chưa nhận kết quả"})
    reopened = FeedbackItem.objects.get(pk=item.pk)
    assert reopened.state == FeedbackState.IN_PROGRESS
    event = reopened.events.order_by("id").last()
    assert event is not None and (event.actor_role, event.actor, event.note) == (
        "sender",
        None,
        "Tôi vẫn chưa nhận kết quả",
    )


# --- The counter's tablet --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_tablet_rates_only_the_invited_dossier_once(client: Client):
    dossier = _returned()
    counter = officer("quay", {dossier.processing_agency: [Role.COUNTER_OFFICER]})
    admin_login(client, counter)
    console = reverse("surveys:kiosk_console")
    assert client.get(console).status_code == 200
    paired = client.post(console, {"buoc": "ghep", "ten": "Quầy 3", "co_quan": dossier.processing_agency_id})
    assert paired.status_code == 302 and KIOSK_COOKIE in paired.cookies
    device = KioskDevice.objects.get()
    client.logout()
    tablet = Client()
    tablet.cookies[KIOSK_COOKIE] = paired.cookies[KIOSK_COOKIE].value
    kiosk = reverse("surveys:kiosk")
    assert _code(dossier) not in tablet.get(kiosk).content.decode()
    assert Client().get(kiosk).status_code == 403  # an unpaired browser

    services.kiosk_invite(device=device, dossier=dossier)
    page = tablet.get(kiosk).content.decode()
    assert _code(dossier) in page and dossier.applicant_name not in page
    thanks = tablet.post(kiosk, {"overall": "5"}).content.decode()
    assert "Cảm ơn" in thanks and _code(dossier) not in thanks
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.channel, rating.rater) == ("kiosk", None)
    assert "đang chờ đánh giá" in tablet.post(kiosk, {"overall": "1"}).content.decode()
    with pytest.raises(services.RatingError):
        services.kiosk_invite(device=device, dossier=dossier)


@pytest.mark.django_db
def test_an_invitation_expires_and_stays_within_the_device_s_agency():
    dossier = _returned()
    counter = officer("quay2", {dossier.processing_agency: [Role.COUNTER_OFFICER]})
    device = services.kiosk_pair(officer=counter, agency=dossier.processing_agency, name="Quầy 1")
    elsewhere = services.kiosk_pair(officer=counter, agency=agency("Sở khác"), name="Quầy khác")
    with pytest.raises(services.RatingError):
        services.kiosk_invite(device=elsewhere, dossier=dossier)
    services.kiosk_invite(device=device, dossier=dossier)
    later = timezone.now() + datetime.timedelta(minutes=services.KIOSK_MINUTES + 1)
    assert services.kiosk_dossier(device, now=later) is None
    with pytest.raises(services.RatingError):
        services.kiosk_rate(device=device, scores=GOOD, now=later)
