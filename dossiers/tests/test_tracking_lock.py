"""Tracking cannot be guessed: after 10 wrong check values on one dossier code within the hour,
that code answers nothing (the right check included) until the hour ends, on the page and in the
API alike; an unknown code locks the same way, so the lock tells nothing about whether it exists.
The applicant of a locked code is told once, by their channels."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from dossiers.rules import State
from dossiers.services import dossier_receive
from dossiers.tests.factories import walk_to
from dossiers.tracking import HOUR, WRONG_CHECKS_PER_HOUR, TrackingLocked, dossier_track_guarded
from notifications.models import Notification

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers"


@pytest.fixture
def dossier(w):
    cache.clear()
    return dossier_receive(actor=w.counter, dossier=walk_to(w, State.SUBMITTED))


def test_ten_wrong_checks_lock_the_code_even_for_the_right_check(w, dossier):
    right = w.citizen.personal_id[-4:]
    bad = "0000" if right != "0000" else "1111"
    for _ in range(WRONG_CHECKS_PER_HOUR):
        assert Client().get(f"{URL}/{dossier.code}/status", {"check": bad}).status_code == 404
    locked = Client().get(f"{URL}/{dossier.code}/status", {"check": right})
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/problem+json"
    assert locked.json()["code"] == "tracking_locked"
    assert 0 < int(locked["Retry-After"]) <= HOUR


def test_the_page_says_the_code_is_locked(w, dossier):
    right = w.citizen.personal_id[-4:]
    bad = "0000" if right != "0000" else "1111"
    for _ in range(WRONG_CHECKS_PER_HOUR):
        Client().post("/tra-cuu-ho-so/", {"ma": dossier.code, "so_kiem_tra": bad})
    page = Client().post("/tra-cuu-ho-so/", {"ma": dossier.code, "so_kiem_tra": right})
    assert page.status_code == 429
    assert "đã bị nhập sai quá nhiều lần" in page.content.decode()


def test_nine_wrong_checks_leave_the_right_one_working(w, dossier):
    right = w.citizen.personal_id[-4:]
    bad = "0000" if right != "0000" else "1111"
    for _ in range(WRONG_CHECKS_PER_HOUR - 1):
        Client().get(f"{URL}/{dossier.code}/status", {"check": bad})
    assert Client().get(f"{URL}/{dossier.code}/status", {"check": right}).status_code == 200


def test_the_lock_ends_with_the_hour_and_counts_per_code(w, dossier):
    right = w.citizen.personal_id[-4:]
    bad = "0000" if right != "0000" else "1111"
    start = 1_800_000_000.0  # an hour boundary
    for n in range(WRONG_CHECKS_PER_HOUR):
        assert dossier_track_guarded(code=dossier.code, check=bad, now=start + n) is None
    with pytest.raises(TrackingLocked) as locked:
        dossier_track_guarded(code=dossier.code, check=right, now=start + 600)
    assert locked.value.retry_after == HOUR - 600
    assert dossier_track_guarded(code=dossier.code, check=right, now=start + HOUR) is not None
    # An unknown code locks alike: the lock says nothing about whether a code exists.
    for n in range(WRONG_CHECKS_PER_HOUR):
        dossier_track_guarded(code="000.00.00.X-250101-0001", check=bad, now=start + n)
    with pytest.raises(TrackingLocked):
        dossier_track_guarded(code="000.00.00.X-250101-0001", check=bad, now=start + 20)


def test_the_applicant_is_told_once_when_their_code_is_locked(
    w, dossier, mailoutbox, django_capture_on_commit_callbacks
):
    right = w.citizen.personal_id[-4:]
    bad = "0000" if right != "0000" else "1111"
    start = 1_800_000_000.0
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(WRONG_CHECKS_PER_HOUR - 1):
            dossier_track_guarded(code=dossier.code, check=bad, now=start + n)
    assert not Notification.objects.about(dossier).filter(template_key="dossier.tracking_locked").exists()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):  # the tenth locks; the ones after it are refused and tell nobody again
            try:
                dossier_track_guarded(code=dossier.code, check=bad, now=start + 100 + n)
            except TrackingLocked:
                pass
    notices = Notification.objects.about(dossier).filter(template_key="dossier.tracking_locked")
    assert notices.filter(channel="email").count() == 1
    [mail] = mailoutbox
    assert mail.subject == f"Tra cứu hồ sơ {dossier.code} tạm khóa"
    assert "hồ sơ và thông tin của ông/bà không bị thay đổi" in mail.body
    assert w.citizen.personal_id not in mail.body


def test_a_locked_unknown_code_tells_nobody(w, dossier):
    for n in range(WRONG_CHECKS_PER_HOUR):
        dossier_track_guarded(code="000.00.00.X-250101-0001", check="0000", now=1_800_000_000.0 + n)
    assert not Notification.objects.filter(template_key="dossier.tracking_locked").exists()
