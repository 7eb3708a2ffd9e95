"""Số định danh cá nhân (personal identification number, on the chip-based identity card), as
pure functions shared by the accounts (e-ID sign-in) and the declaration forms (catalog): 12
digits. The first three are the code of the province where the birth was registered (Thông tư
07/2016/TT-BCA, amended by Thông tư 59/2021/TT-BCA); the fourth encodes century of birth and
sex; the fifth and sixth are the last two digits of the year of birth; six random digits follow.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh",
    "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

# Fourth digit: (first year of the century, sex) — even digits male, odd female.
CENTURY_SEX: dict[str, tuple[int, str]] = {
    "0": (1900, "male"), "1": (1900, "female"), "2": (2000, "male"), "3": (2000, "female"),
    "4": (2100, "male"), "5": (2100, "female"), "6": (2200, "male"), "7": (2200, "female"),
    "8": (1800, "male"), "9": (1800, "female"),
}  # fmt: skip


def personal_id_problems(value: str, birth_date: datetime.date | None = None) -> list[str]:
    """What is wrong with a personal identification number (empty list: valid)."""
    if not re.fullmatch(r"\d{12}", value):
        return [_("Số định danh cá nhân phải gồm đúng 12 chữ số.")]
    problems = []
    if value[:3] not in PROVINCE_CODES:
        problems.append(
            _("Ba chữ số đầu (%(code)s) không phải mã tỉnh, thành phố nơi đăng ký khai sinh.") % {"code": value[:3]}
        )
    if birth_date is not None:
        century, _sex = CENTURY_SEX[value[3]]
        if century + int(value[4:6]) != birth_date.year:
            problems.append(
                _("Chữ số thứ 4 đến thứ 6 (%(digits)s) không khớp với năm sinh %(year)d.")
                % {"digits": value[3:6], "year": birth_date.year}
            )
    return problems


def birth_year_of(value: str) -> int:
    """The year of birth that a valid personal identification number encodes."""
    century, _sex = CENTURY_SEX[value[3]]
    return century + int(value[4:6])


def sex_of(value: str) -> str:
    """``male`` or ``female``, as a valid personal identification number encodes it."""
    return CENTURY_SEX[value[3]][1]
