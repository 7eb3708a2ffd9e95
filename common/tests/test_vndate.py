"""The ``vndate`` filter writes a day the Vietnamese way, from a date, an ISO day kept in JSON, or
a moment (its day in Vietnam, not UTC's)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.utils import translation

from common.templatetags.vn import vndate


def test_a_day_an_iso_day_and_a_moment_are_written_in_vietnamese():
    with translation.override("vi"):
        assert vndate(datetime.date(2026, 12, 8)) == "ngày 08 tháng 12 năm 2026"
        assert vndate("2026-12-08") == "ngày 08 tháng 12 năm 2026"
        # 22:40 UTC on 7 December is 05:40 on 8 December in Vietnam.
        assert vndate(datetime.datetime(2026, 12, 7, 22, 40, tzinfo=datetime.UTC)) == "ngày 08 tháng 12 năm 2026"
        here = datetime.datetime(2026, 12, 8, 5, 40, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        assert vndate(here) == "ngày 08 tháng 12 năm 2026"
        assert vndate(None) == "" and vndate("") == "" and vndate("không phải ngày") == "không phải ngày"


def test_each_language_writes_a_day_its_own_way() -> None:
    day = datetime.date(2022, 11, 7)
    written = {}
    for lang in ("en", "zh-hans", "ko", "ja"):
        with translation.override(lang):
            written[lang] = vndate(day)
    assert written == {"en": "7 Nov 2022", "zh-hans": "2022年11月7日", "ko": "2022년 11월 7일", "ja": "2022年11月7日"}
