"""Schemathesis over the whole API, as an anonymous caller: for inputs
generated from the committed OpenAPI document (valid ones and ones that break it), the API never
answers 5xx, answers only the status codes its document declares, and every answer it documents
matches its schema. Bounded: a few examples per operation, so it stays a matter of seconds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.wsgi import application

DOCUMENT = Path(__file__).parent.parent / "docs" / "openapi.json"
SCHEMA = schemathesis.openapi.from_dict(json.loads(DOCUMENT.read_text()))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _connection_kept_open():
    """As Django's test client does: a request's end must not close the test's connection (its
    transaction holds the test's rows)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@SCHEMA.parametrize()
@settings(max_examples=8, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_never_fails_and_answers_as_documented_for_anyone(case):
    case.call_and_validate(app=application, checks=CHECKS)
