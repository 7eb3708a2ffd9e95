import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common import formats
from common.formats import date_in_words, format_vnd, group_thousands, number_in_words, official_date
from common.logging import redact


def test_vietnamese_numbers_group_with_dots():
    assert group_thousands(37448) == "37.448"
    assert group_thousands(18_000_000_000) == "18.000.000.000"
    assert group_thousands(0) == "0"
    assert group_thousands(-1500) == "-1.500"


def test_money():
    assert format_vnd(50000) == "50.000 đồng"
    assert format_vnd(50000, "en") == "50,000 VND"


def test_official_dates_follow_decree_30_2020():
    assert official_date(datetime.date(2022, 11, 7)) == "ngày 07 tháng 11 năm 2022"
    assert official_date(datetime.date(2025, 2, 15)) == "ngày 15 tháng 02 năm 2025"
    assert official_date(datetime.date(2025, 7, 1)) == "ngày 01 tháng 7 năm 2025"


def test_logs_carry_no_identification_or_phone_numbers():
    line = redact("citizen 051203000123 phone 0912345678 mail an@example.vn")
    assert "051203000123" not in line and "0912345678" not in line and "an@example.vn" not in line
    assert "051******123" in line


@pytest.mark.parametrize(
    ("share", "expected"),
    [(0.5, "50%"), (0.4567, "45,7%"), (1, "100%"), (0, "0%"), (0.12345, "12,3%"), (0.999, "99,9%")],
)
def test_percent_the_vietnamese_way(share, expected):
    assert formats.percent(share) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (18_427_000_000, "đồng", "hơn 18 tỷ đồng"),
        (18_950_000_000, "đồng", "gần 19 tỷ đồng"),
        (18_000_000_000, "đồng", "18 tỷ đồng"),
        (1_250_400_000_000, "đồng", "hơn 1.250 tỷ đồng"),
        (350_500_000, "đồng", "hơn 350 triệu đồng"),
        (25_000, "đồng", "25.000 đồng"),
        (11_950, "", "gần 12.000"),
        (37_448, "", "hơn 37.000"),
        (2_000, "", "2.000"),
        (82, "", "82"),
        (11_950, "lượt", "gần 12.000 lượt"),
    ],
)
def test_approximately_as_a_report_says_it(value, unit, expected):
    assert formats.approximately(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (105, "một trăm linh năm"),
        (115, "một trăm mười lăm"),
        (1005, "một nghìn không trăm linh năm"),
        (1995, "một nghìn chín trăm chín mươi lăm"),
        (2024, "hai nghìn không trăm hai mươi tư"),
        (301_000, "ba trăm linh một nghìn"),
        (18_427_000_000, "mười tám tỷ bốn trăm hai mươi bảy triệu"),
    ],
)
def test_numbers_are_written_in_vietnamese_words(value, words):
    assert number_in_words(value) == words


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_every_number_has_words_without_stray_spaces_and_within_the_vocabulary(value):
    words = number_in_words(value).split(" ")
    assert all(words)
    vocabulary = {"không", "một", "mốt", "hai", "ba", "bốn", "tư", "năm", "lăm", "sáu", "bảy", "tám", "chín"}
    vocabulary |= {"mười", "mươi", "trăm", "linh", "nghìn", "triệu", "tỷ"}
    assert set(words) <= vocabulary


def test_a_birth_date_is_written_in_words_as_on_a_birth_certificate():
    assert date_in_words(datetime.date(2024, 11, 7)) == "Ngày bảy, tháng mười một, năm hai nghìn không trăm hai mươi tư"
