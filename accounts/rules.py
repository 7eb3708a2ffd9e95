"""Validation of Vietnamese identifiers, as pure functions.

- Số định danh cá nhân (personal identification number, on the chip-based identity card): 12
  digits. The first three are the code of the province where the birth was registered (Thông tư
  07/2016/TT-BCA, amended by Thông tư 59/2021/TT-BCA); the fourth encodes century of birth and
  sex; the fifth and sixth are the last two digits of the year of birth; six random digits follow.
- Mã số thuế (tax code): 10 digits whose last is a check digit, or 13 with a 3-digit branch
  suffix (Thông tư 105/2020/TT-BTC). Each function returns the broken rules as localized messages,
  empty when the value is valid.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from common.identifiers import CENTURY_SEX, PROVINCE_CODES, birth_year_of, personal_id_problems

__all__ = [
    "CENTURY_SEX",
    "PROVINCE_CODES",
    "birth_year_of",
    "personal_id_problems",
    "tax_code_check_digit",
    "tax_code_problems",
]

TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code_check_digit(first_nine: str) -> int | None:
    """The check digit of a tax code's first nine digits, or None when no code can have them
    (the formula gives 10)."""
    remainder = sum(int(d) * w for d, w in zip(first_nine, TAX_CODE_WEIGHTS, strict=True)) % 11
    digit = 10 - remainder
    return None if digit == 10 else digit


def normalize_tax_code(value: str) -> str:
    """ "0101243150-001" and "0101243150001" are the same branch code."""
    return re.sub(r"[\s-]", "", value)


def tax_code_problems(value: str) -> list[str]:
    """What is wrong with a tax code (empty list: valid)."""
    code = normalize_tax_code(value)
    if not re.fullmatch(r"\d{10}(\d{3})?", code):
        return [_("Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với mã đơn vị phụ thuộc (ví dụ 0101243150-001).")]
    problems = []
    if tax_code_check_digit(code[:9]) != int(code[9]):
        problems.append(_("Chữ số kiểm tra (chữ số thứ 10) của mã số thuế không đúng."))
    if len(code) == 13 and code[10:] == "000":
        problems.append(_("Mã đơn vị phụ thuộc (3 chữ số cuối) phải từ 001 đến 999."))
    return problems
