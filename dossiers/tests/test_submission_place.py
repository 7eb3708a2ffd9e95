"""Where an online submission goes (``selectors.submission_place``): the public version, the
processing agency and the receiving unit from their codes. Kept per process and catalog revision
when ``SUBMISSION_PLACE_CACHE`` is on, and read again after any change to the catalog, an agency,
a unit or the agencies a unit serves."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.services import catalog_revision_bump
from dossiers.errors import DossierInvalid
from dossiers.selectors import submission_place
from org.tests.factories import agency, one_stop_unit

from .factories import World


@pytest.fixture
def cached(settings):
    settings.SUBMISSION_PLACE_CACHE = True
    catalog_revision_bump()  # a token no earlier test has used


def place_of(w: World) -> tuple:
    return submission_place(procedure=w.version.procedure.code, agency=w.agency.code, unit=w.unit.code)


def test_the_place_is_found_from_the_codes(w):
    assert place_of(w) == (w.version, w.agency, w.unit)
    assert submission_place(procedure=w.version.procedure.code, agency=None, unit=None) == (
        w.version,
        w.agency,
        w.unit,
    )


def test_a_wrong_code_says_what_is_wrong(w):
    with pytest.raises(DossierInvalid) as error:
        submission_place(procedure="9.999999", agency=None, unit=None)
    assert "procedure" in error.value.errors
    with pytest.raises(DossierInvalid) as error:
        submission_place(procedure=w.version.procedure.code, agency="000.00.99.H99", unit=None)
    assert "agency" in error.value.errors


def test_a_kept_place_costs_one_small_query(w, cached):
    first = place_of(w)
    with CaptureQueriesContext(connection) as queries:
        assert place_of(w) is first
    assert len(queries) == 1
    assert "catalog_catalogrevision" in queries[0]["sql"]


def test_a_catalog_change_finds_the_place_again(w, cached):
    first = place_of(w)
    catalog_revision_bump()
    assert place_of(w) is not first
    assert place_of(w) == first


def test_an_agency_closed_since_is_not_a_place_any_more(w, cached):
    place_of(w)
    w.agency.is_active = False
    w.agency.save()
    with pytest.raises(DossierInvalid) as error:
        place_of(w)
    assert "agency" in error.value.errors


def test_a_unit_that_stops_serving_the_agency_is_not_a_place_any_more(w, cached):
    place_of(w)
    w.unit.served_agencies.remove(w.agency)
    with pytest.raises(DossierInvalid) as error:
        place_of(w)
    assert "unit" in error.value.errors


def test_a_second_unit_serving_the_agency_makes_the_citizen_choose(w, cached):
    assert submission_place(procedure=w.version.procedure.code, agency=None, unit=None)[2] == w.unit
    one_stop_unit("Bộ phận Một cửa thứ hai", [w.agency])
    with pytest.raises(DossierInvalid) as error:
        submission_place(procedure=w.version.procedure.code, agency=None, unit=None)
    assert "unit" in error.value.errors


def test_an_agency_given_the_procedure_since_makes_the_citizen_choose(w, cached):
    assert submission_place(procedure=w.version.procedure.code, agency=None, unit=None)[1] == w.agency
    other = agency("Ủy ban nhân dân phường thử khác", code="000.00.98.H41")
    w.version.agencies.first().agencies.add(other)
    with pytest.raises(DossierInvalid) as error:
        submission_place(procedure=w.version.procedure.code, agency=None, unit=None)
    assert "agency" in error.value.errors
