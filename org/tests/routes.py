"""Routes and admin models of org for the permission walk (tests/route_registry.py)."""

from __future__ import annotations

from django.db import models

from org.models import Membership, OneStopUnit
from tests.route_registry import Cast, Target, admin_object, private, public

from .factories import officer, one_stop_unit

public("api:list_communes", "the communes in force are public reference data (a postal address names one)")


def _membership(cast: Cast) -> Membership:
    someone = officer("chuyenvien.dauvet", {cast.agency: ["processing_officer"]}, full_name="Trần Dấu Vết")
    return Membership.objects.get(user=someone)


@private("api:get_membership", owner="agency")
def _membership_api(cast: Cast) -> Target:
    membership = _membership(cast)
    return Target({"membership_id": membership.pk}, marker="chuyenvien.dauvet")


@admin_object("org.Agency")
def _agency(cast: Cast) -> models.Model:
    return cast.agency


@admin_object("org.OneStopUnit")
def _one_stop_unit(cast: Cast) -> OneStopUnit:
    return one_stop_unit("Bộ phận Một cửa Dấu Vết", [cast.agency])


@admin_object("org.Membership")
def _membership_admin(cast: Cast) -> Membership:
    return _membership(cast)
