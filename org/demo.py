"""Demo organization for ``manage.py load_demo``: Tỉnh Khánh Hòa after the 01/7/2025 reform.

Codes are demo values in the official formats, not the real ones: administrative unit codes look
like the statistical codes (province 2 digits, district 3, commune 5) and agency codes like the
electronic identification codes (mã định danh điện tử, ``XXX.YY.ZZ.Hnn``: ZZ a unit under the
provincial People's Committee, YY a unit under ZZ). Districts and the old communes are kept with
``valid_to`` 01/7/2025 so that history stays readable. Everything is created or updated by code,
so loading twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import AdministrativeUnit, Agency, AgencyLevel, Membership, OneStopUnit, Role, UnitLevel

REFORM_DAY = datetime.date(2025, 7, 1)
PROVINCE_CODE = "56"
PROVINCE_AGENCY_CODE = "000.00.00.H41"

# (code, name) of districts before 01/7/2025, each with (code, name) of some of its communes.
OLD_DISTRICTS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "568",
        "Thành phố Nha Trang",
        [
            ("22363", "Phường Lộc Thọ"),
            ("22366", "Phường Vạn Thạnh"),
            ("22369", "Phường Vĩnh Hải"),
            ("22390", "Phường Vĩnh Nguyên"),
            ("22402", "Phường Phước Long"),
        ],
    ),
    ("569", "Thành phố Cam Ranh", [("22435", "Phường Cam Nghĩa"), ("22447", "Phường Cam Lợi")]),
    ("570", "Huyện Cam Lâm", [("22480", "Thị trấn Cam Đức"), ("22483", "Xã Cam Hải Tây")]),
    ("574", "Huyện Diên Khánh", [("22567", "Thị trấn Diên Khánh"), ("22570", "Xã Diên An")]),
]
# Communes and wards from 01/7/2025 (directly under the province): key, code, name, agency number.
NEW_COMMUNES: list[tuple[str, str, str, int]] = [
    ("nha_trang", "22372", "Phường Nha Trang", 31),
    ("bac_nha_trang", "22333", "Phường Bắc Nha Trang", 32),
    ("nam_nha_trang", "22405", "Phường Nam Nha Trang", 33),
    ("cam_lam", "22486", "Xã Cam Lâm", 34),
    ("cam_ranh", "22438", "Phường Cam Ranh", 35),
    ("dien_khanh", "22573", "Xã Diên Khánh", 36),
]
# Province-level agencies: key, code, name, short name.
PROVINCE_AGENCIES: list[tuple[str, str, str, str]] = [
    ("ubnd_tinh", PROVINCE_AGENCY_CODE, "Ủy ban nhân dân tỉnh Khánh Hòa", "UBND tỉnh"),
    ("vp_ubnd", "000.00.01.H41", "Văn phòng Ủy ban nhân dân tỉnh Khánh Hòa", "VP UBND tỉnh"),
    ("noi_vu", "000.00.03.H41", "Sở Nội vụ tỉnh Khánh Hòa", "Sở Nội vụ"),
    ("tai_chinh", "000.00.05.H41", "Sở Tài chính tỉnh Khánh Hòa", "Sở Tài chính"),
    ("cong_thuong", "000.00.07.H41", "Sở Công Thương tỉnh Khánh Hòa", "Sở Công Thương"),
    ("xay_dung", "000.00.09.H41", "Sở Xây dựng tỉnh Khánh Hòa", "Sở Xây dựng"),
    ("nong_nghiep_moi_truong", "000.00.10.H41", "Sở Nông nghiệp và Môi trường tỉnh Khánh Hòa", "Sở NN&MT"),
    ("tu_phap", "000.00.13.H41", "Sở Tư pháp tỉnh Khánh Hòa", "Sở Tư pháp"),
    ("khoa_hoc_cong_nghe", "000.00.14.H41", "Sở Khoa học và Công nghệ tỉnh Khánh Hòa", "Sở KH&CN"),
    ("van_hoa", "000.00.15.H41", "Sở Văn hóa, Thể thao và Du lịch tỉnh Khánh Hòa", "Sở VHTTDL"),
    ("giao_duc", "000.00.16.H41", "Sở Giáo dục và Đào tạo tỉnh Khánh Hòa", "Sở GD&ĐT"),
    ("y_te", "000.00.17.H41", "Sở Y tế tỉnh Khánh Hòa", "Sở Y tế"),
    ("cong_an_tinh", "000.00.20.H41", "Công an tỉnh Khánh Hòa", "Công an tỉnh"),
    ("bhxh_tinh", "000.00.21.H41", "Bảo hiểm xã hội tỉnh Khánh Hòa", "BHXH tỉnh"),
]
# Units under a department: key, code, name, short name, parent key.
SUBORDINATE_AGENCIES: list[tuple[str, str, str, str, str]] = [
    (
        "vp_dang_ky_dat_dai",
        "000.01.10.H41",
        "Văn phòng Đăng ký đất đai tỉnh Khánh Hòa",
        "VPĐKĐĐ",
        "nong_nghiep_moi_truong",
    ),
]

CENTRE_CODE = "000.00.02.H41"
CENTRE_NAME = "Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa"
OPENING_HOURS = "Thứ Hai – Thứ Sáu: 7h00 – 11h30, 13h30 – 17h00; sáng Thứ Bảy: 7h30 – 11h30"

# The one-stop units' names, addresses and opening hours in the translated languages (the
# catalog's glossaries: 乡/坊, 사(社)/방(坊), 社/坊; People's Committee, 인민위원회, 人民委員会…).
CENTRE_TRANSLATIONS = {
    "en": "Public Administrative Service Centre of Khánh Hòa Province",
    "zh-hans": "庆和省公共行政服务中心",
    "ko": "칸호아성 공공행정서비스센터",
    "ja": "カインホア省公共行政サービスセンター",
}
OPENING_HOURS_TRANSLATIONS = {
    "en": "Monday – Friday: 7:00 – 11:30, 13:30 – 17:00; Saturday morning: 7:30 – 11:30",
    "zh-hans": "周一至周五：7:00—11:30，13:30—17:00；周六上午：7:30—11:30",
    "ko": "월요일~금요일: 7:00~11:30, 13:30~17:00; 토요일 오전: 7:30~11:30",
    "ja": "月曜日～金曜日：7:00～11:30、13:30～17:00；土曜日午前：7:30～11:30",
}
_COMMUNE_KINDS = {
    "Phường": {"en": "Ward", "zh-hans": "坊", "ko": "방(坊)", "ja": "坊"},
    "Xã": {"en": "Commune", "zh-hans": "乡", "ko": "사(社)", "ja": "社"},
    "Đặc khu": {"en": "Special Zone", "zh-hans": "特区", "ko": "특구", "ja": "特区"},
}


def commune_unit_translations(commune: str) -> dict[str, dict[str, str]]:
    """The translated name, address and opening hours of the one-stop unit of ``commune`` ("Phường
    Nha Trang"): the place name stays as written, the kind of unit and the rest are translated."""
    kind, _, place = next(
        ((k, " ", commune[len(k) + 1 :]) for k in _COMMUNE_KINDS if commune.startswith(f"{k} ")), ("", "", commune)
    )
    names = _COMMUNE_KINDS.get(kind, {lang: "" for lang in OPENING_HOURS_TRANSLATIONS})
    en = f"{place} {names['en']}".strip()
    zh, ko, ja = f"{place}{names['zh-hans']}", f"{place} {names['ko']}".strip(), f"{place}{names['ja']}"
    return {
        "en": {
            "name": f"One-Stop Unit of the People's Committee of {en}",
            "address": f"Head office of the People's Committee of {en}, Khánh Hòa Province",
        },
        "zh-hans": {"name": f"{zh}人民委员会一站式服务窗口", "address": f"庆和省{zh}人民委员会办公地"},
        "ko": {"name": f"{ko} 인민위원회 원스톱 창구", "address": f"칸호아성 {ko} 인민위원회 청사"},
        "ja": {"name": f"{ja}人民委員会ワンストップ窓口", "address": f"カインホア省{ja}人民委員会庁舎"},
    }


# Demo officers: username, full name, role, agency keys, one-stop unit key ("centre" or a commune).
OFFICERS: list[tuple[str, str, str, list[str], str | None]] = [
    ("tiepnhan.tinh", "Nguyễn Thị Lan", Role.COUNTER_OFFICER, ["*province"], "centre"),
    ("tiepnhan.nhatrang", "Trần Văn Hùng", Role.COUNTER_OFFICER, ["ubnd:nha_trang", "ca:nha_trang"], "nha_trang"),
    ("chuyenvien.tuphap", "Lê Thị Mai", Role.PROCESSING_OFFICER, ["tu_phap"], None),
    ("chuyenvien.nhatrang", "Phạm Quốc Bảo", Role.PROCESSING_OFFICER, ["ubnd:nha_trang"], None),
    ("lanhdao.tuphap", "Võ Minh Tuấn", Role.LEADER, ["tu_phap"], None),
    ("lanhdao.nhatrang", "Đặng Thị Hòa", Role.LEADER, ["ubnd:nha_trang"], None),
    ("kiemsoat.tthc", "Huỳnh Thị Thu", Role.PROCEDURE_CONTROLLER, ["vp_ubnd"], None),
    ("bientap", "Ngô Thanh Tâm", Role.EDITOR, ["vp_ubnd"], None),
    ("duyettin", "Lương Thị Hạnh", Role.NEWS_REVIEWER, ["vp_ubnd"], None),
    ("phantich", "Bùi Đức Anh", Role.ANALYST, ["ubnd_tinh"], None),
    ("quantri", "Đỗ Hải Nam", Role.ADMINISTRATOR, ["ubnd_tinh"], None),
]
STAFF_ROLES = {Role.ADMINISTRATOR, Role.PROCEDURE_CONTROLLER, Role.EDITOR, Role.NEWS_REVIEWER}


@dataclass
class OrgDemo:
    """What the demo created, for the catalog's demo to link to."""

    province: AdministrativeUnit
    agencies: dict[str, Agency] = field(default_factory=dict)
    commune_agencies: dict[str, Agency] = field(default_factory=dict)
    commune_police: dict[str, Agency] = field(default_factory=dict)
    centre: OneStopUnit | None = None
    commune_units: dict[str, OneStopUnit] = field(default_factory=dict)
    officers_created: int = 0


def _unit(code: str, name: str, level: str, parent: AdministrativeUnit | None, **dates: datetime.date | None):
    values = {"name": name, "level": level, "parent": parent, "valid_from": None, "valid_to": None, **dates}
    return _upsert(AdministrativeUnit, {"code": code}, values)


def _upsert(model, lookup: dict, values: dict):
    """``update_or_create`` that writes (and records history) only when something differs."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values)
    changed = [k for k, v in values.items() if getattr(row, k) != v]
    if changed:
        for key in changed:
            setattr(row, key, values[key])
        row.save(update_fields=changed)
    return row


def _agency(code: str, name: str, short_name: str, level: str, unit: AdministrativeUnit, **extra) -> Agency:
    values = {
        "name": name,
        "short_name": short_name,
        "level": level,
        "administrative_unit": unit,
        "parent": None,
        "is_active": True,
        **extra,
    }
    return _upsert(Agency, {"code": code}, values)


def _one_stop_unit(
    code: str,
    name: str,
    unit: AdministrativeUnit,
    address: str,
    served: list[Agency],
    translations: dict[str, dict[str, str]],
) -> OneStopUnit:
    translations = {
        lang: {**texts, "opening_hours": OPENING_HOURS_TRANSLATIONS[lang]} for lang, texts in translations.items()
    }
    row = _upsert(
        OneStopUnit,
        {"code": code},
        {
            "name": name,
            "administrative_unit": unit,
            "address": address,
            "opening_hours": OPENING_HOURS,
            "translations": translations,
        },
    )
    if set(row.served_agencies.all()) != set(served):
        row.served_agencies.set(served)
    return row


def _officers(demo: OrgDemo) -> None:
    user_model = get_user_model()
    province_agencies = [a for a in demo.agencies.values() if a.code != "000.00.01.H41"]
    encoded: str | None = None
    for username, full_name, role, agency_keys, unit_key in OFFICERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            # One hash for every demo account: hashing is slow on purpose, and these are demo data.
            encoded = encoded or make_password(settings.DEMO_PASSWORD)
            user = user_model.objects.create(
                username=username,
                full_name=full_name,
                kind="officer",
                email=f"{username}@motcua.example",
                password=encoded,
                is_staff=role in STAFF_ROLES,
                is_superuser=role == Role.ADMINISTRATOR,
            )
            demo.officers_created += 1
        agencies: list[Agency] = []
        for key in agency_keys:
            if key == "*province":
                agencies += province_agencies
            elif key.startswith("ubnd:"):
                agencies.append(demo.commune_agencies[key[5:]])
            elif key.startswith("ca:"):
                agencies.append(demo.commune_police[key[3:]])
            else:
                agencies.append(demo.agencies[key])
        unit = None
        if unit_key == "centre":
            unit = demo.centre
        elif unit_key:
            unit = demo.commune_units[unit_key]
        for agency in agencies:
            _upsert(
                Membership,
                {"user": user, "agency": agency, "role": role},
                {"one_stop_unit": unit, "valid_from": REFORM_DAY, "valid_to": None},
            )


@transaction.atomic
def load_org_demo() -> OrgDemo:
    """Create or update the demo province, its units, agencies, one-stop units and officers."""
    province = _unit(PROVINCE_CODE, "Tỉnh Khánh Hòa", UnitLevel.PROVINCE, None)
    demo = OrgDemo(province=province)

    for district_code, district_name, communes in OLD_DISTRICTS:
        district = _unit(district_code, district_name, UnitLevel.DISTRICT, province, valid_to=REFORM_DAY)
        for code, name in communes:
            _unit(code, name, UnitLevel.COMMUNE, district, valid_to=REFORM_DAY)

    for key, code, name, short_name in PROVINCE_AGENCIES:
        parent = demo.agencies.get("ubnd_tinh") if key != "ubnd_tinh" else None
        demo.agencies[key] = _agency(code, name, short_name, AgencyLevel.PROVINCE, province, parent=parent)
    for key, code, name, short_name, parent_key in SUBORDINATE_AGENCIES:
        demo.agencies[key] = _agency(
            code, name, short_name, AgencyLevel.PROVINCE, province, parent=demo.agencies[parent_key]
        )

    police = demo.agencies["cong_an_tinh"]
    for index, (key, code, name, number) in enumerate(NEW_COMMUNES, start=1):
        unit = _unit(code, name, UnitLevel.COMMUNE, province, valid_from=REFORM_DAY)
        lower = f"{name[0].lower()}{name[1:]}"
        demo.commune_agencies[key] = _agency(
            f"000.00.{number}.H41", f"Ủy ban nhân dân {lower}", f"UBND {lower}", AgencyLevel.COMMUNE, unit
        )
        demo.commune_police[key] = _agency(
            f"000.{index:02d}.20.H41", f"Công an {lower}", f"CA {lower}", AgencyLevel.COMMUNE, unit, parent=police
        )

    served = [a for k, a in demo.agencies.items() if k != "vp_ubnd"]
    # The centre's address is the portal's contact address (a setting): shown as written.
    centre_names = {lang: {"name": name} for lang, name in CENTRE_TRANSLATIONS.items()}
    demo.centre = _one_stop_unit(
        CENTRE_CODE, CENTRE_NAME, province, settings.PORTAL_CONTACT_ADDRESS, served, centre_names
    )
    for key, _code, name, number in NEW_COMMUNES:
        agency = demo.commune_agencies[key]
        demo.commune_units[key] = _one_stop_unit(
            f"000.00.{number}.H41",
            f"Bộ phận Một cửa Ủy ban nhân dân {name[0].lower()}{name[1:]}",
            agency.administrative_unit,
            f"Trụ sở Ủy ban nhân dân {name[0].lower()}{name[1:]}, tỉnh Khánh Hòa",
            [agency, demo.commune_police[key]],
            commune_unit_translations(name),
        )

    _officers(demo)
    return demo
