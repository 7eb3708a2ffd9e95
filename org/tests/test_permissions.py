"""The permission layer (org.permissions): the matrix, active memberships, scoping and 404s."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.utils import timezone

from org.models import Agency, Membership, OneStopUnit, Role
from org.permissions import (
    CAPABILITIES,
    ROLE_CAPABILITIES,
    active_memberships,
    agencies_of,
    capabilities_of,
    get_scoped_or_404,
    has_capability,
    owned,
    owned_or_404,
    roles_with,
    scope,
)

from .factories import agency, citizen, officer, one_stop_unit

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
EVERY_PAIR = [(role, capability) for role in Role.values for capability in CAPABILITIES]


@pytest.fixture
def two_agencies(db):
    return agency("Sở Tư pháp"), agency("Ủy ban nhân dân phường Nha Trang", level="commune")


# --- The matrix as data ----------------------------------------------------------------------------


def test_every_role_has_a_row_and_every_capability_is_known_and_granted():
    assert set(ROLE_CAPABILITIES) == set(Role.values)
    granted = set().union(*ROLE_CAPABILITIES.values())
    assert granted == set(CAPABILITIES)


def test_separation_of_duties():
    # The administrator manages people, not dossiers or the catalog; nobody both processes and approves.
    assert not ROLE_CAPABILITIES[Role.ADMINISTRATOR] & {"dossier.view", "dossier.approve", "catalog.publish"}
    assert not any({"dossier.process", "dossier.approve"} <= caps for caps in ROLE_CAPABILITIES.values())


def test_the_documented_matrix_is_the_matrix():
    """docs/permissions.md shows one row per capability with ✓ under each role that grants it."""
    text = DOC.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| capability"))
    roles = [cell.strip() for cell in header.strip("|").split("|")][2:]
    assert roles == list(Role.values)
    documented: dict[str, set[str]] = {}
    for line in text.splitlines():
        match = re.match(r"\| `([a-z_.]+)` \|", line)
        if match:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")][2:]
            documented[match.group(1)] = {role for role, cell in zip(roles, cells, strict=True) if cell == "✓"}
    assert documented == {capability: set(roles_with(capability)) for capability in CAPABILITIES}


@pytest.mark.parametrize(("role", "capability"), EVERY_PAIR)
def test_each_role_grants_exactly_its_capabilities_in_its_own_agency(two_agencies, role, capability):
    mine, other = two_agencies
    user = officer("canbo", {mine: [role]})
    expected = capability in ROLE_CAPABILITIES[role]
    assert has_capability(user, capability) is expected
    assert has_capability(user, capability, mine) is expected
    assert has_capability(user, capability, mine.pk) is expected
    assert has_capability(user, capability, other) is False
    assert list(agencies_of(user, capability)) == ([mine] if expected else [])


def test_capabilities_add_up_over_roles_and_agencies(two_agencies):
    mine, other = two_agencies
    user = officer("canbo", {mine: [Role.LEADER], other: [Role.COUNTER_OFFICER]})
    assert list(agencies_of(user, "dossier.approve")) == [mine]
    assert list(agencies_of(user, "dossier.receive")) == [other]
    assert set(agencies_of(user, "dossier.view")) == {mine, other}
    assert set(agencies_of(user)) == {mine, other}
    assert capabilities_of(user, mine) == ROLE_CAPABILITIES[Role.LEADER]
    assert capabilities_of(user) == ROLE_CAPABILITIES[Role.LEADER] | ROLE_CAPABILITIES[Role.COUNTER_OFFICER]


def test_an_unknown_capability_is_refused_loudly(two_agencies):
    user = officer("canbo", {two_agencies[0]: [Role.LEADER]})
    with pytest.raises(ImproperlyConfigured):
        has_capability(user, "dosier.view")
    with pytest.raises(ImproperlyConfigured):
        agencies_of(user, "dossier.veiw")
    with pytest.raises(ImproperlyConfigured):
        scope(Agency.objects.all(), user, agency_field="pk", capability="everything")


# --- Active memberships ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts", "ends", "active"),
    [
        (-30, None, True),  # open-ended
        (0, None, True),  # starts today
        (1, None, False),  # starts tomorrow
        (-30, 1, True),  # ends tomorrow
        (-30, 0, False),  # valid_to is the first day it no longer holds
        (-30, -1, False),  # ended
    ],
)
def test_a_membership_counts_from_valid_from_until_before_valid_to(two_agencies, starts, ends, active):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    user = officer(
        "canbo",
        {two_agencies[0]: [Role.LEADER]},
        valid_from=today + starts * day,
        valid_to=today + ends * day if ends is not None else None,
    )
    assert has_capability(user, "dossier.approve") is active
    assert agencies_of(user).exists() is active
    assert active_memberships(user).exists() is active


def test_memberships_can_be_asked_for_another_day(two_agencies):
    user = officer(
        "canbo",
        {two_agencies[0]: [Role.LEADER]},
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2025, 1, 1),
    )
    assert active_memberships(user, on=datetime.date(2024, 6, 1)).count() == 1
    assert active_memberships(user, on=datetime.date(2025, 1, 1)).count() == 0


# --- Who has nothing, who has everything ----------------------------------------------------------


def test_anonymous_citizens_and_inactive_officers_have_nothing(two_agencies):
    mine, _other = two_agencies
    gone = officer("nghihuu", {mine: [Role.ADMINISTRATOR]}, is_active=False)
    for user in (AnonymousUser(), citizen("dan"), gone, None):
        assert not agencies_of(user).exists()
        assert not any(has_capability(user, capability) for capability in CAPABILITIES)
        assert capabilities_of(user) == frozenset()
        assert not scope(Agency.objects.all(), user, agency_field="pk", capability=None).exists()
        with pytest.raises(Http404):
            get_scoped_or_404(Agency.objects.all(), user, agency_field="pk", capability=None, pk=mine.pk)


def test_superusers_have_everything(two_agencies, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.vn", "mat-khau-rat-dai-2026")
    assert set(agencies_of(root, "dossier.approve")) == set(two_agencies)
    assert all(has_capability(root, capability, two_agencies[1]) for capability in CAPABILITIES)
    assert capabilities_of(root) == frozenset(CAPABILITIES)
    assert scope(Agency.objects.all(), root, agency_field="pk", capability="org.manage").count() == 2


# --- Scoping querysets -----------------------------------------------------------------------------


def test_scope_follows_a_foreign_key(two_agencies):
    mine, other = two_agencies
    admin_a = officer("quantri.a", {mine: [Role.ADMINISTRATOR]})
    officer("canbo.b", {other: [Role.COUNTER_OFFICER]})
    visible = scope(Membership.objects.all(), admin_a, agency_field="agency", capability="org.manage")
    assert {m.agency for m in visible} == {mine}
    assert not scope(Membership.objects.all(), admin_a, agency_field="agency", capability="dossier.view").exists()


def test_scope_through_many_to_many_gives_each_row_once(two_agencies):
    mine, other = two_agencies
    third = agency("Sở Y tế")
    both = one_stop_unit("Trung tâm Phục vụ hành chính công", [mine, other])
    one_stop_unit("Bộ phận Một cửa Sở Y tế", [third])
    counter = officer("tiepnhan", {mine: [Role.COUNTER_OFFICER], other: [Role.COUNTER_OFFICER]})
    visible = scope(OneStopUnit.objects.all(), counter, agency_field="served_agencies", capability="dossier.receive")
    assert list(visible) == [both]
    assert visible.count() == 1


def test_scope_of_agencies_themselves(two_agencies):
    mine, _other = two_agencies
    admin_a = officer("quantri.a", {mine: [Role.ADMINISTRATOR]})
    assert list(scope(Agency.objects.all(), admin_a, agency_field="pk", capability="org.manage")) == [mine]


@pytest.mark.parametrize(
    ("model", "agency_field"),
    [(Membership, "user"), (Membership, "role"), (Membership, "agencyy"), (OneStopUnit, "pk")],
)
def test_a_wrong_agency_field_is_a_configuration_error(db, model, agency_field):
    with pytest.raises(ImproperlyConfigured):
        scope(model.objects.all(), AnonymousUser(), agency_field=agency_field, capability=None)


def test_another_agencys_object_is_404_like_a_missing_one(two_agencies):
    mine, other = two_agencies
    admin_a = officer("quantri.a", {mine: [Role.ADMINISTRATOR]})
    theirs = Membership.objects.create(user=citizen("x"), agency=other, role=Role.EDITOR)
    ours = Membership.objects.create(user=citizen("y"), agency=mine, role=Role.EDITOR)
    kwargs = {"agency_field": "agency", "capability": "org.manage"}
    assert get_scoped_or_404(Membership.objects.all(), admin_a, **kwargs, pk=ours.pk) == ours
    for pk in (theirs.pk, 999_999):
        with pytest.raises(Http404):
            get_scoped_or_404(Membership.objects.all(), admin_a, **kwargs, pk=pk)


def test_memberships_are_read_once_per_user_object(two_agencies, django_assert_num_queries):
    mine, other = two_agencies
    user = officer("canbo", {mine: [Role.LEADER], other: [Role.ADMINISTRATOR]})
    with django_assert_num_queries(2):  # the memberships in force, then the scoped rows
        list(scope(Membership.objects.all(), user, agency_field="agency", capability="org.manage"))
    with django_assert_num_queries(0):
        assert has_capability(user, "dossier.approve", mine)
        assert not has_capability(user, "dossier.approve", other)
    with django_assert_num_queries(1):
        list(scope(Membership.objects.all(), user, agency_field="agency", capability="org.manage"))


def test_a_membership_changed_after_the_first_read_is_seen_by_the_same_user_object(two_agencies):
    mine, other = two_agencies
    user = officer("canbo", {mine: [Role.LEADER]})
    assert not has_capability(user, "dossier.receive", other)
    granted = Membership.objects.create(user=user, agency=other, role=Role.COUNTER_OFFICER)
    assert has_capability(user, "dossier.receive", other)
    granted.valid_to = timezone.localdate()
    granted.save()
    assert not has_capability(user, "dossier.receive", other)
    granted.delete()
    assert list(agencies_of(user)) == [mine]


# --- Citizens' own objects -------------------------------------------------------------------------


def test_owned_gives_the_owner_their_rows_and_nobody_else(two_agencies, django_user_model):
    owner, stranger = citizen("chu"), citizen("la")
    root = django_user_model.objects.create_superuser("root", "root@example.vn", "mat-khau-rat-dai-2026")
    link = owner.organization_links.create(tax_code="0101243150", organization_name="Công ty A")
    links = owner.organization_links.model.objects.all()
    assert owned_or_404(links, owner, owner_field="user", pk=link.pk) == link
    for user in (stranger, root, AnonymousUser(), officer("canbo", {two_agencies[0]: [Role.ADMINISTRATOR]})):
        assert not owned(links, user, owner_field="user").exists()
        with pytest.raises(Http404):
            owned_or_404(links, user, owner_field="user", pk=link.pk)
