"""The outbox's pure rules: the retry schedule, and templates filled from a payload — left-out
texts, alternatives, conditions and the per-language formats of dates, money and lists."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifications.rules import TemplateError, backoff, fill, placeholders, render, template_placeholders


def test_backoff_doubles_from_the_base_up_to_the_cap():
    waits = [backoff(n, base_seconds=60, cap_seconds=3600).total_seconds() for n in range(1, 9)]
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_backoff_stays_at_the_cap_for_very_many_attempts():
    assert backoff(10_000, base_seconds=30, cap_seconds=3600) == datetime.timedelta(hours=1)


def test_backoff_counts_attempts_from_one():
    with pytest.raises(ValueError):
        backoff(0, base_seconds=60, cap_seconds=3600)


@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=1, max_value=600))
def test_backoff_never_shrinks_and_never_passes_the_cap(attempt, base):
    cap = 6 * 3600
    wait = backoff(attempt, base_seconds=base, cap_seconds=cap)
    assert backoff(attempt + 1, base_seconds=base, cap_seconds=cap) >= wait
    assert datetime.timedelta(seconds=min(base, cap)) <= wait <= datetime.timedelta(seconds=cap)


def test_a_text_is_filled_from_the_payload_by_name():
    assert fill("Hồ sơ {code} của {name}", {"code": "A-1", "name": "Lan"}, "vi") == "Hồ sơ A-1 của Lan"


def test_a_text_with_an_empty_placeholder_is_left_out_not_printed_blank():
    assert fill("Ngày hẹn trả kết quả: {due_on:date}.", {"due_on": None}, "vi") is None
    assert fill("Ngày hẹn trả kết quả: {due_on:date}.", {}, "vi") is None
    assert fill("Lý do: {reason}", {"reason": ""}, "vi") is None
    assert fill("Thiếu: {missing:list}", {"missing": ["", " "]}, "vi") is None


def test_an_alternative_stands_in_for_a_text_that_cannot_be_filled():
    text = {"text": "Hẹn trả ngày {due_on:date}.", "else": "Cơ quan sẽ thông báo ngày hẹn trả."}
    assert fill(text, {"due_on": "2022-11-14"}, "vi") == "Hẹn trả ngày 14/11/2022."
    assert fill(text, {"due_on": None}, "vi") == "Cơ quan sẽ thông báo ngày hẹn trả."


def test_a_conditional_text_needs_its_field_to_be_true():
    text = {"if": "online", "text": "Kết quả điện tử đã vào kho dữ liệu."}
    assert fill(text, {"online": True}, "vi") == "Kết quả điện tử đã vào kho dữ liệu."
    assert fill(text, {"online": False}, "vi") is None
    assert fill(text, {}, "vi") is None


def test_dates_money_and_lists_are_written_as_the_language_writes_them():
    payload = {"day": "2022-11-14", "amount": 1_200_000, "items": ["Tờ khai", "Bản sao"]}
    assert fill("{day:date} {amount:vnd} {items:list}", payload, "vi") == "14/11/2022 1.200.000 đồng Tờ khai; Bản sao"
    assert fill("{day:date} {amount:vnd}", payload, "en") == "14 Nov 2022 1,200,000 VND"


def test_placeholders_include_conditions_and_alternatives():
    assert placeholders("{a} {b:date} {a}") == {"a", "b"}
    assert placeholders({"if": "c", "text": "{a}", "else": "{d:vnd}"}) == {"a", "c", "d"}
    template = {"subject": "{s}", "body": ["{p}", {"text": "{q}", "else": "x"}], "items": "l", "sms": ["{m}"]}
    assert template_placeholders(template) == {"s", "p", "q", "l", "m"}


def test_a_whole_message_leaves_out_what_is_empty_and_joins_the_sms_pieces():
    template = {
        "subject": "Hồ sơ {ref}",
        "body": ["Đã trả kết quả {ref}.", "Số hiệu bưu gửi: {tracking}.", {"if": "online", "text": "Xem kho dữ liệu."}],
        "items": "missing",
        "sms": ["Đã trả kết quả {ref}.", "Số hiệu bưu gửi: {tracking}."],
        "link_label": "Tra cứu",
    }
    message = render(template, {"ref": "A-1", "tracking": "", "online": True, "link": "http://x/y"}, "vi")
    assert message.subject == "Hồ sơ A-1"
    assert message.paragraphs == ["Đã trả kết quả A-1.", "Xem kho dữ liệu."]
    assert message.items == []
    assert message.sms == "Đã trả kết quả A-1."
    assert (message.link, message.link_label, message.language) == ("http://x/y", "Tra cứu", "vi")


def test_a_template_without_a_subject_cannot_give_a_message():
    with pytest.raises(TemplateError):
        render({"subject": "Hồ sơ {ref}", "body": []}, {}, "vi")
