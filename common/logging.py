"""Logging without personal data: identification numbers, phone numbers and e-mail addresses
are masked before a record leaves the process."""

from __future__ import annotations

import logging
import re

from pythonjsonlogger.json import JsonFormatter

_PATTERNS = [
    (re.compile(r"(?<!\d)(\d{3})\d{6}(\d{3})(?!\d)"), r"\1******\2"),  # 12-digit số định danh
    (re.compile(r"(?<!\d)(0\d{2})\d{4}(\d{3})(?!\d)"), r"\1****\2"),  # 10-digit phone number
    (re.compile(r"[\w.+-]+@([\w-]+\.)+\w+"), "***@***"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class RedactingJsonFormatter(JsonFormatter):
    """JSON lines masked as a whole: the filter above sees only the message, while extra fields
    and tracebacks (an exception's text often quotes the value it refused) are added here."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
