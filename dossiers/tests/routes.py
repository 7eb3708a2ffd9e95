"""Routes and admin models of dossiers for the permission walk (tests/route_registry.py)."""

from __future__ import annotations

from dossiers import services
from dossiers.models import Dossier
from dossiers.rules import Channel, ResultDelivery
from org.tests.factories import one_stop_unit
from tests.route_registry import Cast, Target, admin_object, private, public, unscoped_admin

from .factories import procedure_for

public(
    "api:dossier_status",
    "public tracking: answers only to the code with the last four digits of the applicant's identification or "
    "phone number, and shows status and dates, never personal data",
)

unscoped_admin(
    "dossiers.DailySequence",
    "superusers only (no capability grants it), read only: the last number of each unit and day, no personal data",
)


@admin_object("dossiers.Dossier")
def _dossier(cast: Cast) -> Dossier:
    version = procedure_for(cast.agency)
    unit = one_stop_unit("Bộ phận Một cửa Dấu Vết", [cast.agency])
    intake = services.Intake(
        procedure_version=version,
        processing_agency=cast.agency,
        receiving_unit=unit,
        applicant=services.Applicant(name="Trần Dấu Vết", personal_id="056090999999", address="Nha Trang"),
        result_delivery=ResultDelivery.COUNTER,
        channel=Channel.COUNTER,
    )
    dossier = services.dossier_register(actor=cast.officer, intake=intake)
    return services.dossier_receive(actor=cast.officer, dossier=dossier)


@private("dossiers:slip", owner="agency")
def _slip(cast: Cast) -> Target:
    """A receipt of a counter dossier received in ``cast.agency`` (no citizen account owns it; the
    owner's access is in dossiers/tests/test_views.py). The code is in the PDF's metadata."""
    dossier = _dossier(cast)
    assert isinstance(dossier, Dossier)
    return Target({"pk": dossier.pk, "kind": "receipt"}, marker=str(dossier.code))
