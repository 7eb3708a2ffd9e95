"""The invitation to rate: the notice of a returned dossier and the notice of an answer carry a
signed link to the rating page (in the recipient's language, naming the dossier or the item, never
the person); "Hồ sơ của tôi" invites the rating of a dossier returned in the last 14 days and the
change of a rating given in the last 7; whoever holds the link rates without an account and may
change the rating for 7 days; an unhappy rating of an answer offers to reopen the item."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier
from dossiers.rules import State as DossierState
from dossiers.tests.factories import walk_to, world
from feedback import services as feedback_services
from feedback.models import FeedbackItem
from feedback.tests.factories import make_desk, submit
from notifications.messages import compose
from notifications.models import Notification
from surveys import links, services
from surveys.models import Rating

pytestmark = pytest.mark.django_db


def _returned(days_ago: float = 1) -> Dossier:
    return walk_to(world(), DossierState.RETURNED, now=timezone.now() - datetime.timedelta(days=days_ago))


def _answered() -> FeedbackItem:
    desk = make_desk()
    item = submit(now=timezone.now())
    item = feedback_services.feedback_classify(actor=desk.hotline, item=item, topic="delay")
    item = feedback_services.feedback_take(actor=desk.hotline, item=item)
    return feedback_services.feedback_answer(actor=desk.hotline, item=item, text="Đã trả kết quả.")


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_the_notice_of_a_returned_dossier_invites_a_rating_by_a_link_to_that_dossier():
    dossier = _returned()
    notices = Notification.objects.about(dossier).filter(template_key="dossier.return_result")
    assert notices.exists()
    for notice in notices:
        link = notice.payload["rating_link"]
        token = _path(link).rstrip("/").rsplit("/", 1)[1]
        assert links.pk_of(token, salt=links.DOSSIER_SALT) == dossier.pk
        assert dossier.applicant_phone not in link and str(dossier.applicant_personal_id) not in link
        message = compose("dossier.return_result", notice.payload, notice.language)
        assert link in " ".join(message.paragraphs) and link in message.sms
    # The earlier notices (reception, …) invite nothing.
    assert not any(
        "rating_link" in n.payload
        for n in Notification.objects.about(dossier).exclude(template_key="dossier.return_result")
    )


def test_the_notice_of_an_answer_invites_a_rating_by_the_link_that_offers_to_reopen():
    item = _answered()
    notice = Notification.objects.about(item).get(template_key="feedback.answer")
    token = _path(notice.payload["rating_link"]).rstrip("/").rsplit("/", 1)[1]
    assert links.pk_of(token, salt=links.ITEM_SALT) == item.pk
    english = compose("feedback.answer", notice.payload, "en")
    assert notice.payload["rating_link"] in " ".join(english.paragraphs)
    assert "reconsidered" in " ".join(english.paragraphs)


def test_the_link_is_in_the_recipient_s_language():
    assert _path(links.item_link(7, "en")).startswith("/en/danh-gia/phan-anh/")
    assert _path(links.dossier_link(7, "ko")).startswith("/ko/danh-gia/ho-so/lien-ket/")
    assert _path(links.dossier_link(7, "vi")).startswith("/danh-gia/ho-so/lien-ket/")


def test_whoever_holds_the_link_rates_the_dossier_without_an_account_and_changes_it_for_7_days(client: Client):
    dossier = _returned()
    link = _path(links.dossier_link(dossier.pk, "vi"))
    assert client.get(link).status_code == 200
    assert "Cảm ơn bạn đã đánh giá" in client.post(link, {"overall": "2", "attitude": "1"}).content.decode()
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.overall, rating.attitude, rating.rater, rating.channel) == (2, 1, None, "web")
    client.post(link, {"overall": "4"})
    assert Rating.objects.get(dossier=dossier).overall == 4 and Rating.objects.count() == 1
    later = timezone.now() + datetime.timedelta(days=8)
    with pytest.raises(services.RatingError, match="7 ngày"):
        services.rating_of_dossier(dossier=dossier, scores=services.Scores(overall=5), rater=None, now=later)


def test_a_forged_link_or_a_dossier_not_returned_has_no_rating_page(client: Client):
    assert client.get(reverse("surveys:rate_dossier_link", args=["forged"])).status_code == 404
    in_progress = walk_to(world(), DossierState.IN_PROGRESS)
    item_token = links.token_of(in_progress.pk, salt=links.ITEM_SALT)  # another kind of link
    assert client.get(reverse("surveys:rate_dossier_link", args=[item_token])).status_code == 404
    assert client.get(_path(links.dossier_link(in_progress.pk, "vi"))).status_code == 404


def test_my_dossiers_invite_a_rating_for_14_days_then_its_change_for_7(client: Client):
    recent = _returned(days_ago=1)
    client.force_login(recent.applicant)  # type: ignore[arg-type]
    mine = reverse("dossiers:mine")
    rate = reverse("surveys:rate_dossier", args=[recent.pk])
    page = client.get(mine).content.decode()
    assert rate in page and "Đánh giá mức độ hài lòng" in page
    detail = client.get(reverse("dossiers:detail", args=[recent.pk])).content.decode()
    assert rate in detail
    services.rating_of_dossier(dossier=recent, scores=services.Scores(overall=5), rater=recent.applicant)
    page = client.get(mine).content.decode()
    assert rate in page and "Sửa đánh giá" in page


def test_my_dossiers_do_not_invite_after_14_days_nor_after_a_rating_on_the_tablet(client: Client):
    old = _returned(days_ago=15)
    client.force_login(old.applicant)  # type: ignore[arg-type]
    assert reverse("surveys:rate_dossier", args=[old.pk]) not in client.get(reverse("dossiers:mine")).content.decode()
    on_tablet = _returned()
    Rating.objects.create(
        dossier=on_tablet,
        agency_id=on_tablet.processing_agency_id,
        overall=5,
        channel="kiosk",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    client.force_login(on_tablet.applicant)  # type: ignore[arg-type]
    assert (
        reverse("surveys:rate_dossier", args=[on_tablet.pk])
        not in client.get(reverse("dossiers:mine")).content.decode()
    )
    with pytest.raises(services.RatingError, match="đã được đánh giá"):
        services.rating_of_dossier(dossier=on_tablet, scores=services.Scores(overall=1), rater=on_tablet.applicant)


def test_my_dossiers_ask_the_same_queries_for_one_returned_dossier_as_for_many(
    client: Client, django_assert_max_num_queries
):
    w = world()
    first = walk_to(w, DossierState.RETURNED, now=timezone.now() - datetime.timedelta(days=1))
    client.force_login(first.applicant)  # type: ignore[arg-type]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("dossiers:mine"))
    for _ in range(4):
        walk_to(w, DossierState.RETURNED, now=timezone.now() - datetime.timedelta(days=1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("dossiers:mine")).content.decode()
    assert page.count("Đánh giá mức độ hài lòng") == 5


def test_an_unhappy_rating_by_the_link_offers_to_reopen_the_item_also_when_the_page_is_opened_again(client: Client):
    item = _answered()
    link = _path(links.item_link(item.pk, "vi"))
    assert "Đề nghị trả lời lại" not in client.get(link).content.decode()
    client.post(link, {"overall": "1"})
    assert "Đề nghị trả lời lại" in client.get(link).content.decode()
    client.post(link, {"overall": "4"})  # changed within 7 days by the link
    assert Rating.objects.get(feedback_item=item).overall == 4
    assert "Đề nghị trả lời lại" not in client.get(link).content.decode()
