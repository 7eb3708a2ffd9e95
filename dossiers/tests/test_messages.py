"""What the citizen reads at each step (``dossiers/message_templates``), in Vietnamese or their
language, filled from the payload a transition writes."""

from __future__ import annotations

import datetime

import pytest

from dossiers.rules import TRANSITIONS
from dossiers.services.notifications import notice_payload, tracking_link
from notifications.messages import compose, templates

CODE = "000.00.01.H41-221107-0001"


def payload(language="vi", code=CODE, due_on=datetime.date(2022, 11, 14), **extra):
    return notice_payload(
        dossier_id=1,
        code=code,
        procedure="Đăng ký khai sinh",
        state="received",
        national_status=2,
        due_on=due_on,
        link=tracking_link(code, language),
        extra=extra,
    )


DOSSIER_KEYS = sorted(key for key in templates("vi") if key.startswith("dossier."))


def test_every_citizen_facing_step_has_a_message():
    notifying = {f"dossier.{action.value}" for action, t in TRANSITIONS.items() if t.notifies}
    assert notifying <= set(DOSSIER_KEYS)


@pytest.mark.parametrize("key", DOSSIER_KEYS)
def test_every_message_names_the_dossier_and_links_to_tracking(key):
    message = compose(
        key, payload(reason="x", missing=["y"], reasons=["z"], amount_vnd=1, new_due_on="2022-11-21"), "vi"
    )
    assert message.subject and message.paragraphs and message.sms
    assert message.link == "http://127.0.0.1:8000/tra-cuu-ho-so/?ma=000.00.01.H41-221107-0001"
    assert message.link_label == "Tra cứu hồ sơ trên Cổng Dịch vụ công"
    assert CODE in message.subject + " ".join(message.paragraphs)


def test_reception_gives_the_code_and_due_date():
    message = compose("dossier.receive", payload(), "vi")
    assert message.subject == "Hồ sơ 000.00.01.H41-221107-0001 đã được tiếp nhận"
    assert "Ngày hẹn trả kết quả: 14/11/2022." in message.paragraphs
    assert message.sms == "Hồ sơ 000.00.01.H41-221107-0001 đã được tiếp nhận. Hẹn trả kết quả ngày 14/11/2022."


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans", "ko", "ja"])
def test_a_reception_without_due_date_never_prints_a_blank_date(language):
    with_date = compose("dossier.receive", payload(language), language)
    without = compose("dossier.receive", payload(language, due_on=None), language)
    assert len(without.paragraphs) == len(with_date.paragraphs)
    assert without.paragraphs[-1] != with_date.paragraphs[-1] and without.sms != with_date.sms
    assert "2022" not in " ".join(without.paragraphs) + without.sms
    assert CODE in without.sms
    if language == "vi":
        assert without.paragraphs[-1] == "Cơ quan giải quyết sẽ thông báo ngày hẹn trả kết quả."
        assert without.sms == "Hồ sơ 000.00.01.H41-221107-0001 đã được tiếp nhận."


def test_a_supplement_request_lists_everything_missing():
    missing = ["Bản sao giấy chứng sinh", "Tờ khai có chữ ký của người đi đăng ký"]
    message = compose("dossier.request_supplement", payload(missing=missing), "vi")
    assert message.items == missing
    assert "Bản sao giấy chứng sinh; Tờ khai có chữ ký" in message.sms


def test_a_payment_request_gives_the_amount_in_vietnamese_format():
    message = compose("dossier.request_payment", payload(amount_vnd=1_200_000), "vi")
    assert "1.200.000 đồng" in " ".join(message.paragraphs) and "1.200.000 đồng" in message.sms


def test_an_extension_apologises_with_the_new_date():
    message = compose(
        "dossier.extend", payload(new_due_on="2022-11-21", apology="Cần xác minh thêm với cơ quan khác."), "vi"
    )
    text = " ".join(message.paragraphs)
    assert "Chúng tôi xin lỗi" in text and "Cần xác minh thêm với cơ quan khác." in text and "21/11/2022" in text


def test_refusal_and_stop_give_their_reasons():
    refused = compose("dossier.refuse", payload(reasons=["Không đủ điều kiện"]), "vi")
    assert refused.items == ["Không đủ điều kiện"]
    stopped = compose("dossier.stop", payload(reason="Người nộp đề nghị dừng"), "vi")
    assert "Lý do: Người nộp đề nghị dừng" in stopped.paragraphs


def test_a_result_sent_by_post_gives_the_tracking_number():
    message = compose("dossier.return_result", payload(method="post", tracking_number="EB123456789VN"), "vi")
    assert "EB123456789VN" in " ".join(message.paragraphs)
    assert "kho dữ liệu" not in " ".join(message.paragraphs)


def test_an_electronic_result_points_to_the_data_store():
    message = compose("dossier.return_result", payload(method="online", tracking_number=""), "vi")
    assert message.paragraphs[-1].endswith("trong kho dữ liệu của ông/bà trên Cổng Dịch vụ công.")
    assert message.sms == " ".join(message.paragraphs)


def test_a_dossier_without_code_yet_is_named_by_its_procedure():
    message = compose("dossier.submit", payload(code="", due_on=None), "vi")
    assert "Đăng ký khai sinh" in " ".join(message.paragraphs) + message.sms
    assert message.link == "http://127.0.0.1:8000/tra-cuu-ho-so/"


def test_other_languages_use_their_formats_and_address():
    message = compose("dossier.request_payment", payload("en", amount_vnd=1_200_000), "en")
    assert message.language == "en"
    assert "1,200,000 VND" in message.sms
    assert message.link.startswith("http://127.0.0.1:8000/en/tra-cuu-ho-so/")


def test_an_unknown_language_falls_back_to_vietnamese():
    assert compose("dossier.receive", payload(), "fr").language == "vi"


def test_an_unknown_template_is_an_error():
    with pytest.raises(KeyError):
        compose("dossier.nothing", payload(), "vi")
