"""Keeping the daily figures (``DailyFigure``) equal to a count from the dossiers.

Every transition of a dossier asks, in its own transaction, for ``tasks.refresh_figures`` (see
``receivers``); the task reads the dossier as it is now, works out what it adds to the daily
measures (``rules.contribution``), takes away what it added last time (``DossierFact``) and adds
the difference. It is idempotent: run twice, the second run finds nothing to change. Dossiers
written without transitions (``manage.py generate_dossiers``, a restore) are counted by
``figures_rebuild`` (``manage.py rebuild_figures``). Only the reports' own tables are written.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import astuple
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from documents.models import DigitizedDossier, DossierFile, Purpose
from dossiers.models import Dossier, DossierEvent
from dossiers.rules import Action
from payments.models import ONLINE_METHODS, Payment
from payments.models import State as PaymentState
from results.models import ElectronicResult

from . import rules
from .models import DIMENSIONS, DailyFigure, DossierFact, ReportDocument

Dims = tuple[int, int, int, str, int, int]  # in the order of models.DIMENSIONS
CHUNK = 5000

_FIELDS = (
    "id",
    "processing_agency_id",
    "procedure_version__procedure_id",
    "procedure_version__field_id",
    "channel",
    "receiving_unit_id",
    "receiving_unit__administrative_unit_id",
    "state",
    "outcome",
    "received_at",
    "finished_at",
    "updated_at",
    "original_due_on",
    "supplement_request_count",
)


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else timezone.localtime(moment).date()


def read_facts(dossiers: QuerySet[Dossier]) -> Iterator[tuple[int, Dims, rules.DossierFacts]]:
    """Each dossier's dimensions and facts, read a chunk at a time (by id)."""
    last = 0
    base = dossiers.order_by("id")
    while True:
        chunk = list(base.filter(id__gt=last).values_list(*_FIELDS)[:CHUNK])
        if not chunk:
            return
        first, last = chunk[0][0], chunk[-1][0]
        ids = {"dossier_id__gte": first, "dossier_id__lte": last}
        digitized = set(DigitizedDossier.objects.filter(**ids).values_list("dossier_id", flat=True))
        reused = set(
            DossierFile.objects.filter(purpose=Purpose.REUSED, store_item__isnull=False, **ids).values_list(
                "dossier_id", flat=True
            )
        )
        electronic = set(ElectronicResult.objects.filter(**ids).values_list("dossier_id", flat=True))
        paid: dict[int, list[rules.Paid]] = defaultdict(list)
        for dossier_id, at, amount, method, reduction, exemption in Payment.objects.filter(
            state=PaymentState.PAID, paid_at__isnull=False, **ids
        ).values_list("dossier_id", "paid_at", "amount_vnd", "method", "reduction_vnd", "exemption_vnd"):
            paid[dossier_id].append(
                rules.Paid(_day(at), amount, method in ONLINE_METHODS, reduction, exemption)  # type: ignore[arg-type]
            )
        refused = {
            dossier_id: at
            for dossier_id, at in DossierEvent.objects.filter(action=Action.REFUSE_INTAKE, **ids).values_list(
                "dossier_id", "at"
            )
        }
        for (
            pk,
            agency,
            procedure,
            field,
            channel,
            unit,
            area,
            state,
            outcome,
            received_at,
            finished_at,
            updated_at,
            due_on,
            supplements,
        ) in chunk:
            closed = refused.get(pk, updated_at) if state == "not_received" else finished_at
            facts = rules.DossierFacts(
                state=state,
                channel=channel,
                outcome=outcome,
                received_on=_day(received_at),
                finished_on=_day(finished_at),
                closed_on=_day(closed) if state in ("not_received", "withdrawn") else None,
                due_on=due_on,
                supplement_requests=supplements,
                digitized=pk in digitized,
                reused=pk in reused,
                e_result=pk in electronic,
                payments=tuple(sorted(paid.get(pk, ()), key=astuple)),
            )
            yield pk, (agency, procedure, field, channel, unit, area), facts


def _stored(fact: DossierFact) -> tuple[Dims, rules.DossierFacts]:
    dims: Dims = (fact.agency_id, fact.procedure_id, fact.field_id, fact.channel, fact.unit_id, fact.area_id)
    return dims, rules.DossierFacts(
        state=fact.state,
        channel=fact.channel,
        outcome=fact.outcome,
        received_on=fact.received_on,
        finished_on=fact.finished_on,
        closed_on=fact.closed_on,
        due_on=fact.due_on,
        supplement_requests=fact.supplement_requests,
        digitized=fact.digitized,
        reused=fact.reused,
        e_result=fact.e_result,
        payments=tuple(
            rules.Paid(datetime.date.fromisoformat(day), amount, online, reduction, exemption)
            for day, amount, online, reduction, exemption in fact.payments
        ),
    )


def _fact_row(pk: int, dims: Dims, facts: rules.DossierFacts) -> DossierFact:
    return DossierFact(
        dossier_id=pk,
        **dict(zip(DIMENSIONS, dims, strict=True)),
        state=facts.state,
        outcome=facts.outcome,
        received_on=facts.received_on,
        finished_on=facts.finished_on,
        closed_on=facts.closed_on,
        due_on=facts.due_on,
        supplement_requests=facts.supplement_requests,
        digitized=facts.digitized,
        reused=facts.reused,
        e_result=facts.e_result,
        payments=[
            [p.day.isoformat(), p.amount_vnd, p.online, p.reduction_vnd, p.exemption_vnd] for p in facts.payments
        ],
    )


