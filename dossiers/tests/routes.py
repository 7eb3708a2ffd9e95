"""Routes and admin models of dossiers for the permission walk (tests/route_registry.py)."""

from __future__ import annotations

from collections.abc import Callable

from dossiers import services
from dossiers.models import Dossier
from dossiers.rules import Channel, ResultDelivery, State
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


# --- The officers' side (officer_views.py, api_officer.py) -----------------------------------------


@private("dossiers:officer_dossier", owner="agency")
def _officer_dossier(cast: Cast) -> Target:
    dossier = _dossier(cast)
    assert isinstance(dossier, Dossier)
    return Target({"pk": dossier.pk}, marker=str(dossier.code))


@private("dossiers:officer_act", owner="agency", method="POST", ok=302)
def _officer_act(cast: Cast) -> Target:
    """Receiving a registered dossier: nobody else may, and it stays as it was."""
    received = _dossier(cast)
    assert isinstance(received, Dossier)
    fresh = services.dossier_register(
        actor=cast.officer,
        intake=services.Intake(
            procedure_version=received.procedure_version,
            processing_agency=cast.agency,
            receiving_unit=received.receiving_unit,
            applicant=services.Applicant(name="Phan Dấu Vết Riêng", personal_id="056090888888", address="Nha Trang"),
            result_delivery=ResultDelivery.COUNTER,
            channel=Channel.COUNTER,
        ),
    )
    return Target(
        {"pk": fresh.pk, "action": "receive"},
        marker="Phan Dấu Vết Riêng",
        exists=lambda: Dossier.objects.filter(pk=fresh.pk, state="submitted").exists(),
        data={"receive-version": fresh.version},
    )


public(
    "api:officer_queue",
    "the parameter names one of the five queues, not an object; officers only, and the answer holds only "
    "the dossiers of the caller's own agencies",
)


@private("api:officer_act", owner="agency", method="POST")
def _officer_api_act(cast: Cast) -> Target:
    """Receiving a registered dossier through the officer API, by its id (it has no code yet)."""
    target = _officer_act(cast)
    return Target(
        {"code": str(target.kwargs["pk"]), "action": "receive"},
        marker=target.marker,
        exists=target.exists,
    )


@private("dossiers:slip", owner="agency")
def _slip(cast: Cast) -> Target:
    """A receipt of a counter dossier received in ``cast.agency`` (no citizen account owns it; the
    owner's access is in dossiers/tests/test_views.py). The code is in the PDF's metadata."""
    dossier = _dossier(cast)
    assert isinstance(dossier, Dossier)
    return Target({"pk": dossier.pk, "kind": "receipt"}, marker=str(dossier.code))


# --- The citizen's side (citizen_views.py) ---------------------------------------------------------

public(
    "dossiers:intake",
    "the procedure's code is public catalog data; the form needs sign-in and shows only the signed-in citizen's "
    "own identity",
)


def _citizen_dossier(cast: Cast, state: str = "submitted") -> Dossier:
    """A dossier of ``cast.owner`` at ``cast.agency``, submitted online (or a draft, or waiting for
    a supplement); its procedure's name (unique per test) is the marker."""
    if not cast.owner.personal_id:
        cast.owner.personal_id = "056090777777"
        cast.owner.save(update_fields=["personal_id"])
    version = procedure_for(cast.agency)
    unit = one_stop_unit("Bộ phận Một cửa Dấu Vết", [cast.agency])
    intake = services.Intake(
        procedure_version=version,
        processing_agency=cast.agency,
        receiving_unit=unit,
        applicant=services.Applicant(name="Chủ Sở Hữu", personal_id="056090777777", address="Nha Trang"),
        result_delivery=ResultDelivery.ONLINE,
    )
    if state == "draft":
        return services.dossier_draft_save(applicant=cast.owner, intake=intake)
    dossier, _created = services.dossier_submit(applicant=cast.owner, intake=intake)
    if state == "supplement_requested":
        dossier = services.dossier_receive(actor=cast.officer, dossier=dossier)
        dossier = services.dossier_assign(actor=cast.officer, dossier=dossier)
        dossier = services.dossier_request_supplement(actor=cast.officer, dossier=dossier, missing=["Bản sao sổ đỏ"])
    return dossier


def _in_state(pk: int, state: str) -> Callable[[], bool]:
    return lambda: Dossier.objects.filter(pk=pk, state=state).exists()


@private("dossiers:detail", owner="citizen")
def _detail(cast: Cast) -> Target:
    dossier = _citizen_dossier(cast)
    return Target({"pk": dossier.pk}, marker=dossier.procedure_version.name)


@private("dossiers:submitted", owner="citizen")
def _submitted(cast: Cast) -> Target:
    dossier = _citizen_dossier(cast)
    return Target({"pk": dossier.pk}, marker=dossier.procedure_version.name)


@private("dossiers:draft_edit", owner="citizen")
def _draft(cast: Cast) -> Target:
    dossier = _citizen_dossier(cast, "draft")
    return Target({"pk": dossier.pk}, marker=dossier.procedure_version.name)


@private("dossiers:draft_delete", owner="citizen", method="POST", ok=302)
def _draft_delete(cast: Cast) -> Target:
    dossier = _citizen_dossier(cast, "draft")
    return Target(
        {"pk": dossier.pk},
        marker=dossier.procedure_version.name,
        exists=lambda: Dossier.objects.filter(pk=dossier.pk).exists(),
    )


@private("dossiers:supplement", owner="citizen", method="POST", ok=302)
def _supplement(cast: Cast) -> Target:
    dossier = _citizen_dossier(cast, "supplement_requested")
    return Target(
        {"pk": dossier.pk},
        marker=dossier.procedure_version.name,
        exists=_in_state(dossier.pk, State.SUPPLEMENT_REQUESTED),
        data={"note": "Đã gửi bản sao sổ đỏ qua bưu điện"},
    )


@private("dossiers:withdraw", owner="citizen")
def _withdraw_page(cast: Cast) -> Target:
    dossier = _citizen_dossier(cast)
    return Target({"pk": dossier.pk}, marker=dossier.procedure_version.name)


@private("dossiers:withdraw", owner="citizen", method="POST", ok=302)
def _withdraw(cast: Cast) -> Target:
    dossier = _citizen_dossier(cast)
    return Target(
        {"pk": dossier.pk},
        marker=dossier.procedure_version.name,
        exists=_in_state(dossier.pk, State.SUBMITTED),
        data={"confirm": "yes"},
    )


public("api:today_figures", "aggregate counts of the day and month for the centre's electronic board; nobody's dossier")
