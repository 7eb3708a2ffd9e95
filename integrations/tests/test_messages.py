"""What the citizen reads at each step, in Vietnamese or their language."""

from __future__ import annotations

import pytest

from dossiers.rules import TRANSITIONS
from integrations.messages import COMPOSERS, compose

PAYLOAD = {"code": "000.00.01.H41-221107-0001", "procedure": "Đăng ký khai sinh", "due_on": "2022-11-14"}


def test_every_citizen_facing_step_has_a_message():
    notifying = {f"dossier.{action.value}" for action, t in TRANSITIONS.items() if t.notifies}
    assert notifying == set(COMPOSERS)


@pytest.mark.parametrize("key", sorted(COMPOSERS))
def test_every_message_names_the_dossier_and_links_to_tracking(key):
    message = compose(key, {**PAYLOAD, "reason": "x", "missing": ["y"], "reasons": ["z"], "amount_vnd": 1}, "vi")
    assert message.subject and message.paragraphs and message.sms
    assert message.link == "http://127.0.0.1:8000/tra-cuu-ho-so/?ma=000.00.01.H41-221107-0001"
    assert "000.00.01.H41-221107-0001" in message.subject + " ".join(message.paragraphs)


def test_reception_gives_the_code_and_due_date():
    message = compose("dossier.receive", PAYLOAD, "vi")
    assert message.subject == "Hồ sơ 000.00.01.H41-221107-0001 đã được tiếp nhận"
    assert "Ngày hẹn trả kết quả: 14/11/2022." in message.paragraphs
    assert message.sms == "Hồ sơ 000.00.01.H41-221107-0001 đã được tiếp nhận. Hẹn trả kết quả ngày 14/11/2022."


def test_a_supplement_request_lists_everything_missing():
    missing = ["Bản sao giấy chứng sinh", "Tờ khai có chữ ký của người đi đăng ký"]
    message = compose("dossier.request_supplement", {**PAYLOAD, "missing": missing}, "vi")
    assert message.items == missing
    assert "Bản sao giấy chứng sinh; Tờ khai có chữ ký" in message.sms


def test_a_payment_request_gives_the_amount_in_vietnamese_format():
    message = compose("dossier.request_payment", {**PAYLOAD, "amount_vnd": 1_200_000}, "vi")
    assert "1.200.000 đồng" in " ".join(message.paragraphs) and "1.200.000 đồng" in message.sms


def test_an_extension_apologises_with_the_new_date():
    payload = {**PAYLOAD, "new_due_on": "2022-11-21", "apology": "Cần xác minh thêm với cơ quan khác."}
    message = compose("dossier.extend", payload, "vi")
    text = " ".join(message.paragraphs)
    assert "Chúng tôi xin lỗi" in text and "Cần xác minh thêm với cơ quan khác." in text and "21/11/2022" in text


def test_refusal_and_stop_give_their_reasons():
    refused = compose("dossier.refuse", {**PAYLOAD, "reasons": ["Không đủ điều kiện"]}, "vi")
    assert refused.items == ["Không đủ điều kiện"]
    stopped = compose("dossier.stop", {**PAYLOAD, "reason": "Người nộp đề nghị dừng"}, "vi")
    assert "Lý do: Người nộp đề nghị dừng" in stopped.paragraphs


def test_a_result_sent_by_post_gives_the_tracking_number():
    message = compose("dossier.return_result", {**PAYLOAD, "method": "post", "tracking_number": "EB123456789VN"}, "vi")
    assert "EB123456789VN" in " ".join(message.paragraphs)


def test_a_dossier_without_code_yet_is_named_by_its_procedure():
    message = compose("dossier.submit", {"code": None, "procedure": "Đăng ký khai sinh"}, "vi")
    assert "Đăng ký khai sinh" in " ".join(message.paragraphs) + message.sms
    assert message.link == "http://127.0.0.1:8000/tra-cuu-ho-so/"


def test_other_languages_use_their_formats_and_address():
    message = compose("dossier.request_payment", {**PAYLOAD, "amount_vnd": 1_200_000}, "en")
    assert message.language == "en"
    assert "1,200,000 VND" in message.sms
    assert message.link.startswith("http://127.0.0.1:8000/en/tra-cuu-ho-so/")


def test_an_unknown_language_falls_back_to_vietnamese():
    assert compose("dossier.receive", PAYLOAD, "fr").language == "vi"


def test_an_unknown_template_is_an_error():
    with pytest.raises(KeyError):
        compose("dossier.nothing", PAYLOAD, "vi")
