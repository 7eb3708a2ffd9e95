"""Biên lai thu phí, lệ phí as PDF, on the slips' layout (dossiers.slips.layout): the one-stop
unit's header with the receipt number, the payer, the dossier, the fee explained line by line
(base amount, exemption and reduction with their legal basis, amount paid), how it was paid,
and the QR code to the dossier's tracking page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from common.formats import format_vnd, group_thousands
from dossiers.slips import layout
from dossiers.slips.forms import place_of
from dossiers.slips.layout import CELL, CELL_HEAD, Header, field, para, text

from .models import Payment


def _money(value: Any) -> str:
    return format_vnd(int(value or 0))


def _figure(value: Any) -> str:
    return group_thousands(int(value or 0))


HEADINGS = ("TT", "Khoản phí, lệ phí", "Mức thu (đồng)", "Được miễn (đồng)", "Được giảm (đồng)", "Số tiền nộp (đồng)")


def explanation_rows(snapshot: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            para(h, CELL_HEAD)
            for h in (
                "TT",
                "Khoản phí, lệ phí",
                "Mức thu (đồng)",
                "Được miễn (đồng)",
                "Được giảm (đồng)",
                "Số tiền nộp (đồng)",
            )
        ]
    ]
    for number, line in enumerate(snapshot.get("lines", []), start=1):
        rows.append(
            [
                para(str(number), CELL),
                para(text(line.get("description") or "Phí, lệ phí"), CELL),
                para(_figure(line.get("base_vnd")), CELL),
                para(_figure(line.get("exemption_vnd")), CELL),
                para(_figure(line.get("reduction_vnd")), CELL),
                para(_figure(line.get("total_vnd")), CELL),
            ]
        )
    rows.append(
        [
            para("", CELL),
            para("<b>Cộng</b>", CELL),
            para(_figure(snapshot.get("base_vnd")), CELL),
            para(_figure(snapshot.get("exemption_vnd")), CELL),
            para(_figure(snapshot.get("reduction_vnd")), CELL),
            para(f"<b>{_figure(snapshot.get('total_vnd'))}</b>", CELL),
        ]
    )
    return rows


def receipt_pdf(payment: Payment, *, base_url: str | None = None) -> bytes:
    """The receipt of a paid payment (``payment.receipt`` must exist)."""
    receipt = payment.receipt
    dossier = payment.dossier
    unit = dossier.receiving_unit
    issued = timezone.localtime(receipt.issued_at)
    snapshot = payment.assessment or {}
    width = layout.SLIP_PAGE.width
    story: list[Flowable] = [
        *layout.header(
            Header(
                superior=dossier.processing_agency.name,
                issuer=unit.name,
                place=place_of(unit),
                day=issued.date(),
                number=receipt.code,
            ),
            width,
        ),
        *layout.title("Biên lai thu phí, lệ phí"),
        field("Người nộp", dossier.applicant_name),
        field("Mã hồ sơ", dossier.code or f"#{dossier.pk}"),
        para(f"Thủ tục: {text(dossier.procedure_version.name)}"),
        layout.grid(
            explanation_rows(snapshot), [7 * mm, width - 7 * mm - 4 * 19 * mm, 19 * mm, 19 * mm, 19 * mm, 19 * mm]
        ),
        Spacer(1, 1.5 * mm),
    ]
    for key, label in (("exemption", "Miễn"), ("reduction", "Giảm")):
        policy = snapshot.get(key)
        if policy and any(line.get(f"{key}_vnd") for line in snapshot.get("lines", [])):
            percent = str(policy.get("percent", "")).rstrip("0").rstrip(".")
            story.append(
                para(
                    f"{label} {percent}%: {text(policy.get('title', ''))}"
                    f" — căn cứ {text(policy.get('legal_basis', ''))}"
                )
            )
    story += [
        field("Số tiền đã nộp", _money(payment.amount_vnd)),
        field("Hình thức thanh toán", payment.get_method_display()),
    ]
    if payment.gateway_number:
        story.append(field("Mã giao dịch", payment.gateway_number))
    story.append(
        field("Thời điểm thanh toán", f"{timezone.localtime(payment.paid_at or receipt.issued_at):%H:%M %d/%m/%Y}")
    )
    story.append(layout.signatures([("Người thu tiền", "(Biên lai điện tử)", unit.name)], width))
    story.append(
        layout.qr_code(
            layout.tracking_url(dossier.code, base_url), f"Tra cứu hồ sơ {dossier.code or ''}".strip(), width
        )
    )
    return layout.render(story, pdf_title="Biên lai thu phí, lệ phí", subject=receipt.code)
