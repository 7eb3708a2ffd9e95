"""One verification for the page and the API: the uploaded bytes judged against the trusted
roots (``results.signing.verify_pdf``), the result found in our records, the verdict explained
in a sentence; and the per-client limit both share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from common.ratelimit import client_key, hit, parse_rate

from . import pki, rules, selectors
from .signing import Verdict, verify_pdf

MAX_UPLOAD_BYTES: int = settings.UPLOAD_MAX_BYTES
RATE_SCOPE = "results_verify"


@dataclass(frozen=True)
class VerifyAnswer:
    valid: bool
    status: Verdict
    detail: str
    signer: str | None
    signed_at: datetime.datetime | None
    modified_after_signing: bool | None
    result_code: str | None


def verify_upload(data: bytes) -> VerifyAnswer:
    """What a person who uploads ``data`` is told. A file over ``MAX_UPLOAD_BYTES`` is not read."""
    if len(data) > MAX_UPLOAD_BYTES:
        verification = verify_pdf(b"", trust_roots=[])
    else:
        verification = verify_pdf(data, trust_roots=pki.trust_roots())
    known = verification.verdict in (Verdict.VALID, Verdict.MODIFIED)
    return VerifyAnswer(
        valid=verification.valid,
        status=verification.verdict,
        detail=str(rules.VERDICT_MESSAGES[verification.verdict]),
        # A name read from an untrusted or broken signature is whatever its maker wrote: not shown.
        signer=verification.signer if known else None,
        signed_at=verification.signed_at if known else None,
        modified_after_signing=verification.modified_after_signing,
        result_code=selectors.code_of(verification) if known else None,
    )


def over_limit(request: HttpRequest) -> int | None:
    """None while the client is within MOTCUA_RATELIMIT_VERIFY; else the seconds to wait."""
    if not settings.RATE_LIMIT_ENABLED:
        return None
    return hit(RATE_SCOPE, client_key(request), parse_rate(settings.RATE_LIMIT_VERIFY))
