"""Routes of results for the permission walk (tests/route_registry.py)."""

from __future__ import annotations

from dossiers import services as dossier_services
from dossiers.models import Dossier
from dossiers.rules import State
from dossiers.tests.factories import procedure_for, walk_to, world
from org.models import Role
from org.tests.factories import officer, one_stop_unit
from results import services
from results.models import ElectronicResult
from tests.route_registry import Cast, Target, admin_object, private, public

public(
    "api:verify_result",
    "public verification of an uploaded PDF: answers about the file sent, never stores it, names only the "
    "signing agency and the result code; rate-limited per client",
)


@private("results:draft", owner="agency")
def _draft_page(cast: Cast) -> Target:
    """A dossier of ``cast.agency`` being processed; its code is on the page."""
    version = procedure_for(cast.agency)
    unit = one_stop_unit("Bộ phận Một cửa Kết Quả", [cast.agency])
    intake = dossier_services.Intake(
        procedure_version=version,
        processing_agency=cast.agency,
        receiving_unit=unit,
        applicant=dossier_services.Applicant(name="Trần Kết Quả", personal_id="056090888888", address="Nha Trang"),
        result_delivery="counter",
        channel="counter",
    )
    dossier = dossier_services.dossier_register(actor=cast.officer, intake=intake)
    dossier = dossier_services.dossier_receive(actor=cast.officer, dossier=dossier)
    processor = officer("chuyenvien.ketqua", {cast.agency: [Role.PROCESSING_OFFICER]})
    dossier = dossier_services.dossier_assign(actor=cast.officer, dossier=dossier, to=processor)
    assert dossier.state == State.IN_PROGRESS
    return Target({"pk": dossier.pk}, marker=str(dossier.code))


@private("results:download", owner="citizen")
def _signed_result(cast: Cast) -> Target:
    """An approved dossier of ``cast.owner`` in an agency of its own (so that the walk's officer
    of ``cast.agency`` is a stranger to it); the PDF carries the result code."""
    w = world()
    dossier = walk_to(w, State.IN_PROGRESS)
    Dossier.objects.filter(pk=dossier.pk).update(applicant=cast.owner)
    dossier = dossier_services.dossier_approve(actor=w.leader, dossier=Dossier.objects.get(pk=dossier.pk))
    # The walk runs without on-commit callbacks: the result is issued as the worker would.
    result = services.result_issue(approval_id=dossier.events.get(action="approve").pk)
    assert ElectronicResult.objects.filter(pk=result.pk).exists()
    return Target({"pk": dossier.pk, "code": result.code}, marker=result.code)


@admin_object("results.ElectronicResult")
def _result_in_agency(cast: Cast) -> ElectronicResult:
    """The signed result of an approved dossier processed by ``cast.agency``."""
    target = _draft_page(cast)
    dossier = Dossier.objects.get(pk=target.kwargs["pk"])
    dossier = dossier_services.dossier_approve(actor=cast.officer, dossier=dossier)
    return services.result_issue(approval_id=dossier.events.get(action="approve").pk)
