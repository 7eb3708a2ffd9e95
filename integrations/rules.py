"""Pure rules of the integrations: the national portal's status codes, dates
and dossier-sync message (Cổng Dịch vụ công quốc gia, đồng bộ hồ sơ). No I/O here."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from dossiers.rules import NATIONAL_STATUS, Channel, State

PORTAL_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# The portal writes every date as yyyyMMddHHmmss in Vietnam's time.
PORTAL_DATETIME_FORMAT = "%Y%m%d%H%M%S"
# A due date (ngày hẹn trả) is a day; the portal wants a moment: the end of that working day.
DUE_DAY_ENDS_AT = datetime.time(17, 0)

# KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 qua bưu chính công ích.
PORTAL_CHANNEL = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}


def national_status(state: str) -> int:
    """TrangThaiHoSo (1–10) of a dossier in ``state``; a draft is not known to the portal."""
    code = NATIONAL_STATUS[State(state)]
    if code is None:
        raise ValueError(f"A dossier in state {state!r} is not synchronised with the national portal.")
    return code


def portal_datetime(moment: datetime.datetime | None) -> str:
    """yyyyMMddHHmmss in Vietnam's time; empty when there is no such moment yet."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        raise ValueError("portal dates are written from aware datetimes")
    return moment.astimezone(PORTAL_TIMEZONE).strftime(PORTAL_DATETIME_FORMAT)


def portal_due(day: datetime.date | None) -> str:
    if day is None:
        return ""
    return portal_datetime(datetime.datetime.combine(day, DUE_DAY_ENDS_AT, tzinfo=PORTAL_TIMEZONE))


@dataclass(frozen=True)
class SubmittedDocument:
    """Thành phần hồ sơ đã nộp (TaiLieuNop)."""

    required_document_id: int
    name: str
    file_id: str = ""
    file_name: str = ""
    url: str = ""


@dataclass(frozen=True)
class Fee:
    """Phí, lệ phí (DanhSachLePhi); ``kind``: 1 phí, 2 lệ phí."""

    name: str
    amount_vnd: int
    code: str = ""
    kind: int = 1
    paid_online: bool = False


@dataclass(frozen=True)
class SupplementRequest:
    """Một lần yêu cầu bổ sung (DanhSachHoSoBoSung)."""

    id: int
    requested_by: str
    content: str
    requested_at: datetime.datetime
    supplemented_at: datetime.datetime | None = None


@dataclass(frozen=True)
class ResultPaper:
    """Giấy tờ kết quả (DanhSachGiayToKetQua)."""

    id: str
    name: str
    url: str = ""


@dataclass(frozen=True)
class DossierSnapshot:
    """What the portal is told about a dossier, read at one transition."""

    code: str
    procedure_code: str
    state: str
    channel: str
    agency_name: str
    received_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    due_on: datetime.date | None
    finished_at: datetime.datetime | None
    documents: Sequence[SubmittedDocument] = ()
    fees: Sequence[Fee] = ()
    supplements: Sequence[SupplementRequest] = ()
    results: Sequence[ResultPaper] = field(default_factory=tuple)


# The fields a sync message freezes at its transition; the rest of the record (the lists, the
# procedure and the agency) is read when the message is sent (``sync_record_at_delivery``).
FROZEN_FIELDS = ("MaHoSo", "KenhThucHien", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "TrangThaiHoSo")


def sync_status(
    *,
    code: str,
    channel: str,
    state: str,
    received_at: datetime.datetime | None,
    submitted_at: datetime.datetime | None,
    due_on: datetime.date | None,
    finished_at: datetime.datetime | None,
) -> dict[str, Any]:
    """The part of the portal's record that a transition decides: the code, the channel, the
    status and its dates. Written with the transition (no reads), so that a message sent late
    still tells the portal what happened at that step."""
    return {
        "MaHoSo": code,
        "KenhThucHien": PORTAL_CHANNEL.get(Channel(channel), 1),
        # An online dossier not received yet is known from its submission (TrangThaiHoSo 1).
        "NgayTiepNhan": portal_datetime(received_at or submitted_at),
        "NgayHenTra": portal_due(due_on),
        "NgayKetThucXuLy": portal_datetime(finished_at),
        "TrangThaiHoSo": str(national_status(state)),
    }


def sync_record_at_delivery(frozen: dict[str, Any], current: DossierSnapshot) -> dict[str, Any]:
    """The record sent for a message: its frozen status fields over the dossier as it is now
    (files, fees, supplements and results only grow, so the newest lists are the right ones)."""
    record = sync_record(current)
    record.update({key: frozen[key] for key in FROZEN_FIELDS if key in frozen})
    return record


def sync_record(snapshot: DossierSnapshot) -> dict[str, Any]:
    """One dossier as the portal's dossier sync (DongBoHoSoMC) carries it. No applicant's
    identification or phone number: the portal identifies the dossier by its code."""
    return {
        **sync_status(
            code=snapshot.code,
            channel=snapshot.channel,
            state=snapshot.state,
            received_at=snapshot.received_at,
            submitted_at=snapshot.submitted_at,
            due_on=snapshot.due_on,
            finished_at=snapshot.finished_at,
        ),
        "MaTTHC": snapshot.procedure_code,
        "DonViXuLy": snapshot.agency_name,
        "TaiLieuNop": [
            {
                "TepDinhKemId": d.file_id,
                "TenTepDinhKem": d.file_name or d.name,
                "IsDeleted": False,
                "MaThanhPhanHoSo": str(d.required_document_id),
                "DuongDanTaiTepTin": d.url,
            }
            for d in snapshot.documents
        ],
        "DanhSachLePhi": [
            {
                "TenPhiLePhi": f.name,
                "MaPhiLePhi": f.code,
                # HinhThucThu: 1 trực tiếp, 2 trực tuyến.
                "HinhThucThu": 2 if f.paid_online else 1,
                "Gia": f.amount_vnd,
                "LoaiPhiLePhi": f.kind,
            }
            for f in snapshot.fees
        ],
        "DanhSachHoSoBoSung": [
            {
                "HoSoBoSungId": str(s.id),
                "NguoiYeuCauBoSung": s.requested_by,
                "NoiDungBoSung": s.content,
                "NgayBoSung": portal_datetime(s.requested_at),
                "NgayTiepNhanBoSung": portal_datetime(s.supplemented_at),
                # TrangThaiBoSung: 0 chờ bổ sung, 1 đã bổ sung.
                "TrangThaiBoSung": 1 if s.supplemented_at is not None else 0,
            }
            for s in snapshot.supplements
        ],
        "DanhSachGiayToKetQua": [
            {"GiayToId": r.id, "TenGiayTo": r.name, "DuongDanTepTinKetQua": r.url} for r in snapshot.results
        ],
    }


def sync_request(records: Sequence[dict[str, Any]], *, updating: bool) -> dict[str, Any]:
    """The body POSTed to the portal: the service name and the records; ``isUpdating`` says
    whether the portal already knows the dossier."""
    return {"service": "DongBoHoSoMC", "isUpdating": "true" if updating else "false", "data": list(records)}