def _add(dims: Dims, changes: rules.Contribution) -> None:
    """Add ``changes`` to the daily rows of ``dims``, in the order of their days (every writer
    takes the rows in the same order)."""
    key = dict(zip(DIMENSIONS[:-1], dims[:-1], strict=True))
    for day in sorted(changes):
        row = changes[day]
        increments = {measure: F(measure) + amount for measure, amount in row.items()}
        if DailyFigure.objects.filter(day=day, **key).update(**increments):
            continue
        try:
            with transaction.atomic():
                DailyFigure.objects.create(day=day, area_id=dims[-1], **key, **row)
        except IntegrityError:  # another writer created it first
            DailyFigure.objects.filter(day=day, **key).update(**increments)


def figures_refresh(*, dossier_id: int) -> bool:
    """Bring the daily figures up to date with one dossier; whether anything changed."""
    with transaction.atomic():
        stored = DossierFact.objects.select_for_update().filter(dossier_id=dossier_id).first()
        found = list(read_facts(Dossier.objects.filter(pk=dossier_id)))
        old_dims, old_facts = _stored(stored) if stored is not None else (None, None)
        new_dims, new_facts = (found[0][1], found[0][2]) if found else (None, None)
        if (old_dims, old_facts) == (new_dims, new_facts):
            return False
        old = rules.contribution(old_facts) if old_facts is not None else {}
        new = rules.contribution(new_facts) if new_facts is not None else {}
        if old_dims == new_dims and old_dims is not None:
            _add(old_dims, rules.difference(new, old))
        else:
            if old_dims is not None:
                _add(old_dims, rules.difference({}, old))
            if new_dims is not None:
                _add(new_dims, new)
        if new_dims is None or new_facts is None or not new:
            DossierFact.objects.filter(dossier_id=dossier_id).delete()
        else:
            _fact_row(dossier_id, new_dims, new_facts).save()
        return True


def recount(dossiers: QuerySet[Dossier] | None = None) -> dict[Dims, rules.Contribution]:
    """The daily measures counted afresh from the dossiers, by dimensions (nothing written)."""
    out: dict[Dims, rules.Contribution] = {}
    for _pk, dims, facts in read_facts(dossiers if dossiers is not None else Dossier.objects.all()):
        counted = rules.contribution(facts)
        if counted:
            out[dims] = rules.total([out.get(dims, {}), counted])
    return out


def figures_rebuild(*, batch: int = 2000) -> dict[str, int]:
    """Count every dossier afresh into empty tables, in one transaction (readers see the old
    figures until it commits); how many dossiers and daily rows."""
    totals: dict[tuple[Dims, datetime.date], dict[str, int]] = {}
    facts_written = 0
    with transaction.atomic():
        DailyFigure.objects.all().delete()
        DossierFact.objects.all().delete()
        pending: list[DossierFact] = []
        for pk, dims, facts in read_facts(Dossier.objects.all()):
            counted = rules.contribution(facts)
            if not counted:
                continue
            for day, row in counted.items():
                target = totals.setdefault((dims, day), {})
                for measure, amount in row.items():
                    target[measure] = target.get(measure, 0) + amount
            pending.append(_fact_row(pk, dims, facts))
            if len(pending) >= batch:
                DossierFact.objects.bulk_create(pending)
                facts_written += len(pending)
                pending = []
        DossierFact.objects.bulk_create(pending)
        facts_written += len(pending)
        rows: list[DailyFigure] = []
        for (dims, day), row in totals.items():
            rows.append(DailyFigure(day=day, **dict(zip(DIMENSIONS, dims, strict=True)), **row))
            if len(rows) >= batch:
                DailyFigure.objects.bulk_create(rows)
                rows = []
        DailyFigure.objects.bulk_create(rows)
    return {"dossiers": facts_written, "daily_rows": len(totals)}


def table_as_counted() -> dict[Dims, rules.Contribution]:
    """The daily table read back in the shape of ``recount`` (zero rows left out)."""
    out: dict[Dims, rules.Contribution] = {}
    for values in DailyFigure.objects.values("day", *DIMENSIONS, *rules.MEASURES).iterator():
        row = {m: values[m] for m in rules.MEASURES if values[m]}
        if row:
            dims: Any = tuple(values[d] for d in DIMENSIONS)
            out.setdefault(dims, {})[values["day"]] = row
    return out


# --- Report documents -------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str | bool):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [_jsonable(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {name: _jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
    return str(value)


def report_write(
    *,
    actor: Any,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    scope: Any,
    agency_id: int | None,
    heading: Any,
    pdf: bool = True,
) -> ReportDocument:
    """Write a report of ``kind`` for the period and scope from its template, keep it with the
    figures it was written from (``snapshot``: the placeholders as filled and the raw figures),
    and its PDF when LibreOffice is there. ``documents.PlaceholderError`` when the template asks
    for something unknown; ``rules.PeriodError`` for a period the statistics refuse."""
    from . import documents, selectors

    found = selectors.statistics(start=start, end=end, scope=scope)
    context = documents.context_for(found, heading)
    docx = documents.render(documents.template_path(kind), context)
    converted = documents.to_pdf(docx) if pdf else None
    snapshot = {
        "context": context,
        "heading": _jsonable(heading),
        "figures": {
            "dossiers": _jsonable(found.dossiers),
            "feedback": _jsonable(found.feedback),
            "news": _jsonable(found.news),
            "contests": _jsonable(found.contests),
        },
    }
    return ReportDocument.objects.create(
        kind=kind,
        start=start,
        end=end,
        agency_id=agency_id,
        created_by=actor,
        snapshot=snapshot,
        docx=docx,
        pdf=converted,
    )
