"""Identification and phone numbers never leave the process in a log line: a record goes through
the handler that settings.LOGGING configures, and its output is read back."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

PERSONAL_ID, PHONE = "051203000123", "0912345678"


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    handlers = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert handlers, "settings.LOGGING configures a 'console' handler on the root logger"
    (handler,) = handlers
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_numbers_in_a_message_and_its_arguments_are_masked(log_output):
    log = logging.getLogger("accounts.oidc")
    log.warning("Sign-in refused for %s (phone %s)", PERSONAL_ID, PHONE)
    log.warning(f"Matched account by personal id {PERSONAL_ID}, phone {PHONE}")
    output = log_output.getvalue()
    assert PERSONAL_ID not in output and PHONE not in output
    records = lines(log_output)
    assert len(records) == 2
    assert all("051******123" in r["message"] and "091****678" in r["message"] for r in records)
    assert records[0]["level"] == "WARNING" and records[0]["logger"] == "accounts.oidc"


def test_numbers_in_extra_fields_and_tracebacks_are_masked(log_output):
    log = logging.getLogger("accounts.account_views")
    try:
        raise ValueError(f"no account with personal id {PERSONAL_ID}")
    except ValueError:
        log.exception("Export failed", extra={"phone": PHONE, "subject": f"id {PERSONAL_ID}"})
    output = log_output.getvalue()
    assert PERSONAL_ID not in output and PHONE not in output
    assert "051******123" in output
