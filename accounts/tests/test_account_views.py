"""Tài khoản của tôi, as the citizen's browser receives it: their own data only, numbers masked,
organizations declared with a checked tax code, everything downloadable."""

from __future__ import annotations

import datetime
import json

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from accounts.models import OrganizationLink
from audit.models import AuditEvent
from org.tests.factories import citizen

pytestmark = pytest.mark.django_db

VALID_TAX_CODE = "0101243150"  # check digit 0
WRONG_CHECK_DIGIT = "0101243151"


@pytest.fixture
def lan():
    return citizen(
        "lan",
        full_name="Nguyễn Thị Lan",
        personal_id="051203000123",
        phone="0912345678",
        email="lan@example.vn",
        birth_date=datetime.date(2003, 5, 1),
    )


@pytest.mark.parametrize(
    "path",
    ["/tai-khoan/", "/tai-khoan/du-lieu-cua-toi/", "/tai-khoan/to-chuc/them/", "/en/tai-khoan/"],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_sign_in_brings_the_citizen_back_to_the_account_page(client):
    assert client.get("/tai-khoan/")["Location"] == "/dang-nhap/?next=/tai-khoan/"


def test_the_account_page_masks_identification_and_phone_numbers(client, lan):
    client.force_login(lan)
    response = client.get("/tai-khoan/")
    page = response.content.decode()
    assert "Nguyễn Thị Lan" in page
    assert "051******123" in page and "091****678" in page
    assert "051203000123" not in page and "0912345678" not in page
    assert "no-store" in response["Cache-Control"]


def test_the_account_page_lists_linked_organizations_with_their_state(client, lan):
    OrganizationLink.objects.create(user=lan, tax_code=VALID_TAX_CODE, organization_name="Công ty TNHH Biển Xanh")
    OrganizationLink.objects.create(
        user=lan,
        tax_code="0100109106",
        organization_name="Hợp tác xã Cam Ranh",
        confirmed_at=datetime.datetime(2025, 8, 1, tzinfo=datetime.UTC),
    )
    client.force_login(lan)
    page = client.get("/tai-khoan/").content.decode()
    assert "Công ty TNHH Biển Xanh" in page and "Chờ cơ quan xác nhận" in page
    assert "Hợp tác xã Cam Ranh" in page and "Đã xác nhận" in page


def test_an_organization_is_declared_with_a_valid_tax_code(client, lan):
    client.force_login(lan)
    form = client.get("/tai-khoan/to-chuc/them/")
    assert 'name="csrfmiddlewaretoken"' in form.content.decode()
    response = client.post(
        "/tai-khoan/to-chuc/them/", {"organization_name": "Công ty  TNHH Biển Xanh", "tax_code": "0101243150-001"}
    )
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    link = OrganizationLink.objects.get(user=lan)
    assert link.tax_code == "0101243150001" and link.organization_name == "Công ty TNHH Biển Xanh"
    assert link.confirmed_at is None
    assert "Liên kết có hiệu lực khi cơ quan xác nhận" in client.get("/tai-khoan/").content.decode()


@pytest.mark.parametrize(
    ("tax_code", "rule"),
    [
        (WRONG_CHECK_DIGIT, "Chữ số kiểm tra (chữ số thứ 10) của mã số thuế không đúng."),
        ("01012431", "Mã số thuế gồm 10 chữ số, hoặc 13 chữ số"),
        ("0101243150000", "Mã đơn vị phụ thuộc (3 chữ số cuối) phải từ 001 đến 999."),
    ],
)
def test_a_wrong_tax_code_names_the_rule_it_breaks(client, lan, tax_code, rule):
    client.force_login(lan)
    response = client.post("/tai-khoan/to-chuc/them/", {"organization_name": "Công ty A", "tax_code": tax_code})
    assert response.status_code == 200
    assert rule in response.content.decode()
    assert not OrganizationLink.objects.exists()


def test_the_rule_is_named_in_english_too(client, lan):
    client.force_login(lan)
    response = client.post("/en/tai-khoan/to-chuc/them/", {"organization_name": "A", "tax_code": WRONG_CHECK_DIGIT})
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()


def test_declaring_the_same_organization_twice_is_refused(client, lan):
    OrganizationLink.objects.create(user=lan, tax_code=VALID_TAX_CODE, organization_name="Công ty A")
    client.force_login(lan)
    response = client.post("/tai-khoan/to-chuc/them/", {"organization_name": "Công ty A", "tax_code": VALID_TAX_CODE})
    assert "Bạn đã khai báo tổ chức có mã số thuế này." in response.content.decode()
    assert OrganizationLink.objects.count() == 1


def test_a_link_is_seen_and_withdrawn_by_its_owner_only(client, lan):
    link = OrganizationLink.objects.create(user=lan, tax_code=VALID_TAX_CODE, organization_name="Công ty A")
    client.force_login(citizen("binh"))
    assert client.get(f"/tai-khoan/to-chuc/{link.pk}/").status_code == 404
    assert client.post(f"/tai-khoan/to-chuc/{link.pk}/rut/").status_code == 404
    assert OrganizationLink.objects.filter(pk=link.pk).exists()
    client.force_login(lan)
    assert "Công ty A" in client.get(f"/tai-khoan/to-chuc/{link.pk}/").content.decode()
    assert client.get(f"/tai-khoan/to-chuc/{link.pk}/rut/").status_code == 405
    assert client.post(f"/tai-khoan/to-chuc/{link.pk}/rut/").status_code == 302
    assert not OrganizationLink.objects.filter(pk=link.pk).exists()


def test_my_data_downloads_everything_held_about_me_and_is_audited(client, lan):
    OrganizationLink.objects.create(user=lan, tax_code=VALID_TAX_CODE, organization_name="Công ty A")
    AuditEvent.objects.create(action="sign_in", actor=lan, actor_label=str(lan), ip_address="10.0.0.7")
    AuditEvent.objects.create(
        action="record_viewed",
        actor_label="Cán bộ X",
        ip_address="10.9.9.9",
        target_type="accounts.User",
        target_id=str(lan.pk),
    )
    someone_else = citizen("binh")
    AuditEvent.objects.create(action="sign_in", actor=someone_else, actor_label=str(someone_else))
    client.force_login(lan)

    response = client.get("/tai-khoan/du-lieu-cua-toi/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="du-lieu-ca-nhan-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["format"] == "motcua.personal-data/1"
    sections = data["sections"]
    assert {"account", "organization_links", "staff_memberships", "audit_events"} <= set(sections)
    assert sections["account"]["personal_id"] == "051203000123"  # their own data, in full
    assert sections["account"]["phone"] == "0912345678" and sections["account"]["birth_date"] == "2003-05-01"
    assert [link["tax_code"] for link in sections["organization_links"]] == [VALID_TAX_CODE]
    events = sections["audit_events"]
    assert [e["action"] for e in events] == ["sign_in", "record_viewed"]
    assert events[0]["by"] == "self" and events[0]["ip_address"] == "10.0.0.7"
    assert events[1]["by"] == "Cán bộ X" and events[1]["ip_address"] is None

    exported = AuditEvent.objects.get(action="data_exported")
    assert exported.actor == lan and exported.target_id == str(lan.pk)
    again = json.loads(client.get("/tai-khoan/du-lieu-cua-toi/").content)
    assert "data_exported" in [e["action"] for e in again["sections"]["audit_events"]]
