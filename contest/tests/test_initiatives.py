"""Initiative contests (sáng kiến, giải pháp CCHC) end to end through the services and pages: staff
submit in the window (attachments checked by the documents app), the panel scores blind against
the weighted rubric, the organiser ranks by the panel's average and publishes; every refusal
changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from contest import services
from contest.errors import InitiativeInvalid, JudgingClosed, NotFound, OwnInitiative, SubmissionsClosed
from contest.models import ContestEvent, EventAction, Initiative, Scorecard
from contest.rules import Prize
from contest.tests.initiative_factories import CLOSES, JUDGING, OPENS, initiative, initiative_contest, judge, points
from documents.tests import samples
from org.tests.factories import admin_login, officer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def file_root(settings, tmp_path):
    settings.FILE_STORAGE_ROOT = tmp_path / "files"


def draft(**changes):
    fields = {
        "title": "Phiếu hẹn điện tử qua Zalo",
        "problem": "Người dân làm mất phiếu hẹn giấy.",
        "solution": "Gửi phiếu hẹn qua tin nhắn.",
        "expected_effect": "Không còn trường hợp mất phiếu hẹn.",
        "author_unit": "UBND phường Tây Nha Trang",
    }
    return services.InitiativeDraft(**{**fields, **changes})


# --- Submitting ---------------------------------------------------------------------------------


def test_staff_submit_in_the_window_with_an_attachment_and_get_consecutive_codes():
    contest = initiative_contest()
    author = officer("tacgia", full_name="Phạm Văn Sáng")
    first = services.initiative_submit(
        contest=contest,
        author=author,
        draft=draft(),
        uploads=[services.Upload(samples.pdf(text="Thuyết minh sáng kiến"), "thuyet-minh.pdf")],
        now=OPENS,
    )
    second = initiative(contest, at=OPENS + datetime.timedelta(days=1))
    assert (first.code, second.code) == ("SK-001", "SK-002")
    assert first.author_name == "Phạm Văn Sáng"
    ((name, content_type),) = first.attachments.values_list("name", "file__content_type")
    assert (name, content_type) == ("thuyet-minh.pdf", "application/pdf")


@pytest.mark.parametrize("at", [OPENS - datetime.timedelta(seconds=1), CLOSES])
def test_outside_the_window_a_submission_is_refused(at):
    contest = initiative_contest()
    with pytest.raises(SubmissionsClosed):
        services.initiative_submit(contest=contest, author=officer("x"), draft=draft(), uploads=[], now=at)
    assert not Initiative.objects.exists()


def test_an_empty_field_or_a_file_the_documents_checks_refuse_saves_nothing():
    contest = initiative_contest()
    author = officer("x")
    with pytest.raises(InitiativeInvalid) as empty:
        services.initiative_submit(contest=contest, author=author, draft=draft(solution="  "), uploads=[], now=OPENS)
    assert set(empty.value.problems) == {"solution"}
    with pytest.raises(InitiativeInvalid) as bad_file:
        services.initiative_submit(
            contest=contest,
            author=author,
            draft=draft(),
            uploads=[services.Upload(b"MZ\x90\x00 not a document", "giai-phap.pdf")],
            now=OPENS,
        )
    assert "giai-phap.pdf" in bad_file.value.problems["attachments"]
    assert not Initiative.objects.exists()


# --- Scoring ------------------------------------------------------------------------------------


def test_a_judge_scores_against_the_weighted_rubric_and_saving_again_replaces_the_card():
    contest = initiative_contest()
    item = initiative(contest)
    jury = judge(contest)
    card = services.scorecard_save(
        initiative=item, user=jury, points=points(contest, 10, 5, 0), comment="", now=JUDGING
    )
    assert card.score == Decimal("60.00")  # 40×10/10 + 40×5/10 + 20×0/10
    services.scorecard_save(initiative=item, user=jury, points=points(contest, 10, 10, 5), comment="Tốt", now=JUDGING)
    assert list(Scorecard.objects.values_list("score", "comment")) == [(Decimal("90.00"), "Tốt")]


def test_scoring_is_refused_before_the_close_off_the_panel_for_ones_own_and_out_of_range():
    contest = initiative_contest()
    jury = judge(contest)
    item = initiative(contest)
    own = initiative(contest, jury)
    with pytest.raises(JudgingClosed):
        services.scorecard_save(initiative=item, user=jury, points=points(contest, 5, 5, 5), comment="", now=OPENS)
    with pytest.raises(NotFound):
        services.scorecard_save(
            initiative=item, user=officer("ngoai"), points=points(contest, 5, 5, 5), comment="", now=JUDGING
        )
    with pytest.raises(OwnInitiative):
        services.scorecard_save(initiative=own, user=jury, points=points(contest, 10, 10, 10), comment="", now=JUDGING)
    with pytest.raises(InitiativeInvalid) as wrong:
        services.scorecard_save(initiative=item, user=jury, points=points(contest, 11, 5, 5), comment="", now=JUDGING)
    assert len(wrong.value.problems) == 1
    assert not Scorecard.objects.exists()


# --- Ranking and publishing -----------------------------------------------------------------------


def test_the_panel_average_ranks_the_initiatives_prizes_follow_and_judging_then_stops():
    contest = initiative_contest(prize_threshold=50, judging_quorum=2)
    a, b, c, lone = (initiative(contest) for _ in range(4))
    jury = [judge(contest), judge(contest)]
    scores = {a: [(10, 10, 10), (8, 8, 8)], b: [(10, 10, 10), (10, 10, 0)], c: [(4, 4, 4), (5, 5, 5)]}
    for item, cards in scores.items():
        for person, values in zip(jury, cards, strict=True):
            services.scorecard_save(
                initiative=item, user=person, points=points(contest, *values), comment="", now=JUDGING
            )
    services.scorecard_save(initiative=lone, user=jury[0], points=points(contest, 10, 10, 10), comment="", now=JUDGING)

    assert services.initiatives_rank(contest=contest, now=JUDGING) == 3
    ranked = {i.code: (i.rank, i.average, i.prize, i.scorecards) for i in Initiative.objects.filter(contest=contest)}
    # a: (100 + 80)/2 = 90; b: (100 + 80)/2 = 90, lowest judge 80 both: a submitted first; c: 45, below 50.
    assert ranked[a.code] == (1, Decimal("90.00"), Prize.FIRST, 2)
    assert ranked[b.code] == (2, Decimal("90.00"), Prize.SECOND, 2)
    assert ranked[c.code] == (3, Decimal("45.00"), "", 2)
    assert ranked[lone.code] == (None, Decimal("100.00"), "", 1)  # one scorecard, the quorum is two
    with pytest.raises(JudgingClosed):
        services.scorecard_save(initiative=c, user=jury[0], points=points(contest, 10, 10, 10), comment="", now=JUDGING)
    assert services.initiatives_rank(contest=contest, now=JUDGING) == 3  # again: the same outcome
    assert Initiative.objects.get(pk=a.pk).rank == 1


def test_results_are_hidden_until_published_then_list_authors_and_winners_in_full(client):
    contest = initiative_contest()
    item = initiative(contest, title="Một cửa không chờ")
    services.scorecard_save(
        initiative=item, user=judge(contest), points=points(contest, 9, 9, 9), comment="", now=JUDGING
    )
    with pytest.raises(JudgingClosed):
        services.initiatives_publish(contest=contest, now=JUDGING)
    services.initiatives_rank(contest=contest, now=JUDGING)
    assert client.get(f"/cuoc-thi/{contest.slug}/ket-qua/").status_code == 409
    assert client.get(f"/cuoc-thi/{contest.slug}/sang-kien/{item.code}/").status_code == 409
    services.initiatives_publish(contest=contest, now=JUDGING)
    page = client.get(f"/cuoc-thi/{contest.slug}/ket-qua/").content.decode()
    assert "Một cửa không chờ" in page and "Lê Thị Tác Giả" in page and "90,00" in page
    assert (
        "Hồ sơ giấy lưu trữ phân tán" in client.get(f"/cuoc-thi/{contest.slug}/sang-kien/{item.code}/").content.decode()
    )
    actions = list(ContestEvent.objects.filter(contest=contest).values_list("action", flat=True))
    assert sorted(actions) == [EventAction.INITIATIVES_RANKED, EventAction.RESULTS_PUBLISHED]


# --- Pages --------------------------------------------------------------------------------------


def test_the_judges_page_never_shows_the_author_and_saves_the_rubric(settings):
    contest = initiative_contest(
        closes=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), opens=OPENS - datetime.timedelta(days=200)
    )
    item = initiative(contest, at=OPENS - datetime.timedelta(days=100))
    jury = judge(contest)
    browser = Client()
    admin_login(browser, jury)
    listing = browser.get(f"/cuoc-thi/{contest.slug}/cham-diem/").content.decode()
    assert item.code in listing and item.title in listing
    page = browser.get(f"/cuoc-thi/{contest.slug}/cham-diem/{item.code}/").content.decode()
    assert item.solution in page
    assert "Lê Thị Tác Giả" not in page and "Văn phòng UBND phường Nha Trang" not in page
    form = {f"criterion_{pk}": value for pk, value in points(contest, 8, 6, 10).items()} | {"comment": "Khả thi"}
    response = browser.post(f"/cuoc-thi/{contest.slug}/cham-diem/{item.code}/", form)
    assert response.status_code == 302
    assert Scorecard.objects.get().score == Decimal("76.00")  # 32 + 24 + 20


def test_off_the_panel_the_judging_pages_answer_not_found_and_anonymous_visitors_sign_in():
    contest = initiative_contest()
    item = initiative(contest)
    stranger = Client()
    admin_login(stranger, officer("nguoingoai"))
    assert stranger.get(f"/cuoc-thi/{contest.slug}/cham-diem/").status_code == 404
    assert stranger.get(f"/cuoc-thi/{contest.slug}/cham-diem/{item.code}/").status_code == 404
    assert Client().get(f"/cuoc-thi/{contest.slug}/cham-diem/").status_code == 302


def test_an_officer_submits_on_the_page_with_an_attachment(tmp_path):
    contest = initiative_contest(
        opens=OPENS - datetime.timedelta(days=3650), closes=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC)
    )
    author = officer("tacgia2", full_name="Võ Thị Hạnh")
    browser = Client()
    admin_login(browser, author)
    upload = tmp_path / "thuyet-minh.pdf"
    upload.write_bytes(samples.pdf(text="Thuyết minh"))
    with upload.open("rb") as handle:
        response = browser.post(
            f"/cuoc-thi/{contest.slug}/gui-sang-kien/",
            {**draft().__dict__, "attachments": handle},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Initiative.objects.get()
    assert (saved.author, saved.attachments.count()) == (author, 1)
    detail = browser.get(f"/cuoc-thi/{contest.slug}/").content.decode()
    assert "SK-001" in detail and "Sáng kiến bạn đã gửi" in detail
    listing = browser.get("/cuoc-thi/").content.decode()
    assert "Cuộc thi sáng kiến, giải pháp cải cách hành chính — nhận sáng kiến từ" in listing
    assert "Chưa có vòng thi" not in listing


# --- API ----------------------------------------------------------------------------------------


def test_the_api_gives_the_rubric_then_after_publication_the_ranking_and_the_winners_in_full(client):
    contest = initiative_contest()
    item = initiative(contest, title="Tra cứu hồ sơ bằng mã QR")
    detail = client.get(f"/api/v1/contests/{contest.slug}").json()
    assert detail["kind"] == "initiative"
    assert [(c["name"], c["weight"]) for c in detail["initiative"]["criteria"]] == [
        ("Tính mới, sáng tạo", 40),
        ("Hiệu quả, lợi ích mang lại", 40),
        ("Khả năng nhân rộng", 20),
    ]
    assert client.get(f"/api/v1/contests/{contest.slug}/initiatives").json()["code"] == "result_not_yet"
    services.scorecard_save(
        initiative=item, user=judge(contest), points=points(contest, 10, 7, 5), comment="", now=JUDGING
    )
    services.initiatives_rank(contest=contest, now=JUDGING)
    services.initiatives_publish(contest=contest, now=JUDGING)
    ranking = client.get(f"/api/v1/contests/{contest.slug}/initiatives").json()
    assert ranking["count"] == 1
    assert ranking["results"][0] | {} == {
        "rank": 1,
        "code": item.code,
        "title": "Tra cứu hồ sơ bằng mã QR",
        "author_name": "Lê Thị Tác Giả",
        "author_unit": "Văn phòng UBND phường Nha Trang",
        "average": 78.0,  # 40 + 28 + 10
        "scorecards": 1,
        "prize": "first",
    }
    winner = client.get(f"/api/v1/contests/{contest.slug}/initiatives/{item.code}").json()
    assert winner["solution"] == item.solution
    assert client.get(f"/api/v1/contests/{contest.slug}/initiatives/SK-999").status_code == 404


def test_an_attachment_goes_to_the_author_and_the_panel_and_to_everybody_once_a_published_winner():
    contest = initiative_contest()
    author = officer("tacgia3")
    item = services.initiative_submit(
        contest=contest,
        author=author,
        draft=draft(),
        uploads=[services.Upload(samples.pdf(text="Bản thuyết minh"), "thuyet-minh.pdf")],
        now=OPENS,
    )
    url = f"/cuoc-thi/{contest.slug}/sang-kien/{item.code}/tep/{item.attachments.get().pk}/"
    jury = judge(contest)
    for person, expected in ((author, 200), (jury, 200), (officer("nguoingoai2"), 404)):
        browser = Client()
        admin_login(browser, person)
        assert browser.get(url).status_code == expected, person
    assert Client().get(url).status_code == 404
    services.scorecard_save(initiative=item, user=jury, points=points(contest, 9, 9, 9), comment="", now=JUDGING)
    services.initiatives_rank(contest=contest, now=JUDGING)
    services.initiatives_publish(contest=contest, now=JUDGING)
    response = Client().get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF")
