"""The national status codes and the shape of the portal's dossier sync."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from dossiers.rules import State
from integrations import rules
from integrations.rules import DossierSnapshot, Fee, SubmittedDocument, SupplementRequest, sync_record, sync_request

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("state", "code"),
    [
        (State.SUBMITTED, 1),
        (State.RECEIVED, 2),
        (State.NOT_RECEIVED, 3),
        (State.IN_PROGRESS, 4),
        (State.SUPPLEMENT_REQUESTED, 5),
        (State.AWAITING_PAYMENT, 6),
        (State.WITHDRAWN, 7),
        (State.STOPPED, 8),
        (State.DONE, 9),
        (State.RETURNED, 10),
    ],
)
def test_each_state_has_its_national_status_code(state, code):
    assert rules.national_status(state) == code


def test_a_draft_is_not_known_to_the_portal():
    with pytest.raises(ValueError):
        rules.national_status(State.DRAFT)


def test_portal_dates_are_vietnam_time_without_separators():
    moment = datetime.datetime(2022, 11, 7, 1, 30, 5, tzinfo=datetime.UTC)
    assert rules.portal_datetime(moment) == "20221107083005"
    assert rules.portal_datetime(None) == ""


def test_a_due_date_is_the_end_of_that_working_day():
    assert rules.portal_due(datetime.date(2022, 11, 14)) == "20221114170000"
    assert rules.portal_due(None) == ""


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        rules.portal_datetime(datetime.datetime(2022, 11, 7, 8, 0))


def snapshot(**changes):
    base = {
        "code": "000.00.01.H41-221107-0001",
        "procedure_code": "1.001193",
        "state": State.SUPPLEMENT_REQUESTED,
        "channel": "online",
        "agency_name": "Ủy ban nhân dân phường Nha Trang",
        "received_at": datetime.datetime(2022, 11, 7, 9, 15, tzinfo=TZ),
        "submitted_at": datetime.datetime(2022, 11, 6, 20, 0, tzinfo=TZ),
        "due_on": datetime.date(2022, 11, 14),
        "finished_at": None,
        "documents": [SubmittedDocument(required_document_id=31, name="Tờ khai đăng ký khai sinh")],
        "fees": [Fee(name="Lệ phí", amount_vnd=50_000)],
        "supplements": [
            SupplementRequest(
                id=5,
                requested_by="Nguyễn Văn Chuyên",
                content="Bản sao giấy chứng sinh; Tờ khai có chữ ký",
                requested_at=datetime.datetime(2022, 11, 8, 10, 0, tzinfo=TZ),
            )
        ],
    }
    return DossierSnapshot(**{**base, **changes})


def test_the_sync_record_has_the_portal_s_fields():
    record = sync_record(snapshot())
    assert record == {
        "MaHoSo": "000.00.01.H41-221107-0001",
        "MaTTHC": "1.001193",
        "KenhThucHien": 2,
        "NgayTiepNhan": "20221107091500",
        "NgayHenTra": "20221114170000",
        "NgayKetThucXuLy": "",
        "TrangThaiHoSo": "5",
        "DonViXuLy": "Ủy ban nhân dân phường Nha Trang",
        "TaiLieuNop": [
            {
                "TepDinhKemId": "",
                "TenTepDinhKem": "Tờ khai đăng ký khai sinh",
                "IsDeleted": False,
                "MaThanhPhanHoSo": "31",
                "DuongDanTaiTepTin": "",
            }
        ],
        "DanhSachLePhi": [
            {"TenPhiLePhi": "Lệ phí", "MaPhiLePhi": "", "HinhThucThu": 1, "Gia": 50000, "LoaiPhiLePhi": 1}
        ],
        "DanhSachHoSoBoSung": [
            {
                "HoSoBoSungId": "5",
                "NguoiYeuCauBoSung": "Nguyễn Văn Chuyên",
                "NoiDungBoSung": "Bản sao giấy chứng sinh; Tờ khai có chữ ký",
                "NgayBoSung": "20221108100000",
                "NgayTiepNhanBoSung": "",
                "TrangThaiBoSung": 0,
            }
        ],
        "DanhSachGiayToKetQua": [],
    }


def test_a_dossier_not_received_yet_is_dated_by_its_submission():
    record = sync_record(snapshot(state=State.SUBMITTED, received_at=None, due_on=None))
    assert (record["NgayTiepNhan"], record["NgayHenTra"], record["TrangThaiHoSo"]) == ("20221106200000", "", "1")


def test_a_finished_dossier_carries_its_end():
    record = sync_record(snapshot(state=State.DONE, finished_at=datetime.datetime(2022, 11, 11, 16, 0, tzinfo=TZ)))
    assert (record["NgayKetThucXuLy"], record["TrangThaiHoSo"]) == ("20221111160000", "9")


def test_the_request_names_the_service_and_whether_it_updates():
    assert sync_request([{"MaHoSo": "X"}], updating=False) == {
        "service": "DongBoHoSoMC",
        "isUpdating": "false",
        "data": [{"MaHoSo": "X"}],
    }
    assert sync_request([], updating=True)["isUpdating"] == "true"


def test_a_message_sent_late_keeps_the_status_of_its_transition_and_the_newest_lists():
    at_reception = snapshot(state=State.RECEIVED, finished_at=None)
    frozen = rules.sync_status(
        code=at_reception.code,
        channel=at_reception.channel,
        state=at_reception.state,
        received_at=at_reception.received_at,
        submitted_at=at_reception.submitted_at,
        due_on=at_reception.due_on,
        finished_at=at_reception.finished_at,
    )
    assert set(frozen) == set(rules.FROZEN_FIELDS)
    # By the time the worker sends it, the dossier is finished and has a result.
    now = snapshot(
        state=State.DONE,
        finished_at=datetime.datetime(2022, 11, 11, 16, 0, tzinfo=TZ),
        results=[rules.ResultPaper(id="X-KQ1", name="Giấy khai sinh")],
    )
    record = rules.sync_record_at_delivery(frozen, now)
    assert (record["TrangThaiHoSo"], record["NgayKetThucXuLy"]) == ("2", "")
    assert record["DanhSachGiayToKetQua"] == [
        {"GiayToId": "X-KQ1", "TenGiayTo": "Giấy khai sinh", "DuongDanTepTinKetQua": ""}
    ]
    assert list(record) == list(sync_record(now))
