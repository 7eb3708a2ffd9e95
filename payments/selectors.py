"""Reads of fees and payments: the assessment of a dossier, its fee lines and paid status (for
the national portal's DanhSachLePhi), and the figures the reports quote."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from catalog.models import FeeItem, ProcedureVersion, VersionStatus
from common.formats import unit_text
from dossiers.fees import FeeChoice
from dossiers.models import Dossier, DossierEvent
from dossiers.rules import Action, Channel, State
from org.models import Agency, Role
from org.permissions import memberships_held

from . import rules
from .models import ONLINE_METHODS, FeePolicy, MismatchKind, Payment, Reconciliation
from .models import State as PaymentState

# A dossier's channel (dossiers.rules.Channel) → the catalog's fee channel (catalog.models.Channel).
FEE_CHANNEL = {Channel.ONLINE: "online", Channel.COUNTER: "in_person", Channel.POSTAL: "postal"}


def _applicable_items(version: ProcedureVersion, channel: str) -> QuerySet[FeeItem]:
    fee_channel = FEE_CHANNEL.get(Channel(channel), channel)
    return FeeItem.objects.filter(version=version).filter(Q(channel="") | Q(channel=fee_channel))


def fee_lines(version: ProcedureVersion, channel: str) -> list[rules.FeeLine]:
    """The catalog's fee items of ``version`` that apply to a dossier submitted through ``channel``
    (items for that channel, and items for every channel), one of each."""
    return [
        rules.FeeLine(item.pk, item.description, item.amount_vnd, item.unit)
        for item in _applicable_items(version, channel)
    ]


def fee_choices(dossier: Dossier) -> list[FeeChoice]:
    """The fee lines an officer may ask the citizen of ``dossier`` to pay (the version's items for
    the dossier's channel), those with an amount ticked by default."""
    return [
        FeeChoice(
            key=item.pk,
            description=item.description,
            amount_vnd=item.amount_vnd,
            unit=unit_text(item.unit),
            counted=bool(unit_text(item.unit)),
            default=item.amount_vnd > 0,
        )
        for item in _applicable_items(dossier.procedure_version, dossier.channel)
    ]


def picked_lines(dossier: Dossier, picks: Mapping[int, int]) -> list[rules.FeeLine]:
    """The fee lines an officer picked (FeeItem id → quantity). ``ValueError`` for an item that is
    not the dossier's, or a quantity out of 1…999."""
    items = {item.pk: item for item in _applicable_items(dossier.procedure_version, dossier.channel)}
    lines = []
    for key, quantity in picks.items():
        item = items.get(int(key))
        if item is None or not 1 <= int(quantity) <= MAX_QUANTITY:
            raise ValueError(f"fee item {key} × {quantity} cannot be asked for this dossier")
        lines.append(rules.FeeLine(item.pk, item.description, item.amount_vnd, item.unit, int(quantity)))
    return sorted(lines, key=lambda line: [*items].index(line.key))


MAX_QUANTITY = 999


def policies_for(procedure_code: str) -> list[rules.Policy]:
    """Every fee policy that may govern ``procedure_code`` (general ones and its own), any date."""
    rows = (
        FeePolicy.objects.filter(Q(procedures__isnull=True) | Q(procedures__code=procedure_code))
        .prefetch_related("procedures")
        .distinct()
    )
    return [
        rules.Policy(
            id=row.pk,
            kind=row.kind,
            title=row.title,
            legal_basis=row.legal_basis,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            percent=row.percent,
            channel=row.channel,
            group=row.beneficiary_group,
            proof=row.proof_document,
            procedures=frozenset(p.code for p in row.procedures.all()),
        )
        for row in rows
    ]


def submission_day(dossier: Dossier) -> datetime.date:
    """The day whose policies apply: the day the dossier was submitted (today for a draft)."""
    moment = dossier.submitted_at or dossier.created_at or timezone.now()
    return timezone.localdate(moment)


def open_request(dossier: Dossier) -> rules.Assessment | None:
    """The assessment an officer's open payment request asked for (kept with the request in the
    dossier's history), while the dossier waits for the payment."""
    if dossier.state != State.AWAITING_PAYMENT:
        return None
    event = (
        DossierEvent.objects.filter(dossier=dossier, action=Action.REQUEST_PAYMENT)
        .order_by("-at", "-id")
        .only("details")
        .first()
    )
    if event is None or not isinstance(event.details.get("fee"), dict):
        return None
    return rules.Assessment.from_dict(event.details["fee"])


def assess_dossier(
    dossier: Dossier,
    lines: Sequence[rules.FeeLine] | None = None,
    *,
    group: str = "",
    override_vnd: int | None = None,
    override_reason: str = "",
) -> rules.Assessment:
    """``rules.assess`` for ``dossier``: its procedure's policies, its channel, its submission day;
    ``lines`` default to the catalog's lines of its channel."""
    version = dossier.procedure_version
    return rules.assess(
        fee_lines(version, dossier.channel) if lines is None else lines,
        policies_for(version.procedure.code),
        procedure=version.procedure.code,
        channel=dossier.channel,
        day=submission_day(dossier),
        group=group,
        override_vnd=override_vnd,
        override_reason=override_reason,
    )


def dossier_assessment(dossier: Dossier, *, group: str = "") -> rules.Assessment:
    """Số tiền phải nộp của hồ sơ, explained line by line: the one every page, message and payment
    uses. While an officer's request is open, what it asked for (its lines and quantities, its
    override), exactly as the citizen was told; with a beneficiary group (at the counter, proof
    seen), the same lines assessed again with the group's exemption. Otherwise the catalog's
    lines of the dossier's channel."""
    requested = open_request(dossier)
    if requested is None:
        return assess_dossier(dossier, group=group)
    if not group:
        return requested
    lines = [
        rules.FeeLine(line.key, line.description, line.unit_vnd, line.unit, line.quantity) for line in requested.lines
    ]
    return assess_dossier(
        dossier,
        lines,
        group=group,
        override_vnd=requested.override_vnd,
        override_reason=requested.override_reason,
    )


class Desk:
    """The fee desk the dossier context asks (``dossiers.fees``), registered by ``apps``."""

    def choices(self, dossier: Dossier) -> list[FeeChoice]:
        return fee_choices(dossier)

    def assess(
        self, dossier: Dossier, picks: Mapping[int, int] | None, override_vnd: int | None, override_reason: str
    ) -> dict[str, Any]:
        lines = None if picks is None else picked_lines(dossier, picks)
        return assess_dossier(dossier, lines, override_vnd=override_vnd, override_reason=override_reason).as_dict()

    def owed(self, dossier: Dossier) -> dict[str, Any] | None:
        if not is_payable(dossier):
            return None
        assessment = dossier_assessment(dossier)
        return assessment.as_dict() if assessment.total_vnd > 0 else None


def exemptions_for(dossier: Dossier) -> list[rules.Policy]:
    """The exemptions in force for the dossier's procedure on its submission day (which groups
    are exempted, with the document that proves it), one per group."""
    code = dossier.procedure_version.procedure.code
    day = submission_day(dossier)
    found: dict[str, rules.Policy] = {}
    for policy in policies_for(code):
        if policy.kind == rules.EXEMPTION and policy.group not in found:
            chosen = rules.policy_in_force(
                [policy, *policies_for(code)],
                kind=rules.EXEMPTION,
                procedure=code,
                channel=dossier.channel,
                day=day,
                group=policy.group,
            )
            if chosen is not None:
                found[policy.group] = chosen
    return list(found.values())


def paid_payment(dossier: Dossier) -> Payment | None:
    return Payment.objects.filter(dossier=dossier, state=PaymentState.PAID).select_related("receipt").first()


def dossier_payments(dossier: Dossier) -> QuerySet[Payment]:
    return Payment.objects.filter(dossier=dossier).select_related("receipt").order_by("-created_at", "-id")


PAYABLE_STATES = frozenset({State.SUBMITTED, State.RECEIVED, State.IN_PROGRESS, State.AWAITING_PAYMENT})


def is_payable(dossier: Dossier) -> bool:
    """Whether the citizen may pay now: when an officer asked for it, or from submission until
    processing ends, as long as nothing is paid yet."""
    return (
        dossier.state in PAYABLE_STATES
        and not Payment.objects.filter(dossier=dossier, state=PaymentState.PAID).exists()
    )


@dataclass(frozen=True)
class Fees:
    """What a dossier owes and whether it is paid (DanhSachLePhi of the national portal)."""

    lines: list[dict[str, Any]]
    total_vnd: int
    paid: bool
    paid_vnd: int
    paid_at: datetime.datetime | None
    method: str
    receipt_code: str


def fees_of(dossier: Dossier) -> Fees:
    """The fee lines of a dossier (as charged when paid, else as assessed now) and its paid
    status."""
    payment = paid_payment(dossier)
    if payment is not None:
        snapshot = payment.assessment
        receipt = getattr(payment, "receipt", None)
        return Fees(
            lines=list(snapshot.get("lines", [])),
            total_vnd=payment.amount_vnd,
            paid=True,
            paid_vnd=payment.amount_vnd,
            paid_at=payment.paid_at,
            method=payment.method,
            receipt_code=receipt.code if receipt else "",
        )
    assessment = dossier_assessment(dossier)
    return Fees(
        lines=list(assessment.as_dict()["lines"]),  # type: ignore[call-overload]
        total_vnd=assessment.total_vnd,
        paid=False,
        paid_vnd=0,
        paid_at=None,
        method="",
        receipt_code="",
    )


# --- Figures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Số liệu thanh toán trực tuyến for a period (and an agency): money in đồng, shares in
    percent with two decimals."""

    start: datetime.date
    end: datetime.date
    paid_online_vnd: int
    paid_total_vnd: int
    paid_dossiers: int
    paid_online_dossiers: int
    online_dossier_share: float
    fee_procedures: int
    fee_procedures_online: int
    online_procedure_share: float
    reductions_vnd: int
    exemptions_vnd: int


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


def payment_figures(*, start: datetime.date, end: datetime.date, agencies: QuerySet[Any] | None = None) -> Figures:
    """Payments paid from ``start`` to ``end`` (both included, local days), for ``agencies`` when
    given: total paid online, share of paid dossiers that paid online, share of fee-bearing public
    procedures that offer online payment (online submission), reductions and exemptions granted."""
    paid = Payment.objects.filter(state=PaymentState.PAID, paid_at__date__gte=start, paid_at__date__lte=end)
    versions = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, fee_items__amount_vnd__gt=0)
    if agencies is not None:
        paid = paid.filter(dossier__processing_agency__in=agencies)
        versions = versions.filter(agencies__agencies__in=agencies)
    totals = paid.aggregate(
        online=Sum("amount_vnd", filter=Q(method__in=ONLINE_METHODS)),
        total=Sum("amount_vnd"),
        dossiers=Count("dossier", distinct=True),
        online_dossiers=Count("dossier", filter=Q(method__in=ONLINE_METHODS), distinct=True),
        reductions=Sum("reduction_vnd"),
        exemptions=Sum("exemption_vnd"),
    )
    # A few hundred rows at most; JSON "contains" is not portable to SQLite.
    offers: dict[int, bool] = {}
    for procedure, level, channels in versions.values_list("procedure", "online_level", "channels").distinct():
        offers[procedure] = offers.get(procedure, False) or (level != "none" and "online" in (channels or []))
    fee_procedures = len(offers)
    fee_procedures_online = sum(offers.values())
    dossiers = totals["dossiers"] or 0
    online_dossiers = totals["online_dossiers"] or 0
    return Figures(
        start=start,
        end=end,
        paid_online_vnd=totals["online"] or 0,
        paid_total_vnd=totals["total"] or 0,
        paid_dossiers=dossiers,
        paid_online_dossiers=online_dossiers,
        online_dossier_share=_share(online_dossiers, dossiers),
        fee_procedures=fee_procedures,
        fee_procedures_online=fee_procedures_online,
        online_procedure_share=_share(fee_procedures_online, fee_procedures),
        reductions_vnd=totals["reductions"] or 0,
        exemptions_vnd=totals["exemptions"] or 0,
    )


# --- Reconciliation --------------------------------------------------------------------------------

# Who reconciles a gateway's statement with the payments of their agency: the one-stop unit's
# counter officers, who take the fees, and the agency's leaders.
RECONCILING_ROLES = (Role.COUNTER_OFFICER, Role.LEADER)
_CHUNK = 500  # references per query (SQLite's limit on variables is far above)


def reconciling_agencies(user: Any) -> QuerySet[Agency]:
    """The agencies where ``user`` may reconcile payments today (a counter officer's or a
    leader's membership in force). Nobody else, superusers included: money is an officer's."""
    agencies = sorted({held.agency_id for held in memberships_held(user) if held.role in RECONCILING_ROLES})
    return Agency.objects.filter(pk__in=agencies)


def _side(payments: QuerySet[Payment]) -> dict[str, tuple[int, bool]]:
    return {
        p.reference: (p.amount_vnd, p.state == PaymentState.PAID or p.late_paid_at is not None)
        for p in payments.only("reference", "amount_vnd", "state", "late_paid_at")
    }


def statement_side(
    *,
    method: str,
    day: datetime.date,
    agencies: QuerySet[Agency] | None = None,
    references: Sequence[str] = (),
) -> dict[str, tuple[int, bool]]:
    """Our side of a gateway statement for a day: reference → (amount, paid), for payments sent
    to that gateway that day or paid that day, and those the statement names (a payment the
    gateway books on a day we did not is not missing); within ``agencies`` when given."""
    payments = Payment.objects.filter(method=method)
    if agencies is not None:
        payments = payments.filter(dossier__processing_agency__in=agencies)
    side = _side(payments.filter(Q(created_at__date=day) | Q(paid_at__date=day) | Q(late_paid_at__date=day)))
    wanted = sorted(set(references) - set(side))
    for start in range(0, len(wanted), _CHUNK):
        side.update(_side(payments.filter(reference__in=wanted[start : start + _CHUNK])))
    return side


def _foreign(references: Sequence[str], agencies: QuerySet[Agency]) -> set[str]:
    """The references that are payments of other agencies than ``agencies``."""
    wanted = sorted(set(references))
    foreign: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        others = Payment.objects.filter(reference__in=wanted[start : start + _CHUNK]).exclude(
            dossier__processing_agency__in=agencies
        )
        foreign.update(others.values_list("reference", flat=True))
    return foreign


def statement_mismatches(
    *, method: str, day: datetime.date, text: str
) -> tuple[list[rules.Mismatch], list[rules.StatementProblem]]:
    """Đối soát: every difference between a gateway's statement (CSV) for ``day`` and our
    payments through that gateway, and the statement lines that could not be read."""
    statement = rules.read_statement(text)
    references = [row.reference for row in statement.rows]
    ours = statement_side(method=method, day=day, references=references)
    return rules.reconcile(ours, statement.rows), statement.problems


@dataclass(frozen=True)
class ReconciliationLine:
    """One mismatch as an officer reads it: both sides' amount and state (None: no such row)."""

    reference: str
    kind: str  # models.MismatchKind
    dossier_code: str
    our_amount_vnd: int | None
    their_amount_vnd: int | None
    our_paid: bool | None
    their_paid: bool | None

    @property
    def kind_label(self) -> str:
        return str(MismatchKind(self.kind).label)


@dataclass(frozen=True)
class Reconciled:
    lines: list[ReconciliationLine]
    statement_rows: int  # the statement's rows about the officer's payments or unknown ones
    our_payments: int

    def count(self, kind: str) -> int:
        return sum(1 for line in self.lines if line.kind == kind)


def statement_reconciliation(
    *, method: str, day: datetime.date, statement: rules.Statement, agencies: QuerySet[Agency]
) -> Reconciled:
    """Đối soát for officers: the statement's rows about payments of ``agencies`` (and rows the
    system does not know at all) against those payments, with ``rules.reconcile``. A row about
    another agency's payment is left out, as if it were not in the file: nothing about it is
    shown."""
    references = [row.reference for row in statement.rows]
    foreign = _foreign(references, agencies)
    rows = [row for row in statement.rows if row.reference not in foreign]
    ours = statement_side(method=method, day=day, agencies=agencies, references=references)
    mismatches = rules.reconcile(ours, rows)
    theirs = {row.reference: row for row in rows}
    involved = [m.reference for m in mismatches if m.reference in ours]
    codes: dict[str, str] = {}
    for start in range(0, len(involved), _CHUNK):
        found = Payment.objects.filter(reference__in=involved[start : start + _CHUNK])
        codes.update({ref: code or "" for ref, code in found.values_list("reference", "dossier__code")})
    lines = []
    for m in mismatches:
        mine, row = ours.get(m.reference), theirs.get(m.reference)
        lines.append(
            ReconciliationLine(
                reference=m.reference,
                kind=m.kind,
                dossier_code=codes.get(m.reference, ""),
                our_amount_vnd=mine[0] if mine else None,
                their_amount_vnd=row.amount_vnd if row else None,
                our_paid=mine[1] if mine else None,
                their_paid=row.paid if row else None,
            )
        )
    return Reconciled(lines=lines, statement_rows=len(rows), our_payments=len(ours))


def recent_reconciliations(user: Any, *, limit: int = 10) -> list[Reconciliation]:
    """The last reconciliations over the user's reconciling agencies."""
    mine = Reconciliation.objects.filter(agencies__in=reconciling_agencies(user)).values("pk")
    return list(Reconciliation.objects.filter(pk__in=mine).select_related("ran_by").order_by("-ran_at", "-id")[:limit])
