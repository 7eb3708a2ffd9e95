"""SMS to citizens through a backend interface (``MOTCUA_SMS_BACKEND``): the console by default,
an in-memory outbox for tests, and an HTTP brand-name gateway (SMS Brandname) for production.

A segment holds 160 characters of the GSM 7-bit alphabet or 70 of UCS-2; a longer message is
sent as concatenated segments of 153 and 67 (the rest of each is the concatenation header).
Vietnamese with its diacritics needs UCS-2; gateways are often configured to send it without
(``MOTCUA_SMS_ASCII``), which fits more than twice as much in a segment and reads on every phone.
Phone numbers never reach a log: backends mask them (``masked``)."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TextIO

import requests
from django.conf import settings
from django.utils.module_loading import import_string

from common.text import normalize, strip_diacritics
from notifications.rules import Message

# GSM 03.38: the basic alphabet (one septet each) and its extension table (escape + one septet).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€")
GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67
# Typographic marks that have a plain GSM equivalent.
_PLAIN = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "\u00a0": " "})


class SmsError(Exception):
    """The gateway did not take the message; the text says why, without the phone number."""


def is_gsm(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def _gsm_units(ch: str) -> int:
    return 2 if ch in GSM_EXTENDED else 1


def _ucs2_units(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1  # a surrogate pair


@dataclass(frozen=True)
class Sms:
    """A message ready to send: its text, its encoding and its segments."""

    text: str
    encoding: str  # "gsm" or "ucs2"
    segments: tuple[str, ...]


def to_gsm(text: str) -> str:
    """Vietnamese without diacritics, every other character outside GSM replaced by "?"."""
    plain = strip_diacritics(normalize(text).translate(_PLAIN))
    return "".join(ch if ch in GSM_BASIC or ch in GSM_EXTENDED else "?" for ch in plain)


def split(text: str) -> Sms:
    """Cut ``text`` into segments: one if it fits, else parts of 153 septets (GSM) or 67 UCS-2
    code units, never cutting an escape sequence or a surrogate pair."""
    gsm = is_gsm(text)
    units: Callable[[str], int] = _gsm_units if gsm else _ucs2_units
    single, part = (GSM_SINGLE, GSM_PART) if gsm else (UCS2_SINGLE, UCS2_PART)
    if sum(units(ch) for ch in text) <= single:
        return Sms(text, "gsm" if gsm else "ucs2", (text,) if text else ())
    segments, current, used = [], "", 0
    for ch in text:
        if used + units(ch) > part:
            segments.append(current)
            current, used = "", 0
        current += ch
        used += units(ch)
    if current:
        segments.append(current)
    return Sms(text, "gsm" if gsm else "ucs2", tuple(segments))


def prepare(text: str, *, ascii_only: bool, max_segments: int) -> Sms:
    """The message as it will be sent: folded to GSM when ``ascii_only`` (and the text is in a
    Latin script), shortened with "..." to at most ``max_segments`` segments."""
    folded = to_gsm(text) if ascii_only else None
    # Folding to GSM serves Vietnamese and other Latin text; a message in Chinese, Korean or
    # Japanese would come out as question marks, so it goes as UCS-2 instead.
    text = folded if folded is not None and folded.count("?") == text.count("?") else normalize(text)
    sms = split(text)
    if len(sms.segments) <= max_segments:
        return sms
    ellipsis = "..." if sms.encoding == "gsm" else "…"
    words = text.split(" ")
    while words:
        words.pop()
        shorter = split(" ".join(words).rstrip(" ,.;:") + ellipsis)
        if len(shorter.segments) <= max_segments:
            return shorter
    raise ValueError("max_segments must allow at least one segment")


def masked(phone: str) -> str:
    """A phone number as a log or a console may show it: its last three digits."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"***{digits[-3:]}" if len(digits) >= 3 else "***"


def international(phone: str) -> str:
    """0912345678 or +84912345678 → 84912345678, as gateways want it."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0"):
        return "84" + digits[1:]
    return digits


class SmsBackend:
    """Send one prepared message to one phone number; return the gateway's message id."""

    def send(self, *, to: str, sms: Sms) -> str:
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """Development: the message on standard output, the number masked."""

    stream: TextIO | None = None

    def send(self, *, to: str, sms: Sms) -> str:
        out = self.stream or sys.stdout
        out.write(f"SMS to {masked(to)} ({sms.encoding}, {len(sms.segments)} segment(s)):\n{sms.text}\n---\n")
        out.flush()
        return f"console-{uuid.uuid4().hex[:12]}"


class LocmemSmsBackend(SmsBackend):
    """Tests: messages kept in ``LocmemSmsBackend.outbox`` as (number, Sms)."""

    outbox: ClassVar[list[tuple[str, Sms]]] = []

    def send(self, *, to: str, sms: Sms) -> str:
        self.outbox.append((to, sms))
        return f"locmem-{len(self.outbox)}"


class HttpSmsBackend(SmsBackend):
    """An SMS brand-name gateway over HTTPS JSON: ``POST MOTCUA_SMS_HTTP_URL`` with the key as a
    bearer token and ``{"brandname", "phone", "message", "unicode"}``; the gateway answers 2xx with
    ``{"code": 0, "message_id": ...}`` when it accepts the message."""

    def __init__(
        self,
        *,
        url: str | None = None,
        api_key: str | None = None,
        brandname: str | None = None,
        timeout: float | None = None,
        session: Any = None,
    ) -> None:
        self.url = url if url is not None else settings.SMS_HTTP_URL
        self.api_key = api_key if api_key is not None else settings.SMS_HTTP_API_KEY
        self.brandname = brandname if brandname is not None else settings.SMS_BRANDNAME
        self.timeout = timeout if timeout is not None else settings.SMS_TIMEOUT
        self.session = session or requests.Session()
        if not self.url:
            raise SmsError("MOTCUA_SMS_HTTP_URL is not set")

    def send(self, *, to: str, sms: Sms) -> str:
        body = {
            "brandname": self.brandname,
            "phone": international(to),
            "message": sms.text,
            "unicode": 1 if sms.encoding == "ucs2" else 0,
        }
        try:
            response = self.session.post(
                self.url, json=body, headers={"Authorization": f"Bearer {self.api_key}"}, timeout=self.timeout
            )
        except requests.RequestException as error:
            raise SmsError(f"gateway unreachable: {type(error).__name__}") from None
        if response.status_code // 100 != 2:
            raise SmsError(f"gateway answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise SmsError("gateway answered something other than JSON") from None
        if str(answer.get("code", "")) != "0":
            raise SmsError(f"gateway refused the message: code {answer.get('code')!r}")
        return str(answer.get("message_id", ""))


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


def sms_for(text: str) -> Sms:
    return prepare(text, ascii_only=settings.SMS_ASCII, max_segments=settings.SMS_MAX_SEGMENTS)


class SmsChannel:
    """The outbox's SMS channel (``NOTIFICATION_CHANNELS["sms"]``): the message's SMS text,
    prepared for the gateway, through ``MOTCUA_SMS_BACKEND``."""

    def send(self, *, address: str, message: Message) -> None:
        sms_backend().send(to=address, sms=sms_for(message.sms))
