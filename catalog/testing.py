"""Test helpers of the catalog: a published declaration form made in one call."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from . import declaration
from .models import DeclarationForm, FormStatus, Procedure


def published_form(
    procedure: Procedure,
    properties: Mapping[str, Any],
    required: Sequence[str] = (),
    *,
    effective_from: datetime.date = datetime.date(2000, 1, 1),
    layout: Mapping[str, Any] | None = None,
    examples: Sequence[Any] = (),
    **schema: Any,
) -> DeclarationForm:
    """A published form of ``procedure`` with these top-level ``properties`` (laid out as one
    section, in order), written directly: a test of the check publishes through the service."""
    full = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": dict(properties),
        "required": list(required),
        "additionalProperties": False,
        **schema,
    }
    return DeclarationForm.objects.create(
        procedure=procedure,
        title="Tờ khai",
        effective_from=effective_from,
        status=FormStatus.PUBLISHED,
        schema=full,
        layout=dict(layout)
        if layout is not None
        else {"sections": [{"title": "Thông tin tờ khai", "fields": declaration.field_paths(full)}]},
        examples=list(examples),
    )
