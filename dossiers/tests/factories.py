"""Builders for dossier tests. ``world()`` makes a commune with its one-stop unit, a published
procedure and the people who handle it; ``walk_to(w, state)`` brings a fresh dossier to any state
through the real services."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from catalog.models import ImplementingAgency, ProcedureVersion
from catalog.tests.factories import published
from dossiers import services
from dossiers.models import Dossier
from dossiers.rules import ResultDelivery, State
from dossiers.services import Applicant, HandedDocument, Intake
from org.models import Agency, OneStopUnit, Role
from org.tests.factories import agency, citizen, officer, one_stop_unit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_numbers = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """A moment in Asia/Ho_Chi_Minh."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


# Monday 3 November 2025, 09:00: a plain working week (no holiday until 1 January).
MONDAY = at(2025, 11, 3)


@dataclass
class World:
    agency: Agency
    unit: OneStopUnit
    version: ProcedureVersion
    counter: Any
    processor: Any
    leader: Any
    citizen: Any

    def intake(self, **changes: Any) -> Intake:
        applicant = Applicant(
            name=self.citizen.full_name,
            personal_id=self.citizen.personal_id,
            address="12 Trần Phú, phường Nha Trang",
            phone=self.citizen.phone,
            email=self.citizen.email,
        )
        document = self.version.documents.first()
        base = Intake(
            procedure_version=self.version,
            processing_agency=self.agency,
            receiving_unit=self.unit,
            applicant=applicant,
            result_delivery=ResultDelivery.COUNTER,
            documents=[HandedDocument(document.pk)] if document is not None else [],
        )
        return replace(base, **changes)


def procedure_for(place: Agency, *, processing_days: int | None = 3, **kwargs: Any) -> ProcedureVersion:
    """A public procedure that ``place`` processes, with one required document."""
    number = next(_numbers)
    kwargs.setdefault("documents", ["Tờ khai theo mẫu"])
    version = published(
        f"8.{number:06d}",
        f"Thủ tục thử nghiệm {number}",
        agency=f"Cơ quan thực hiện {place.code}",
        processing_days=processing_days,
        **kwargs,
    )
    ImplementingAgency.objects.get(name=f"Cơ quan thực hiện {place.code}").agencies.add(place)
    return version


def world(*, processing_days: int | None = 3, **procedure: Any) -> World:
    number = next(_numbers)
    place = agency(f"Ủy ban nhân dân phường thử {number}", code=f"000.00.{number:02d}.H41")
    unit = one_stop_unit(f"Bộ phận Một cửa phường thử {number}", [place])
    return World(
        agency=place,
        unit=unit,
        version=procedure_for(place, processing_days=processing_days, **procedure),
        counter=officer(f"tiepnhan{number}", {place: [Role.COUNTER_OFFICER]}),
        processor=officer(f"chuyenvien{number}", {place: [Role.PROCESSING_OFFICER]}),
        leader=officer(f"lanhdao{number}", {place: [Role.LEADER]}),
        citizen=citizen(
            f"congdan{number}",
            personal_id=f"056090{number:06d}",
            phone=f"0905{number:06d}",
            email=f"congdan{number}@example.vn",
        ),
    )


def submitted(w: World, *, now: datetime.datetime = MONDAY, **changes: Any) -> Dossier:
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(**changes), now=now)
    return dossier


def walk_to(w: World, state: State, *, now: datetime.datetime = MONDAY) -> Dossier:
    """A new dossier of ``w.citizen`` in ``state``, through the services (all at ``now``)."""
    if state == State.DRAFT:
        return services.dossier_draft_save(applicant=w.citizen, intake=w.intake())
    d = submitted(w, now=now)
    if state == State.SUBMITTED:
        return d
    if state == State.NOT_RECEIVED:
        return services.dossier_refuse_intake(actor=w.counter, dossier=d, reason="Không thuộc thẩm quyền", now=now)
    if state == State.WITHDRAWN:
        return services.dossier_withdraw(actor=w.citizen, dossier=d, reason="Không có nhu cầu", now=now)
    d = services.dossier_receive(actor=w.counter, dossier=d, now=now)
    if state == State.RECEIVED:
        return d
    d = services.dossier_assign(actor=w.counter, dossier=d, to=w.processor, now=now)
    if state == State.IN_PROGRESS:
        return d
    if state == State.SUPPLEMENT_REQUESTED:
        return services.dossier_request_supplement(
            actor=w.processor, dossier=d, missing=["Bản sao giấy khai sinh"], now=now
        )
    if state == State.AWAITING_PAYMENT:
        if d.procedure_version.fee_items.exists():  # the catalog's lines, as assessed
            return services.dossier_request_payment(actor=w.processor, dossier=d, now=now)
        return services.dossier_request_payment(
            actor=w.processor, dossier=d, override_vnd=50_000, override_reason="Mức thu theo biểu phí của tỉnh", now=now
        )
    if state == State.STOPPED:
        return services.dossier_stop(actor=w.leader, dossier=d, reason="Người nộp đề nghị dừng", now=now)
    d = services.dossier_approve(actor=w.leader, dossier=d, now=now)
    if state == State.DONE:
        return d
    assert state == State.RETURNED
    return services.dossier_return_result(actor=w.counter, dossier=d, method=ResultDelivery.COUNTER, now=now)
