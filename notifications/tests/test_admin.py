"""The outbox in the admin: read only for superusers, labelled in Vietnamese, without addresses
in the list, with "Gửi lại ngay" for what was given up; staff without a role get nothing."""

from __future__ import annotations

import pytest

from accounts.tests.officers import sign_in_verified
from notifications import services
from notifications.models import Notification
from notifications.services import Recipient, notify

pytestmark = pytest.mark.django_db
URL = "/admin/notifications/notification/"


@pytest.fixture
def admin_client(client, django_user_model):
    superuser = django_user_model.objects.create_superuser("quantri", "qt@example.vn", "mat-khau-dai-2026")
    sign_in_verified(client, superuser)
    return client


@pytest.fixture
def given_up(django_user_model, settings):
    settings.NOTIFICATION_CHANNELS = {"sms": "notifications.tests.channels.Refusing"}
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    person = django_user_model.objects.create_user("lan")
    [sms] = notify(
        subject=person,
        template_key="dossier.receive",
        recipient=Recipient(user=person, phone="0912345678"),
        context={"code": "H41-251103-0001", "procedure": "Đăng ký khai sinh"},
        reference="H41-251103-0001",
    )
    services.notification_deliver(notification=sms)
    sms.refresh_from_db()
    assert sms.failed_at is not None
    return sms


def test_the_outbox_is_listed_in_vietnamese_without_addresses(admin_client, given_up):
    listing = admin_client.get(URL).content.decode()
    assert "dossier.receive" in listing and "H41-251103-0001" in listing
    assert "0912345678" not in listing
    for label in ("Mẫu", "Kênh", "Số lần gửi", "Thời điểm ngừng gửi", "Đã ngừng gửi", "Gửi lại ngay"):
        assert label in listing
    page = admin_client.get(f"{URL}{given_up.pk}/change/").content.decode()
    assert "0912345678" not in page and "ConnectionError" in page
    assert admin_client.get(f"{URL}?tinh_trang=failed").content.decode().count("dossier.receive") >= 1


def test_nothing_in_the_outbox_is_written_by_hand(admin_client, given_up):
    assert admin_client.get(f"{URL}add/").status_code == 403
    before = Notification.objects.values().get(pk=given_up.pk)
    admin_client.post(f"{URL}{given_up.pk}/change/", {"address": "x@example.vn"})
    admin_client.post(f"{URL}{given_up.pk}/delete/", {"post": "yes"})
    assert Notification.objects.values().get(pk=given_up.pk) == before


def test_a_given_up_notification_can_be_tried_again(admin_client, given_up, settings):
    response = admin_client.post(URL, {"action": "retry_now", "_selected_action": [given_up.pk]}, follow=True)
    assert "sẽ được gửi lại" in response.content.decode()
    given_up.refresh_from_db()
    assert (given_up.failed_at, given_up.attempts, given_up.sent_at) == (None, 0, None)


def test_staff_without_a_role_cannot_see_the_outbox(client, django_user_model):
    staff = django_user_model.objects.create_user(
        "nhanvien", password="mat-khau-dai-2026", is_staff=True, kind="officer"
    )
    sign_in_verified(client, staff)
    assert client.get(URL).status_code == 403
