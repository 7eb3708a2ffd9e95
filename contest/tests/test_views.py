"""The participants' pages through Django's test client on the real database: registering with a
phone code, taking a round, saving answers (idempotent), submitting, the result; and every bad
input answered with a localized refusal and nothing changed."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from contest import services
from contest.models import Answer, Attempt, Participant, Round
from contest.rules import AttemptState, Group
from integrations.sms import LocmemSmsBackend
from org.tests.factories import citizen

from .factories import bank, commune, contest_round, participant

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def open_round(**fields: Any) -> Round:
    now = timezone.now()
    return contest_round(opens=now - HOUR, closes=now + 24 * HOUR, **fields)


def as_participant(person: Participant) -> Client:
    client = Client()
    session = client.session
    session["contest.participants"] = {str(person.contest_id): person.pk}
    session.save()
    return client


def started(r: Round) -> tuple[Client, Participant, Attempt]:
    person = participant(r.contest)
    client = as_participant(person)
    response = client.post(f"/cuoc-thi/{r.contest.slug}/vong-1/bat-dau/")
    assert response.status_code == 302
    return client, person, Attempt.objects.get(participant=person)


def save(client: Client, attempt: Attempt, question: int, chosen: list[int], seq: int, **headers: Any) -> Any:
    return client.post(
        f"/bai-thi/{attempt.public_id}/tra-loi/", {"question": question, "choice": chosen, "seq": seq}, **headers
    )


def state_of(attempt: Attempt) -> tuple[Any, ...]:
    attempt.refresh_from_db()
    answers = sorted(Answer.objects.filter(attempt=attempt).values_list("question_id", "chosen", "seq"))
    return attempt.state, attempt.score, attempt.prediction, tuple(map(tuple, answers))


# --- Pages --------------------------------------------------------------------------------------


def test_the_list_shows_open_upcoming_and_finished_rounds_with_their_times():
    r = open_round()
    now = timezone.now()
    Round.objects.create(
        contest=r.contest,
        number=2,
        title="Tuần 2",
        opens_at=now + 7 * 24 * HOUR,
        closes_at=now + 14 * 24 * HOUR,
        bank=r.bank,
    )
    Round.objects.create(
        contest=r.contest,
        number=3,
        title="Tuần 0",
        opens_at=now - 14 * 24 * HOUR,
        closes_at=now - 7 * 24 * HOUR,
        bank=r.bank,
    )
    page = Client().get("/cuoc-thi/").content.decode()
    assert "Đang diễn ra" in page and "Sắp diễn ra" in page and "Đã kết thúc" in page
    opens = timezone.localtime(now + 7 * 24 * HOUR)
    assert f"mở lúc {opens:%H:%M} ngày {opens:%d/%m/%Y}" in page
    detail = Client().get(f"/cuoc-thi/{r.contest.slug}/").content.decode()
    assert "Đăng ký dự thi" in detail and "Tuần 2" in detail


def test_register_with_a_phone_code_then_take_save_reload_and_submit(django_capture_on_commit_callbacks):
    r = open_round()
    place = commune()
    client = Client()
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cuoc-thi/{r.contest.slug}/dang-ky/",
            {
                "full_name": "  Trần   Thị Mai ",
                "birth_date": "2001-04-30",
                "commune": place.pk,
                "group": Group.STUDENT,
                "phone": "0905 123 456",
            },
        )
    assert response.status_code == 302 and response["Location"].endswith("/xac-nhan-so-dien-thoai/")
    ((to, sms),) = LocmemSmsBackend.outbox
    code = re.search(r"\b(\d{6})\b", sms.text).group(1)  # type: ignore[union-attr]
    assert to == "0905123456" and code not in client.get(response["Location"]).content.decode()

    wrong = client.post(response["Location"], {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 200 and "Mã xác nhận không đúng" in wrong.content.decode()
    assert not Participant.objects.exists()
    done = client.post(response["Location"], {"code": code})
    assert done.status_code == 302
    person = Participant.objects.get()
    assert (person.full_name, person.phone, person.group) == ("Trần Thị Mai", "0905123456", Group.STUDENT)

    start = client.post(f"/cuoc-thi/{r.contest.slug}/vong-1/bat-dau/")
    attempt = Attempt.objects.get()
    assert start["Location"] == f"/bai-thi/{attempt.public_id}/"
    page = client.get(start["Location"]).content.decode()
    # No right answer, explanation or legal basis in the page while the attempt is open.
    assert "Giải thích câu" not in page and "Nghị định 61/2018" not in page and "correct" not in page
    first = attempt.questions[0]
    assert save(client, attempt, first["id"], [first["options"][0]["id"]], 1, HTTP_HX_REQUEST="true").status_code == 200
    # The same save again (a retry) and an older one (overtaken) change nothing.
    assert save(client, attempt, first["id"], [first["options"][0]["id"]], 1, HTTP_HX_REQUEST="true").status_code == 200
    assert save(client, attempt, first["id"], [first["options"][1]["id"]], 2).status_code == 302
    assert save(client, attempt, first["id"], [first["options"][2]["id"]], 1).status_code == 302
    assert Answer.objects.get().chosen == [first["options"][1]["id"]]
    # A reload finds the saved answer checked, and the next seq to use.
    again = client.get(start["Location"]).content.decode()
    assert f'value="{first["options"][1]["id"]}" checked' in again and 'name="seq" value="3"' in again
    assert client.post(f"/bai-thi/{attempt.public_id}/du-doan/", {"prediction": "1234"}).status_code == 302

    submitted = client.post(f"/bai-thi/{attempt.public_id}/nop-bai/")
    assert submitted["Location"] == f"/bai-thi/{attempt.public_id}/ket-qua/"
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED and attempt.prediction == 1234
    result = client.get(submitted["Location"]).content.decode()
    assert "điểm" in result and "được công bố sau khi vòng thi kết thúc" in result
    assert "Nghị định 61/2018" not in result  # the round is still open: no answers yet


def test_a_signed_in_vneid_citizen_registers_without_a_phone():
    r = open_round()
    user = citizen("ngoc", personal_id="079190000123", birth_date=datetime.date(1990, 5, 1))
    client = Client()
    client.force_login(user)
    form = client.get(f"/cuoc-thi/{r.contest.slug}/dang-ky/").content.decode()
    assert "Số điện thoại" not in form and user.full_name in form
    response = client.post(
        f"/cuoc-thi/{r.contest.slug}/dang-ky/",
        {
            "full_name": user.full_name,
            "birth_date": "1990-05-01",
            "commune": commune().pk,
            "group": Group.CIVIL_SERVANT,
        },
    )
    assert response.status_code == 302
    person = Participant.objects.get()
    assert person.personal_id == "079190000123" and person.user == user and not person.phone
    assert client.post(f"/cuoc-thi/{r.contest.slug}/vong-1/bat-dau/").status_code == 302


def test_after_the_round_closes_the_result_explains_answers_and_the_leaderboard_masks_names():
    r = open_round()
    client, person, attempt = started(r)
    for q in attempt.questions:
        save(client, attempt, q["id"], q["correct"], 1)
    client.post(f"/bai-thi/{attempt.public_id}/nop-bai/", {"prediction": "1"})
    now = timezone.now()
    Round.objects.filter(pk=r.pk).update(opens_at=now - 3 * HOUR, closes_at=now - HOUR)
    r.refresh_from_db()
    services.round_close(round_=r, now=now)
    result = client.get(f"/bai-thi/{attempt.public_id}/ket-qua/").content.decode()
    assert "Nghị định 61/2018" in result and "Giải thích câu" in result and "đáp án đúng" in result
    assert "Giải Nhất" in result
    board = Client().get(f"/cuoc-thi/{r.contest.slug}/vong-1/xep-hang/").content.decode()
    assert "Nguyễn V. T. S." in board and person.full_name not in board


# --- Bad input: a localized refusal, nothing changed ---------------------------------------------


def test_unknown_contest_and_round_answer_a_localized_not_found():
    r = open_round()
    client = as_participant(participant(r.contest))
    for url, method in [
        ("/cuoc-thi/khong-co/", "get"),
        ("/cuoc-thi/khong-co/dang-ky/", "get"),
        (f"/cuoc-thi/{r.contest.slug}/vong-9/bat-dau/", "post"),
        (f"/cuoc-thi/{r.contest.slug}/vong-9/xep-hang/", "get"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 404, url
        assert "Không tìm thấy cuộc thi, vòng thi hoặc lượt thi này." in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_round_not_open_is_refused():
    now = timezone.now()
    r = contest_round(opens=now + HOUR, closes=now + 48 * HOUR)
    client = as_participant(participant(r.contest))
    response = client.post(f"/cuoc-thi/{r.contest.slug}/vong-1/bat-dau/")
    assert response.status_code == 409 and "Vòng thi chưa mở hoặc đã kết thúc." in response.content.decode()
    assert not Attempt.objects.exists()


def test_starting_without_registering_is_refused():
    r = open_round()
    response = Client().post(f"/cuoc-thi/{r.contest.slug}/vong-1/bat-dau/")
    assert response.status_code == 403 and "Bạn cần đăng ký dự thi" in response.content.decode()
    assert not Attempt.objects.exists()


def test_an_answer_to_a_question_not_in_the_attempt_or_with_a_bad_option_is_refused():
    r = open_round()
    client, _person, attempt = started(r)
    before = state_of(attempt)
    outside = 10**9
    response = save(client, attempt, outside, [1], 1)
    assert response.status_code == 400 and "Câu hỏi này không có trong đề thi của bạn." in response.content.decode()
    q = attempt.questions[0]
    response = save(client, attempt, q["id"], [10**9], 1, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "Phương án chọn không hợp lệ" in response.content.decode()
    response = save(client, attempt, q["id"], ["abc"], "x")
    assert response.status_code == 400
    assert state_of(attempt) == before


def test_a_late_answer_and_a_late_submission_are_refused():
    r = open_round()
    client, _person, attempt = started(r)
    q = attempt.questions[0]
    before = state_of(attempt)
    Attempt.objects.filter(pk=attempt.pk).update(ends_at=timezone.now() - 11 * datetime.timedelta(seconds=1))
    response = save(client, attempt, q["id"], q["correct"], 1)
    assert response.status_code == 409 and "Đã hết thời gian làm bài" in response.content.decode()
    response = client.post(f"/bai-thi/{attempt.public_id}/nop-bai/")
    assert response.status_code == 409
    assert state_of(attempt) == before


def test_a_second_attempt_is_refused_and_an_answer_after_submitting_too():
    r = open_round()
    client, _person, attempt = started(r)
    client.post(f"/bai-thi/{attempt.public_id}/nop-bai/")
    before = state_of(attempt)
    response = client.post(f"/cuoc-thi/{r.contest.slug}/vong-1/bat-dau/")
    assert response.status_code == 409 and "Bạn đã dùng hết 1 lượt thi" in response.content.decode()
    q = attempt.questions[0]
    response = save(client, attempt, q["id"], q["correct"], 5, HTTP_HX_REQUEST="true")
    assert response.status_code == 409 and "Lượt thi đã kết thúc" in response.content.decode()
    assert Attempt.objects.count() == 1 and state_of(attempt) == before


@pytest.mark.parametrize("tamper", ["not-a-uuid", str(uuid.uuid4()), "other"])
def test_a_tampered_or_anothers_attempt_id_answers_not_found(tamper: str):
    r = open_round()
    _client, _person, mine = started(r)
    stranger = as_participant(participant(r.contest))
    public_id = str(mine.public_id) if tamper == "other" else tamper
    before = state_of(mine)
    q = mine.questions[0]
    for method, path, data in [
        ("get", "", {}),
        ("post", "tra-loi/", {"question": q["id"], "choice": q["correct"], "seq": 1}),
        ("post", "du-doan/", {"prediction": 5}),
        ("post", "nop-bai/", {}),
        ("get", "ket-qua/", {}),
    ]:
        response = getattr(stranger, method)(f"/bai-thi/{public_id}/{path}", data)
        assert response.status_code == 404, path
        assert "Không tìm thấy cuộc thi, vòng thi hoặc lượt thi này." in response.content.decode()
    assert state_of(mine) == before


def test_a_round_that_cannot_draw_says_so_to_the_taker():
    r = open_round(qb=bank({"TTHC": 2}), draw={"*": {"TTHC": 5}})
    client = as_participant(participant(r.contest))
    response = client.post(f"/cuoc-thi/{r.contest.slug}/vong-1/bat-dau/")
    assert response.status_code == 503 and "chưa đủ câu" in response.content.decode()


def test_the_portal_menu_and_home_page_show_the_contests_through_the_shell():
    r = open_round()
    home = Client().get("/").content.decode()
    assert 'href="/cuoc-thi/"' in home and "Cuộc thi trực tuyến" in home
    assert f'href="/cuoc-thi/{r.contest.slug}/"' in home and "Đang diễn ra" in home


def test_participation_figures_per_contest_and_round_by_group_age_and_commune_with_a_table():
    r = open_round()
    young = participant(
        r.contest, group=Group.STUDENT, birth_date=datetime.date(2011, 1, 1), commune=commune("Xã Cam Lâm")
    )
    services.attempt_start(round_=r, participant=young, now=timezone.now())
    for _ in range(2):
        person = participant(r.contest, group=Group.CIVIL_SERVANT, birth_date=datetime.date(1980, 6, 1))
        services.attempt_start(round_=r, participant=person, now=timezone.now())
    page = Client().get(f"/cuoc-thi/{r.contest.slug}/so-lieu/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>3</strong> lượt người tham gia, 3 lượt thi." in html
    assert "Cán bộ, công chức, viên chức</td><td>2</td><td>66,7%" in html
    assert "Dưới 18 tuổi</td><td>1</td>" in html and "Từ 46 đến 60 tuổi</td><td>2</td>" in html
    assert "Xã Cam Lâm</td><td>1</td>" in html
    assert 'data-participation-chart="by-group-data"' in html and 'id="by-group-data"' in html
    round_page = Client().get(f"/cuoc-thi/{r.contest.slug}/so-lieu/?vong=1").content.decode()
    assert "<strong>3</strong> lượt người tham gia" in round_page
    assert Client().get(f"/cuoc-thi/{r.contest.slug}/so-lieu/?vong=9").status_code == 404
    assert Client().get(f"/cuoc-thi/{r.contest.slug}/so-lieu/?vong=x").status_code == 404
