"""The test citizens (công dân thử nghiệm) the local identity provider signs in. Invented people
with valid personal identification numbers: province of birth registration, century and sex, and
year of birth agree with their birth dates (checked by a test with accounts.rules)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Organization:
    tax_code: str
    name: str


@dataclass(frozen=True)
class Citizen:
    subject: str
    personal_id: str
    full_name: str
    birth_date: datetime.date
    gender: str
    phone: str  # E.164, as OpenID Connect's phone_number claim wants it
    email: str
    organization: Organization | None = None


CITIZENS: tuple[Citizen, ...] = (
    Citizen(
        subject="5b0c1f3e-8d2a-4c61-9f07-1a2b3c4d5e01",
        personal_id="056085001234",
        full_name="Nguyễn Văn An",
        birth_date=datetime.date(1985, 3, 12),
        gender="male",
        phone="+84905123401",
        email="an.nguyen@vneid.example",
    ),
    Citizen(
        subject="5b0c1f3e-8d2a-4c61-9f07-1a2b3c4d5e02",
        personal_id="056192004567",
        full_name="Trần Thị Bích Ngọc",
        birth_date=datetime.date(1992, 7, 25),
        gender="female",
        phone="+84914234502",
        email="ngoc.tran@vneid.example",
    ),
    Citizen(
        subject="5b0c1f3e-8d2a-4c61-9f07-1a2b3c4d5e03",
        personal_id="056203007890",
        full_name="Lê Minh Khôi",
        birth_date=datetime.date(2003, 11, 2),
        gender="male",
        phone="+84987345603",
        email="khoi.le@vneid.example",
    ),
    Citizen(
        subject="5b0c1f3e-8d2a-4c61-9f07-1a2b3c4d5e04",
        personal_id="001168012345",
        full_name="Phạm Thị Thu Hà",
        birth_date=datetime.date(1968, 1, 9),
        gender="female",
        phone="+84903456704",
        email="ha.pham@vneid.example",
    ),
    Citizen(
        subject="5b0c1f3e-8d2a-4c61-9f07-1a2b3c4d5e05",
        personal_id="048079005678",
        full_name="Hoàng Đức Thắng",
        birth_date=datetime.date(1979, 4, 30),
        gender="male",
        phone="+84935567805",
        email="thang.hoang@vneid.example",
        organization=Organization(tax_code="4201234566", name="Công ty TNHH Thương mại và Dịch vụ Biển Xanh"),
    ),
)

BY_SUBJECT = {citizen.subject: citizen for citizen in CITIZENS}


def citizen_by_subject(subject: str) -> Citizen | None:
    return BY_SUBJECT.get(subject)


def claims_for(citizen: Citizen, scopes: set[str]) -> dict[str, object]:
    """The claims the granted scopes release. The identity claims use the names of the national
    portal (SoDinhDanh, HoVaTen, NgaySinh as dd/mm/yyyy) next to the standard ones."""
    claims: dict[str, object] = {"sub": citizen.subject}
    if "profile" in scopes:
        claims.update(
            SoDinhDanh=citizen.personal_id,
            HoVaTen=citizen.full_name,
            NgaySinh=citizen.birth_date.strftime("%d/%m/%Y"),
            name=citizen.full_name,
            birthdate=citizen.birth_date.isoformat(),
            gender=citizen.gender,
        )
        if citizen.organization is not None:
            claims.update(MaSoThue=citizen.organization.tax_code, TenToChuc=citizen.organization.name)
    if "email" in scopes:
        claims.update(email=citizen.email, email_verified=True)
    if "phone" in scopes:
        claims.update(phone_number=citizen.phone, phone_number_verified=True)
    return claims
