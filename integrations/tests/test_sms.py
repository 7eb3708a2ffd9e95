"""SMS segments: 160 GSM characters or 70 UCS-2 in one, 153 and 67 per part when concatenated;
Vietnamese folded to GSM where configured; the HTTP gateway backend against a local server
speaking the gateway's protocol."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations import sms
from integrations.sms import ConsoleSmsBackend, HttpSmsBackend, SmsError, prepare, split


def test_160_gsm_characters_fit_one_segment():
    result = split("a" * 160)
    assert (result.encoding, len(result.segments)) == ("gsm", 1)


def test_161_gsm_characters_make_two_parts_of_153_and_8():
    result = split("a" * 161)
    assert [len(s) for s in result.segments] == [153, 8]


def test_extension_characters_count_twice_and_are_never_cut():
    result = split("€" * 80)  # 160 septets: one segment
    assert len(result.segments) == 1
    result = split("a" + "€" * 80)  # 161 septets
    assert [len(s) for s in result.segments] == [77, 4]  # 1 + 76×2 = 153 septets, then 4 euros
    assert "".join(result.segments) == "a" + "€" * 80


def test_vietnamese_with_diacritics_needs_ucs2():
    text = "Hồ sơ đã được tiếp nhận"
    assert split(text).encoding == "ucs2"
    assert len(split("ồ" * 70).segments) == 1
    assert [len(s) for s in split("ồ" * 71).segments] == [67, 4]


def test_gsm_variant_strips_vietnamese_diacritics():
    result = prepare("Hồ sơ đã được tiếp nhận. Hẹn trả ngày 14/11/2022.", ascii_only=True, max_segments=1)
    assert result.text == "Ho so da duoc tiep nhan. Hen tra ngay 14/11/2022."
    assert result.encoding == "gsm"


def test_characters_outside_gsm_become_question_marks_in_the_gsm_variant():
    assert sms.to_gsm("“Kết quả” – 結果") == '"Ket qua" - ??'


def test_a_message_in_another_script_is_sent_as_ucs2_not_as_question_marks():
    korean = prepare("서류 BPMC.006-251103-0001 접수되었습니다.", ascii_only=True, max_segments=2)
    assert korean.encoding == "ucs2" and "?" not in korean.text and "접수" in korean.text
    assert prepare("Hồ sơ có gì?", ascii_only=True, max_segments=1).text == "Ho so co gi?"


def test_a_long_message_is_shortened_to_the_allowed_segments():
    text = " ".join(["Bản sao giấy khai sinh"] * 30)
    gsm = prepare(text, ascii_only=True, max_segments=2)
    assert len(gsm.segments) == 2 and gsm.text.endswith("...")
    ucs2 = prepare(text, ascii_only=False, max_segments=1)
    assert len(ucs2.segments) == 1 and ucs2.text.endswith("…") and len(ucs2.text) <= 70


def test_numbers_are_masked_for_consoles_and_international_for_gateways():
    assert sms.masked("0905123456") == "***456"
    assert sms.international("0905 123 456") == "84905123456"
    assert sms.international("+84905123456") == "84905123456"


def test_the_console_backend_never_prints_the_whole_number():
    backend = ConsoleSmsBackend()
    backend.stream = io.StringIO()
    backend.send(to="0905123456", sms=split("Ho so da duoc tiep nhan"))
    printed = backend.stream.getvalue()
    assert "***456" in printed and "0905123456" not in printed and "Ho so da duoc tiep nhan" in printed


class Gateway(BaseHTTPRequestHandler):
    """A brand-name gateway: takes a JSON message with the right key, refuses others."""

    received: list[dict] = []
    answer_status = 200

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.headers.get("Authorization") != "Bearer khoa-bi-mat":
            self._reply(401, {"code": 401})
            return
        if self.answer_status != 200:
            self._reply(self.answer_status, {"code": 99})
            return
        Gateway.received.append(body)
        self._reply(200, {"code": 0, "message_id": f"m{len(Gateway.received)}"})

    def _reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    Gateway.received = []
    Gateway.answer_status = 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sms"
    server.shutdown()
    server.server_close()


def test_the_http_backend_posts_to_the_gateway(gateway):
    backend = HttpSmsBackend(url=gateway, api_key="khoa-bi-mat", brandname="DVC KHANHHOA", timeout=5)
    message_id = backend.send(to="0905123456", sms=prepare("Hồ sơ đã được tiếp nhận", ascii_only=False, max_segments=2))
    assert message_id == "m1"
    assert Gateway.received == [
        {"brandname": "DVC KHANHHOA", "phone": "84905123456", "message": "Hồ sơ đã được tiếp nhận", "unicode": 1}
    ]


def test_a_refusal_or_a_wrong_key_is_an_error_without_the_number(gateway):
    with pytest.raises(SmsError) as refused:
        HttpSmsBackend(url=gateway, api_key="sai", timeout=5).send(to="0905123456", sms=split("x"))
    assert "401" in str(refused.value) and "0905123456" not in str(refused.value)
    Gateway.answer_status = 503
    with pytest.raises(SmsError, match="503"):
        HttpSmsBackend(url=gateway, api_key="khoa-bi-mat", timeout=5).send(to="0905123456", sms=split("x"))


def test_an_unreachable_gateway_is_an_error():
    with pytest.raises(SmsError, match="unreachable"):
        HttpSmsBackend(url="http://127.0.0.1:9/sms", api_key="k", timeout=2).send(to="0905123456", sms=split("x"))
