"""Reads built once by the ORM and run again with new values (``common.prepared``): the same rows
as the ORM's own query, for numbers, text, dates and times on either database."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from common.prepared import Prepared
from org.models import Membership, Role
from org.tests.factories import agency, officer

pytestmark = pytest.mark.django_db


def in_force(user_id, day):
    return (
        Membership.objects.filter(user_id=user_id, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .order_by("role")
        .values_list("role", "agency_id")
    )


prepared = Prepared(in_force, examples=(-987654321, datetime.date(1, 1, 2)))


def test_the_rows_are_the_orm_s_for_any_values():
    place = agency("Sở Tư pháp")
    user = officer("canbo", {place: [Role.COUNTER_OFFICER, Role.LEADER]})
    Membership.objects.filter(user=user, role=Role.LEADER).update(
        valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2026, 7, 1)
    )
    Membership.objects.filter(user=user, role=Role.COUNTER_OFFICER).update(valid_from=datetime.date(2025, 1, 1))
    for day in (
        datetime.date(2024, 12, 31),
        datetime.date(2025, 6, 1),
        datetime.date(2026, 3, 1),
        datetime.date(2026, 7, 1),
    ):
        assert prepared.rows(user.pk, day) == list(in_force(user.pk, day)), day
    assert prepared.rows(user.pk, datetime.date(2026, 3, 1)) == [
        (Role.COUNTER_OFFICER, place.pk),
        (Role.LEADER, place.pk),
    ]
    assert prepared.rows(user.pk + 1000, datetime.date(2026, 3, 1)) == []


def test_times_compare_as_the_orm_compares_them():
    now = timezone.now()
    Session.objects.create(session_key="a" * 32, session_data="đã lưu", expire_date=now + datetime.timedelta(seconds=1))
    expiring = Prepared(
        lambda key, at: Session.objects.filter(session_key=key, expire_date__gt=at).values_list("session_data"),
        examples=("\x00", datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)),
    )
    assert expiring.rows("a" * 32, now) == [("đã lưu",)]
    assert expiring.rows("a" * 32, now + datetime.timedelta(seconds=1)) == []
    assert expiring.rows("b" * 32, now) == []


def test_the_query_is_built_once(django_assert_num_queries, monkeypatch):
    built = []
    counting = Prepared(
        lambda user_id, day: built.append(1) or in_force(user_id, day), examples=(-1, datetime.date(1, 1, 2))
    )
    with django_assert_num_queries(2):
        counting.rows(1, datetime.date(2026, 1, 1))
        counting.rows(2, datetime.date(2026, 1, 2))
    assert built == [1, 1]  # once with the examples, once with others: then never again


def test_a_value_that_is_not_in_the_query_is_refused():
    wrong = Prepared(
        lambda user_id, day: Membership.objects.filter(user_id=user_id).values_list("role"),
        examples=(-1, datetime.date(1, 1, 2)),
    )
    with pytest.raises(ValueError, match="does not appear"):
        wrong.rows(1, datetime.date(2026, 1, 1))


def test_a_constant_of_the_query_stays_itself_even_equal_to_an_example():
    expires = timezone.now() + datetime.timedelta(days=1)
    Session.objects.create(session_key="k" * 32, session_data="x", expire_date=expires)
    Session.objects.create(session_key="x", session_data="y", expire_date=expires)
    holding_x = Prepared(
        lambda key: Session.objects.filter(session_key=key, session_data="x").values_list("session_key"),
        examples=("x",),  # the same as the constant
    )
    assert holding_x.rows("k" * 32) == [("k" * 32,)]
    assert holding_x.rows("x") == []  # its data is "y", not "x"


memberships_of = Prepared(
    lambda user_id: (
        Membership.objects.select_related("user", "agency", "one_stop_unit")
        .defer("user__password", "agency__name")
        .filter(user_id=user_id)
        .order_by("role")
    ),
    examples=(-987654321,),
)


def test_objects_are_the_instances_the_orm_makes(django_assert_num_queries):
    place = agency("Sở Xây dựng")
    user = officer("canbo", {place: [Role.COUNTER_OFFICER, Role.LEADER]})
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    expected = list(memberships_of._build(user.pk))

    with django_assert_num_queries(1):
        found = memberships_of.objects(user.pk)
        # What select_related read comes with them, converted as the ORM converts it.
        assert [(m.role, m.valid_from, m.agency.code, m.user.last_login) for m in found] == [
            (m.role, m.valid_from, m.agency.code, m.user.last_login) for m in expected
        ]
        assert [m.one_stop_unit for m in found] == [None, None]
    assert [m.pk for m in found] == [m.pk for m in expected]
    assert isinstance(found[0].valid_from, datetime.date)
    assert found[0].user.last_login == user.last_login
    # What was deferred is deferred, and read when asked for.
    assert found[0].user.get_deferred_fields() == {"password"}
    assert found[0].agency.get_deferred_fields() == {"name"}
    assert found[0].agency.name == "Sở Xây dựng"
    assert memberships_of.objects(user.pk + 1000) == []


def test_objects_of_a_values_query_are_refused():
    with pytest.raises(TypeError, match="model instances"):
        prepared.objects(1, datetime.date(2026, 1, 1))


def test_it_is_used_with_the_django_it_was_measured_and_tested_with():
    """``common.prepared`` reads the ORM's compiler internals (``klass_info``, ``results_iter``,
    ``get_related_populators``), which Django may change in any release. It is kept only for the
    dossier read of every officer action, where it saves about a fifth of a reception's CPU
    (bench/reception_cost.py); the tests above pin its behaviour against the locked Django. A
    Django upgrade fails here first: run these tests and the benchmark, then move the pin."""
    import django

    locked = next(
        line.split("==", 1)[1].strip()
        for line in (settings.BASE_DIR / "requirements.lock").read_text().splitlines()
        if line.lower().startswith("django==")
    )
    assert django.get_version() == locked


def test_only_the_dossier_read_of_an_officer_s_action_uses_it():
    """Nothing else in the request path: the session, the account, the second factor and the
    memberships are read as Django and django-otp read them."""
    users = sorted(
        str(path.relative_to(settings.BASE_DIR))
        for path in settings.BASE_DIR.rglob("*.py")
        if ".venv" not in path.parts
        and "tests" not in path.parts
        and path.name != "prepared.py"
        and "Prepared(" in path.read_text(encoding="utf-8")
    )
    assert users == ["dossiers/services/machinery.py"]
