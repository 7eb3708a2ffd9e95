"""Identification numbers and tax codes: each broken rule is named."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from accounts.rules import (
    PROVINCE_CODES,
    birth_year_of,
    personal_id_problems,
    tax_code_check_digit,
    tax_code_problems,
)
from common.formats import mask_identifier

provinces = st.sampled_from(sorted(PROVINCE_CODES))
birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))


def make_id(province: str, birth: datetime.date, female: bool, tail: int) -> str:
    century_digit = (birth.year // 100 - 19) * 2 + int(female)
    return f"{province}{century_digit}{birth.year % 100:02d}{tail:06d}"


@given(provinces, birth_dates, st.booleans(), st.integers(0, 999_999))
def test_a_well_formed_number_is_valid_and_encodes_the_birth_year(province, birth, female, tail):
    value = make_id(province, birth, female, tail)
    assert personal_id_problems(value, birth) == []
    assert birth_year_of(value) == birth.year


@given(provinces, birth_dates, st.booleans(), st.integers(0, 999_999), st.integers(1, 99))
def test_a_number_that_disagrees_with_the_birth_date_is_refused(province, birth, female, tail, years):
    value = make_id(province, birth, female, tail)
    day = min(birth.day, 28)  # 29 February has no twin in most years
    year = birth.year + years if birth.year + years <= 2099 else birth.year - years
    problems = personal_id_problems(value, datetime.date(year, birth.month, day))
    assert len(problems) == 1 and "năm sinh" in problems[0]


@given(st.text(max_size=20).filter(lambda s: not (len(s) == 12 and s.isascii() and s.isdigit())))
def test_anything_but_twelve_digits_is_refused(value):
    assert personal_id_problems(value) == ["Số định danh cá nhân phải gồm đúng 12 chữ số."]


def test_an_unknown_province_code_is_named():
    problems = personal_id_problems("003203000123")
    assert problems and "003" in problems[0]


def test_known_tax_codes():
    assert tax_code_problems("0100112437") == []
    assert tax_code_problems("0101243150") == []
    assert tax_code_problems("0101243150-001") == []
    assert tax_code_problems("0101243150001") == []


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_check_digit_fits_or_none(first_nine):
    digit = tax_code_check_digit(first_nine)
    valid = [d for d in range(10) if tax_code_problems(first_nine + str(d)) == []]
    assert valid == ([] if digit is None else [digit])


def test_tax_code_errors_name_the_rule():
    assert "Chữ số kiểm tra" in tax_code_problems("0100112438")[0]
    assert "13 chữ số" in tax_code_problems("12345")[0]
    assert "001 đến 999" in tax_code_problems("0100112437-000")[0]


def test_masking():
    assert mask_identifier("051203000123") == "051******123"
    assert mask_identifier("0905123567") == "090****567"
