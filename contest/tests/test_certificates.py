"""Giấy chứng nhận as PDF: downloadable by the participant once the round is ranked (a prize
certificate for a winner, a participation certificate otherwise), refused before and to anybody
else; the text in the PDF is the participant's, in Vietnamese."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.test import Client

from contest import services
from contest.models import Attempt, Standing
from contest.tests.factories import CLOSES, OPENS, contest_round, participant, right_answers
from contest.tests.test_views import as_participant

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def taken(r, person, right: int):
    at = OPENS + datetime.timedelta(minutes=5)
    attempt, _started = services.attempt_start(round_=r, participant=person, now=at)
    for question_id, correct in list(right_answers(attempt).items())[:right]:
        services.answer_save(
            public_id=attempt.public_id, participant=person, question_id=question_id, chosen=correct, seq=1, now=at
        )
    services.attempt_submit(public_id=attempt.public_id, participant=person, now=at, prediction=2)
    return attempt


def test_the_winner_and_a_participant_download_their_certificates_once_the_round_is_ranked(tmp_path):
    r = contest_round(first_prizes=1, second_prizes=0, third_prizes=0, consolation_prizes=0)
    r.contest.organiser = "Sở Tư pháp tỉnh Khánh Hòa"
    r.contest.save()
    winner = participant(r.contest, full_name="Trần Thị Mai Hương")
    other = participant(r.contest, full_name="Nguyễn Văn Đức")
    won, took_part = taken(r, winner, 9), taken(r, other, 3)
    mai = as_participant(winner)
    assert mai.get(f"/bai-thi/{won.public_id}/giay-chung-nhan.pdf").status_code == 409  # not ranked yet

    services.round_close(round_=r, now=CLOSES + datetime.timedelta(minutes=1))
    response = mai.get(f"/bai-thi/{won.public_id}/giay-chung-nhan.pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = pdf_text(response.content, tmp_path)
    assert "GIẤY CHỨNG NHẬN ĐOẠT GIẢI" in text and "TRẦN THỊ MAI HƯƠNG" in text and "Giải Nhất" in text
    assert "Điểm: 9/10" in text and "Xếp hạng: 1/2" in text

    text = pdf_text(as_participant(other).get(f"/bai-thi/{took_part.public_id}/giay-chung-nhan.pdf").content, tmp_path)
    assert "GIẤY CHỨNG NHẬN" in text and "ĐOẠT GIẢI" not in text and "Đã tham gia" in text
    assert "NGUYỄN VĂN ĐỨC" in text and "Xếp hạng: 2/2" in text
    assert Standing.objects.count() == 2


def test_nobody_else_gets_a_participants_certificate():
    r = contest_round()
    person = participant(r.contest)
    attempt = taken(r, person, 5)
    services.round_close(round_=r, now=CLOSES + datetime.timedelta(minutes=1))
    stranger = as_participant(participant(r.contest))
    assert stranger.get(f"/bai-thi/{attempt.public_id}/giay-chung-nhan.pdf").status_code == 404
    assert Client().get(f"/bai-thi/{attempt.public_id}/giay-chung-nhan.pdf").status_code == 404
    assert Attempt.objects.count() == 1
