import datetime

from common.formats import format_vnd, group_thousands, official_date
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
