"""The national portal's dossier sync, end to end over HTTP against the local stand-in (served by
pytest-django's live server): every transition of a dossier from its submission (status 1, with
the code given then) reaches it, in order, refusal at intake (3) included; while
it is down nothing is lost, and once it is back everything arrives, in order, once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from catalog.models import FeeItem
from dossiers import services
from dossiers.rules import ResultDelivery
from dossiers.tests.factories import MONDAY, world
from integrations.models import DeliveryAttempt, SyncMessage
from integrations.national_portal import NationalPortal, PortalError
from integrations.portal_standin.models import IssuedToken, ReceivedSync, set_down
from integrations.rules import FROZEN_FIELDS
from integrations.services import sync_deliver_dossier
from integrations.tasks import sweep_sync, sync_dossier

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal(live_server, settings):
    settings.NATIONAL_PORTAL_URL = f"{live_server.url}/cong-quoc-gia-thu/dong-bo-ho-so"
    settings.NATIONAL_PORTAL_TOKEN_URL = f"{live_server.url}/cong-quoc-gia-thu/token"
    NationalPortal._tokens.clear()
    yield live_server
    NationalPortal._tokens.clear()


def a_whole_life(w):
    """Received, handed over, sent back for supplement, supplemented, approved, returned."""
    d, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    d = services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)
    d = services.dossier_assign(actor=w.counter, dossier=d, to=w.processor, now=MONDAY)
    d = services.dossier_request_supplement(
        actor=w.processor, dossier=d, missing=["Bản sao giấy chứng sinh"], now=MONDAY
    )
    d = services.dossier_supplement(actor=w.citizen, dossier=d, now=MONDAY)
    d = services.dossier_approve(actor=w.leader, dossier=d, now=MONDAY)
    return services.dossier_return_result(actor=w.counter, dossier=d, method=ResultDelivery.COUNTER, now=MONDAY)


def test_every_transition_of_a_dossier_reaches_the_portal_in_order(portal):
    w = world()
    FeeItem.objects.create(version=w.version, description="Lệ phí đăng ký", amount_vnd=50_000)
    d = a_whole_life(w)
    received = list(ReceivedSync.objects.filter(code=d.code))
    # Submitted 1 (with its code), received 2, in progress 4, supplement 5, back to 4, done 9, returned 10.
    assert [r.status for r in received] == ["1", "2", "4", "5", "4", "9", "10"]
    assert [r.updating for r in received] == [False, True, True, True, True, True, True]
    assert ReceivedSync.objects.count() == len(received)  # all under the one code
    assert not SyncMessage.objects.filter(dossier=d, delivered_at__isnull=True).exists()
    last = received[-1].record
    assert last["MaTTHC"] == w.version.procedure.code and last["DonViXuLy"] == w.agency.name
    assert last["NgayTiepNhan"] == "20251103090000" and last["NgayKetThucXuLy"] == "20251103090000"
    assert [doc["TenTepDinhKem"] for doc in last["TaiLieuNop"]] == ["Tờ khai theo mẫu"]
    assert [(f["TenPhiLePhi"], f["Gia"], f["LoaiPhiLePhi"]) for f in last["DanhSachLePhi"]] == [
        ("Lệ phí đăng ký", 50_000, 2)
    ]
    [supplement] = last["DanhSachHoSoBoSung"]
    assert (supplement["NoiDungBoSung"], supplement["TrangThaiBoSung"]) == ("Bản sao giấy chứng sinh", 1)
    text = str([r.record for r in received])
    assert w.citizen.personal_id not in text and w.citizen.phone not in text


def test_nothing_is_lost_while_the_portal_is_down_and_all_arrives_in_order_after(portal):
    w = world()
    set_down(True)
    d = a_whole_life(w)
    assert not ReceivedSync.objects.exists()
    messages = list(SyncMessage.objects.filter(dossier=d))
    assert [m.national_status for m in messages] == [1, 2, 4, 5, 4, 9, 10]
    assert all(m.delivered_at is None for m in messages)
    # Waiting, a message holds only what its transition decided; the lists are read when it goes.
    assert set(messages[0].payload) == set(FROZEN_FIELDS)
    # Only the head was tried (each transition's task tried it again while it was due); nothing
    # behind it was sent before it.
    assert {m.sequence for m in messages if m.attempts} == {1}
    assert all("503" in a.error and not a.ok for a in DeliveryAttempt.objects.filter(sync_message__dossier=d))
    head = messages[0]
    assert head.next_attempt_at > timezone.now()

    set_down(False)
    # Back up, but the head still waits out its backoff: nothing goes, not even what is behind it.
    assert sync_deliver_dossier(dossier_id=d.pk) == 0
    assert sweep_sync() == 0
    assert not ReceivedSync.objects.exists()

    SyncMessage.objects.filter(dossier=d).update(next_attempt_at=timezone.now())  # the backoff has passed
    assert sweep_sync() == 1
    assert [r.status for r in ReceivedSync.objects.filter(code=d.code)] == ["1", "2", "4", "5", "4", "9", "10"]
    assert not SyncMessage.objects.filter(delivered_at__isnull=True).exists()
    # Sent late, the reception message still says "received", with the lists as they are now.
    reception = ReceivedSync.objects.filter(code=d.code)[1]
    assert reception.record["TrangThaiHoSo"] == "2" and reception.record["NgayKetThucXuLy"] == ""
    assert [doc["TenTepDinhKem"] for doc in reception.record["TaiLieuNop"]] == ["Tờ khai theo mẫu"]
    assert SyncMessage.objects.get(dossier=d, sequence=2).payload == reception.record
    # Once delivered, nothing is sent again.
    assert sync_dossier(d.pk) == 0 and sweep_sync() == 0
    assert ReceivedSync.objects.count() == 7


def test_a_submission_reaches_the_portal_as_status_1_with_its_code(portal):
    w = world()
    d, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    assert d.code == f"{w.unit.code}-251103-0001"
    [sent] = ReceivedSync.objects.all()
    assert (sent.code, sent.status, sent.updating) == (d.code, "1", False)
    assert sent.record["MaHoSo"] == d.code and sent.record["KenhThucHien"] == 2
    # Known from its submission: the portal's reception date is the moment it was submitted.
    assert (sent.record["NgayTiepNhan"], sent.record["NgayHenTra"]) == ("20251103090000", "")
    assert sent.record["MaTTHC"] == w.version.procedure.code


def test_a_refusal_at_intake_reaches_the_portal_as_status_3_under_the_same_code(portal):
    w = world()
    d, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    d = services.dossier_refuse_intake(actor=w.counter, dossier=d, reason="Không thuộc thẩm quyền", now=MONDAY)
    sent = list(ReceivedSync.objects.all())
    assert [(r.code, r.status, r.updating) for r in sent] == [(d.code, "1", False), (d.code, "3", True)]
    assert sent[1].record["MaHoSo"] == d.code == f"{w.unit.code}-251103-0001"
    assert not SyncMessage.objects.filter(dossier=d, delivered_at__isnull=True).exists()


def test_a_dossier_registered_at_the_counter_reaches_the_portal_from_its_registration(portal):
    w = world()
    d = services.dossier_register(actor=w.counter, intake=w.intake(channel="counter"), now=MONDAY)
    [sent] = ReceivedSync.objects.all()
    assert (sent.code, sent.status, sent.record["KenhThucHien"]) == (d.code, "1", 1)


def test_a_draft_is_not_sent(portal):
    w = world()
    services.dossier_draft_save(applicant=w.citizen, intake=w.intake())
    assert not SyncMessage.objects.exists() and not ReceivedSync.objects.exists()


def test_a_token_the_portal_forgot_is_fetched_again(portal):
    w = world()
    d, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)
    assert ReceivedSync.objects.count() == 2
    IssuedToken.objects.all().delete()  # the portal restarted
    d.refresh_from_db()
    services.dossier_assign(actor=w.counter, dossier=d, to=w.processor, now=MONDAY)
    assert ReceivedSync.objects.count() == 3
    assert IssuedToken.objects.count() == 1


def test_a_wrong_account_gets_no_token(portal, settings):
    adapter = NationalPortal(
        url=settings.NATIONAL_PORTAL_URL,
        token_url=settings.NATIONAL_PORTAL_TOKEN_URL,
        username=settings.NATIONAL_PORTAL_USERNAME,
        password="sai-mat-khau",
        timeout=5,
    )
    with pytest.raises(PortalError, match="token endpoint answered HTTP 401"):
        adapter.send([{"MaHoSo": "X"}], updating=False)
    assert not IssuedToken.objects.exists()


def test_without_an_address_the_messages_wait_in_the_outbox(settings, live_server):
    settings.NATIONAL_PORTAL_URL = ""
    w = world()
    d, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    d = services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)
    assert sync_deliver_dossier(dossier_id=d.pk) == 0
    messages = SyncMessage.objects.filter(dossier=d)
    assert [(m.national_status, m.delivered_at, m.attempts) for m in messages] == [(1, None, 0), (2, None, 0)]


def test_an_unreachable_portal_is_a_retried_failure(settings):
    settings.NATIONAL_PORTAL_URL = "http://127.0.0.1:9/dong-bo-ho-so"
    settings.NATIONAL_PORTAL_TOKEN_URL = "http://127.0.0.1:9/token"
    settings.NATIONAL_PORTAL_TIMEOUT = 2
    w = world()
    d, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    d = services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)
    head, behind = SyncMessage.objects.filter(dossier=d)
    # Tried once at submission; at reception it still waited out its backoff.
    assert head.delivered_at is None and head.attempts == 1 and "unreachable" in head.last_error
    assert (behind.delivered_at, behind.attempts) == (None, 0)  # never sent before the head


# --- The stand-in itself ---------------------------------------------------------------------------


def test_the_stand_in_refuses_a_sync_without_a_valid_token():
    client = Client()
    body = {"service": "DongBoHoSoMC", "isUpdating": "false", "data": [{"MaHoSo": "X"}]}
    response = client.post("/cong-quoc-gia-thu/dong-bo-ho-so", body, content_type="application/json")
    assert response.status_code == 401
    response = client.post(
        "/cong-quoc-gia-thu/dong-bo-ho-so", body, content_type="application/json", headers={"Authorization": "Bearer x"}
    )
    assert response.status_code == 401
    assert not ReceivedSync.objects.exists()


def test_the_stand_in_refuses_a_record_without_the_required_fields(settings):
    client = Client()
    token = client.post(
        "/cong-quoc-gia-thu/token",
        {"username": settings.NATIONAL_PORTAL_USERNAME, "password": settings.NATIONAL_PORTAL_PASSWORD},
        content_type="application/json",
    ).json()["access_token"]
    body = {"service": "DongBoHoSoMC", "isUpdating": "false", "data": [{"MaHoSo": "X"}]}
    response = client.post(
        "/cong-quoc-gia-thu/dong-bo-ho-so",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (response.status_code, response.json()["error_code"]) == (400, 400)


def test_transitions_committed_with_the_broker_down_reach_the_portal_once_the_redrive_runs(
    portal, broker_down, settings
):
    from common.models import PendingTask
    from common.tasks import redrive_tasks

    settings.TASK_REDRIVE_SECONDS = 0  # due at once: as if the redrive delay had passed
    w = world()
    d, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    d = services.dossier_receive(actor=w.counter, dossier=d, now=MONDAY)
    assert not ReceivedSync.objects.filter(code=d.code).exists()
    assert PendingTask.objects.filter(name="integrations.sync_dossier").count() == 2

    broker_down()  # the broker is back
    redrive_tasks()
    redrive_tasks()

    assert [r.status for r in ReceivedSync.objects.filter(code=d.code)] == ["1", "2"]
    assert not SyncMessage.objects.filter(dossier=d, delivered_at__isnull=True).exists()
    assert not PendingTask.objects.filter(name="integrations.sync_dossier").exists()
