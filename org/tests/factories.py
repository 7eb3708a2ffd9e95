"""Small builders for people and agencies in tests: ``agency("A")``, ``officer("a", {A: [role]})``,
``citizen("c")``."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from org.models import AdministrativeUnit, Agency, Membership, OneStopUnit, UnitLevel

_numbers = itertools.count(1)


def province() -> AdministrativeUnit:
    unit, _created = AdministrativeUnit.objects.get_or_create(
        code="56", defaults={"name": "Tỉnh Khánh Hòa", "level": UnitLevel.PROVINCE}
    )
    return unit


def agency(name: str, **fields: Any) -> Agency:
    number = next(_numbers)
    return Agency.objects.create(
        code=fields.pop("code", f"000.{number:02d}.99.H41"),
        name=name,
        level=fields.pop("level", "province"),
        administrative_unit=fields.pop("administrative_unit", None) or province(),
        **fields,
    )


def one_stop_unit(name: str, served: Iterable[Agency]) -> OneStopUnit:
    unit = OneStopUnit.objects.create(
        code=f"BPMC.{next(_numbers):03d}", name=name, administrative_unit=province(), address="Nha Trang"
    )
    unit.served_agencies.set(served)
    return unit


def officer(
    username: str,
    roles: Mapping[Agency, Iterable[str]] | None = None,
    *,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    **fields: Any,
) -> Any:
    """An officer with the given roles per agency, memberships in force today unless dated."""
    fields.setdefault("full_name", f"Cán bộ {username}")
    user = get_user_model().objects.create_user(username=username, kind="officer", **fields)
    for place, role_names in (roles or {}).items():
        for role in role_names:
            Membership.objects.create(
                user=user,
                agency=place,
                role=role,
                valid_from=valid_from or datetime.date(2025, 7, 1),
                valid_to=valid_to,
            )
    return user


def citizen(username: str, **fields: Any) -> Any:
    fields.setdefault("full_name", f"Công dân {username}")
    return get_user_model().objects.create_user(username=username, kind="citizen", **fields)


def admin_login(client: Any, user: Any) -> None:
    """Sign ``user`` in on the test ``client`` with a session verified by a second factor, as the
    admin requires of staff."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
