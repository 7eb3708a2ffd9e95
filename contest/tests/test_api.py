"""The contest's JSON API on the real database: listing, starting (201, then 200 on a retry),
reading the attempt without right answers, saving answers idempotently, submitting, the result,
the leaderboard; refusals as problem+json with contest.errors' codes and nothing changed."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from contest import services
from contest.models import Answer, Attempt, Round
from contest.tests.factories import contest_round, participant
from contest.tests.test_views import as_participant, open_round

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
API = "/api/v1/contests"


def put(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.put(url, body, content_type="application/json")


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def start(r: Round) -> tuple[Client, Any]:
    client = as_participant(participant(r.contest))
    response = post(client, f"{API}/rounds/{r.pk}/attempts")
    assert response.status_code == 201, response.content
    return client, response.json()


def problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code and response.json()["detail"]


def test_list_and_detail_show_published_contests_with_their_rounds_phase_and_count():
    r = open_round()
    body = Client().get(API).json()
    assert body["count"] == 1
    ((contest,),) = [body["results"]]
    assert contest["slug"] == r.contest.slug and contest["rounds"][0]["phase"] == "open"
    assert contest["rounds"][0]["opens_at"].endswith("+07:00")
    detail = Client().get(f"{API}/{r.contest.slug}").json()
    assert detail["prizes"]["first"] == 1
    problem(Client().get(f"{API}/khong-co"), 404, "not_found")
    problem(Client().get(f"{API}?limit=1000"), 422, "invalid_request")


def test_start_read_save_submit_and_result_through_the_api():
    r = open_round()
    client, attempt = start(r)
    assert attempt["seconds_left"] > 0 and len(attempt["questions"]) == 10
    raw = str(attempt)
    assert "correct" not in raw and "legal_basis" not in raw and "Giải thích" not in raw
    # A retried start answers with the same open attempt.
    again = post(client, f"{API}/rounds/{r.pk}/attempts")
    assert again.status_code == 200 and again.json()["id"] == attempt["id"]

    q = attempt["questions"][0]
    url = f"{API}/attempts/{attempt['id']}/answers/{q['id']}"
    first = put(client, url, {"chosen": [q["options"][0]["id"]], "seq": 1}).json()
    assert first["replayed"] is False
    assert put(client, url, {"chosen": [q["options"][0]["id"]], "seq": 1}).json()["replayed"] is True
    assert put(client, url, {"chosen": [q["options"][1]["id"]], "seq": 2}).json()["replayed"] is False
    stale = put(client, url, {"chosen": [q["options"][2]["id"]], "seq": 1}).json()
    assert stale == {"question_id": q["id"], "chosen": [q["options"][1]["id"]], "seq": 2, "replayed": True}
    assert Answer.objects.count() == 1

    read = client.get(f"{API}/attempts/{attempt['id']}").json()
    assert read["questions"][0]["chosen"] == [q["options"][1]["id"]] and read["questions"][0]["seq"] == 2
    assert put(client, f"{API}/attempts/{attempt['id']}/prediction", {"prediction": 42}).status_code == 204

    done = post(client, f"{API}/attempts/{attempt['id']}/submit", {})
    assert done.status_code == 200
    result = done.json()
    assert result["state"] == "submitted" and result["prediction"] == 42 and result["answers_public"] is False
    assert result["questions"] == []
    # Submitting again answers with the submitted attempt.
    assert post(client, f"{API}/attempts/{attempt['id']}/submit", {}).json()["submitted_at"] == result["submitted_at"]
    assert client.get(f"{API}/attempts/{attempt['id']}/result").json()["score"] == result["score"]


def test_after_closing_the_result_is_explained_and_the_leaderboard_is_paginated_and_masked():
    r = open_round()
    people = []
    for _ in range(3):
        client, attempt = start(r)
        post(client, f"{API}/attempts/{attempt['id']}/submit", {"prediction": 3})
        people.append((client, attempt))
    now = timezone.now()
    Round.objects.filter(pk=r.pk).update(opens_at=now - 3 * HOUR, closes_at=now - HOUR)
    r.refresh_from_db()
    services.round_close(round_=r, now=now)
    client, attempt = people[0]
    result = client.get(f"{API}/attempts/{attempt['id']}/result").json()
    assert result["answers_public"] is True and result["questions"][0]["legal_basis"]
    assert result["rank"] in (1, 2, 3)
    board = Client().get(f"{API}/rounds/{r.pk}/leaderboard?limit=2").json()
    assert (board["count"], len(board["results"]), board["participants"]) == (3, 2, 3)
    assert all(row["name"].startswith("Nguyễn V. T.") for row in board["results"])
    problem(Client().get(f"{API}/rounds/{r.pk}/leaderboard?limit=101"), 422, "invalid_request")


def test_refusals_are_problems_and_change_nothing():
    r = open_round()
    client, attempt = start(r)
    q = attempt["questions"][0]
    base = f"{API}/attempts/{attempt['id']}"
    problem(Client().post(f"{API}/rounds/{r.pk}/attempts"), 401, "authentication_required")
    problem(post(client, f"{API}/rounds/999999/attempts"), 404, "not_found")
    problem(put(client, f"{base}/answers/999999999", {"chosen": [1], "seq": 1}), 400, "question_not_in_attempt")
    problem(put(client, f"{base}/answers/{q['id']}", {"chosen": [999999999], "seq": 1}), 400, "invalid_choice")
    problem(put(client, f"{API}/attempts/{uuid.uuid4()}/answers/{q['id']}", {"chosen": [], "seq": 1}), 404, "not_found")
    problem(client.get(f"{API}/attempts/not-a-uuid"), 404, "not_found")
    stranger = as_participant(participant(r.contest))
    problem(stranger.get(base), 404, "not_found")
    problem(put(stranger, f"{base}/answers/{q['id']}", {"chosen": q["options"][0:1], "seq": 1}), 400, "invalid_request")
    problem(put(stranger, f"{base}/answers/{q['id']}", {"chosen": [q["options"][0]["id"]], "seq": 1}), 404, "not_found")
    problem(client.get(f"{base}/result"), 409, "result_not_yet")
    assert not Answer.objects.exists()

    Attempt.objects.filter(public_id=attempt["id"]).update(ends_at=timezone.now() - HOUR)
    problem(put(client, f"{base}/answers/{q['id']}", {"chosen": [q["options"][0]["id"]], "seq": 1}), 409, "too_late")
    problem(post(client, f"{base}/submit", {}), 409, "too_late")
    assert not Answer.objects.exists() and Attempt.objects.get().state == "open"


def test_a_second_attempt_and_a_round_not_open_are_refused():
    r = open_round()
    client, attempt = start(r)
    post(client, f"{API}/attempts/{attempt['id']}/submit", {})
    problem(post(client, f"{API}/rounds/{r.pk}/attempts"), 409, "no_attempt_left")
    later = contest_round(opens=timezone.now() + HOUR, closes=timezone.now() + 5 * HOUR)
    other_contest = as_participant(participant(later.contest))
    problem(post(other_contest, f"{API}/rounds/{later.pk}/attempts"), 409, "round_not_open")
    problem(post(other_contest, f"{API}/rounds/{r.pk}/attempts"), 403, "not_registered")
    assert Attempt.objects.count() == 1
