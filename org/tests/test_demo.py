"""Specification of the demo organization (org.demo): Tỉnh Khánh Hòa after 01/7/2025."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from org.demo import REFORM_DAY, load_org_demo
from org.models import AdministrativeUnit, Agency, Membership, OneStopUnit, Role, UnitLevel

pytestmark = pytest.mark.django_db

OFFICIAL_AGENCY_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H41$")


def test_the_province_has_communes_after_the_reform_and_keeps_its_districts_for_history():
    load_org_demo()
    province = AdministrativeUnit.objects.get(code="56")
    assert province.name == "Tỉnh Khánh Hòa" and province.level == UnitLevel.PROVINCE

    nha_trang = AdministrativeUnit.objects.get(code="568")
    assert nha_trang.name == "Thành phố Nha Trang" and nha_trang.valid_to == REFORM_DAY
    assert nha_trang.children.exists() and all(c.valid_to == REFORM_DAY for c in nha_trang.children.all())

    new_names = {
        "Phường Nha Trang",
        "Phường Bắc Nha Trang",
        "Phường Nam Nha Trang",
        "Xã Cam Lâm",
        "Phường Cam Ranh",
        "Xã Diên Khánh",
    }
    after = AdministrativeUnit.valid_on(datetime.date(2025, 7, 1))
    before = AdministrativeUnit.valid_on(datetime.date(2025, 6, 30))
    assert set(after.filter(level=UnitLevel.COMMUNE).values_list("name", flat=True)) == new_names
    assert not after.filter(level=UnitLevel.DISTRICT).exists()
    assert before.filter(level=UnitLevel.DISTRICT).count() == 4
    assert all(u.parent == province for u in after.filter(level=UnitLevel.COMMUNE))


def test_agencies_carry_identification_codes_in_the_official_format():
    load_org_demo()
    assert all(OFFICIAL_AGENCY_CODE.match(code) for code in Agency.objects.values_list("code", flat=True))
    assert Agency.objects.get(code="000.00.00.H41").name == "Ủy ban nhân dân tỉnh Khánh Hòa"
    assert Agency.objects.get(code="000.00.13.H41").name == "Sở Tư pháp tỉnh Khánh Hòa"
    for name in ("Sở Xây dựng", "Sở Tài chính", "Sở Y tế", "Công an tỉnh", "Sở Nông nghiệp và Môi trường"):
        assert Agency.objects.filter(name__startswith=name, level="province").exists(), name
    for commune in AdministrativeUnit.objects.filter(valid_from=REFORM_DAY):
        assert Agency.objects.filter(administrative_unit=commune, name__startswith="Ủy ban nhân dân").exists()


def test_the_centre_serves_the_province_and_each_commune_has_its_one_stop_unit():
    load_org_demo()
    centre = OneStopUnit.objects.get(name="Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa")
    assert centre.served_agencies.filter(code="000.00.13.H41").exists()
    assert not centre.served_agencies.filter(level="commune").exists()
    for commune in AdministrativeUnit.objects.filter(valid_from=REFORM_DAY):
        unit = OneStopUnit.objects.get(administrative_unit=commune)
        assert unit.name.startswith("Bộ phận Một cửa")
        assert unit.served_agencies.filter(name__startswith="Ủy ban nhân dân").count() == 1


@override_settings(DEMO_PASSWORD="mat-khau-thu-nghiem-2026")
def test_there_is_a_demo_officer_for_every_role_with_the_configured_password():
    load_org_demo()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    officers = get_user_model().objects.filter(memberships__isnull=False).distinct()
    assert all(o.kind == "officer" and o.check_password("mat-khau-thu-nghiem-2026") for o in officers)
    counter = Membership.objects.filter(role=Role.COUNTER_OFFICER, user__username="tiepnhan.tinh")
    assert counter.exists() and all(m.one_stop_unit and m.one_stop_unit.code == "000.00.02.H41" for m in counter)


def test_loading_twice_changes_nothing():
    load_org_demo()
    counts = [m.objects.count() for m in (AdministrativeUnit, Agency, OneStopUnit, Membership, get_user_model())]
    history = Agency.history.count() + AdministrativeUnit.history.count() + Membership.history.count()
    second = load_org_demo()
    assert second.officers_created == 0
    assert counts == [
        m.objects.count() for m in (AdministrativeUnit, Agency, OneStopUnit, Membership, get_user_model())
    ]
    assert history == Agency.history.count() + AdministrativeUnit.history.count() + Membership.history.count()


def test_one_stop_units_read_in_each_language_with_the_place_name_as_written():
    load_org_demo()
    unit = OneStopUnit.objects.get(code="000.00.31.H41")
    assert unit.text_in("vi").name == "Bộ phận Một cửa Ủy ban nhân dân phường Nha Trang"
    english = unit.text_in("en")
    assert english.name == "One-Stop Unit of the People's Committee of Nha Trang Ward"
    assert english.address == "Head office of the People's Committee of Nha Trang Ward, Khánh Hòa Province"
    assert english.opening_hours.startswith("Monday – Friday: 7:00 – 11:30")
    assert unit.text_in("ko").name == "Nha Trang 방(坊) 인민위원회 원스톱 창구"
    assert unit.text_in("ja").opening_hours.startswith("月曜日～金曜日")
    assert OneStopUnit.objects.get(code="000.00.34.H41").text_in("zh-hans").name == "Cam Lâm乡人民委员会一站式服务窗口"
    centre = OneStopUnit.objects.get(code="000.00.02.H41").text_in("en")
    assert centre.name == "Public Administrative Service Centre of Khánh Hòa Province"
    assert centre.address == OneStopUnit.objects.get(code="000.00.02.H41").address  # a postal address, as written


def test_a_language_without_translation_reads_the_vietnamese():
    load_org_demo()
    unit = OneStopUnit.objects.get(code="000.00.31.H41")
    unit.translations = {}
    assert unit.text_in("en").opening_hours.startswith("Thứ Hai – Thứ Sáu")
