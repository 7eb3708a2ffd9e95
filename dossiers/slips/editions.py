"""Which circular's forms a slip follows, as data with effective dates: the forms of Thông tư
01/2018/TT-VPCP until Thông tư 03/2025/TT-VPCP took their place (signed and in force on
15/9/2025, with Nghị định 118/2025/NĐ-CP). A slip follows the edition in force on the day of the
step it records, so a dossier received in 2022 prints as it did in 2022."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SlipForm:
    """One form of an edition: its number in the circular's annex ("" when the circular has no
    form for it) and its title lines."""

    number: str
    titles: tuple[str, ...]


@dataclass(frozen=True)
class Edition:
    circular: str
    effective_on: datetime.date
    forms: Mapping[str, SlipForm]


_TT_01_2018 = Edition(
    circular="Thông tư số 01/2018/TT-VPCP",
    effective_on=datetime.date(2019, 1, 8),
    forms={
        "receipt": SlipForm("Mẫu số 01", ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả",)),
        "supplement_request": SlipForm("Mẫu số 02", ("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",)),
        "refusal": SlipForm("Mẫu số 03", ("Phiếu từ chối tiếp nhận giải quyết hồ sơ",)),
        "apology": SlipForm("Mẫu số 04", ("Phiếu xin lỗi và hẹn lại ngày trả kết quả",)),
        # Thông tư 01/2018 has no form for it: the notice of Nghị định 61/2018, Điều 19.
        "stop_notice": SlipForm("", ("Thông báo", "Về việc dừng xử lý hồ sơ")),
        "control_sheet": SlipForm("Mẫu số 05", ("Phiếu kiểm soát quá trình giải quyết hồ sơ",)),
        "log_book": SlipForm("Mẫu số 06", ("Sổ theo dõi hồ sơ",)),
    },
)

_TT_03_2025 = Edition(
    circular="Thông tư số 03/2025/TT-VPCP",
    effective_on=datetime.date(2025, 9, 15),
    forms={
        "receipt": SlipForm("Mẫu số 01", ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả",)),
        "supplement_request": SlipForm("Mẫu số 02", ("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",)),
        "refusal": SlipForm("Mẫu số 03", ("Phiếu từ chối tiếp nhận giải quyết hồ sơ",)),
        "apology": SlipForm("Mẫu số 04", ("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",)),
        "stop_notice": SlipForm("Mẫu số 05", ("Thông báo dừng giải quyết hồ sơ",)),
        "control_sheet": SlipForm("Mẫu số 06", ("Phiếu kiểm soát quá trình giải quyết hồ sơ",)),
        "log_book": SlipForm("Mẫu số 07", ("Sổ theo dõi hồ sơ",)),
    },
)

# Oldest first. A day before the first edition gets the first one.
EDITIONS: tuple[Edition, ...] = (_TT_01_2018, _TT_03_2025)


def edition_on(day: datetime.date) -> Edition:
    """The edition in force on ``day``."""
    current = EDITIONS[0]
    for edition in EDITIONS:
        if edition.effective_on <= day:
            current = edition
    return current


def slip_form(kind: str, day: datetime.date) -> SlipForm:
    """The form of ``kind`` (receipt, supplement_request, …) in force on ``day``."""
    return edition_on(day).forms[kind]
