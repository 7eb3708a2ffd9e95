"""Routes of surveys for the permission walk (tests/route_registry.py)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from dossiers import services as dossier_services
from dossiers.rules import Channel, ResultDelivery
from dossiers.tests.factories import procedure_for
from org.tests.factories import one_stop_unit
from tests.route_registry import Cast, Target, private, public

public(
    "surveys:rate_item",
    "the parameter is a signed token naming one feedback item (a forged or altered one answers 404); the page shows "
    "the item's code and subject to whoever holds the link sent to its sender, never the sender",
)
public(
    "surveys:rate_dossier_link",
    "the parameter is a signed token naming one returned dossier (a forged or altered one, or one of another kind, "
    "answers 404); the page shows the dossier's code and procedure to whoever holds the link sent to its "
    "applicant, never the applicant",
)


@private("surveys:rate_dossier", owner="citizen")
def _rate_dossier(cast: Cast) -> Target:
    version = procedure_for(cast.agency)
    unit = one_stop_unit("Bộ phận Một cửa Đánh Giá", [cast.agency])
    earlier = timezone.now() - datetime.timedelta(hours=1)
    intake = dossier_services.Intake(
        procedure_version=version,
        processing_agency=cast.agency,
        receiving_unit=unit,
        applicant=dossier_services.Applicant(name="Đỗ Đánh Giá", personal_id="056090777777", address="Nha Trang"),
        result_delivery=ResultDelivery.COUNTER,
        channel=Channel.ONLINE,
    )
    dossier, _created = dossier_services.dossier_submit(applicant=cast.owner, intake=intake, now=earlier)
    counter, processor, leader = cast.officer, cast.officer, cast.officer
    dossier = dossier_services.dossier_receive(actor=counter, dossier=dossier, now=earlier)
    dossier = dossier_services.dossier_assign(actor=counter, dossier=dossier, to=processor, now=earlier)
    dossier = dossier_services.dossier_approve(actor=leader, dossier=dossier, now=earlier)
    dossier = dossier_services.dossier_return_result(
        actor=counter, dossier=dossier, method=ResultDelivery.COUNTER, now=earlier
    )
    return Target({"pk": dossier.pk}, marker=str(dossier.code))
