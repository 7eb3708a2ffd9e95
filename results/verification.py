"""One verification for the page and the API: the uploaded bytes judged against the trusted
roots (``results.signing.verify_pdf``), the result found in our records, the verdict explained
in a sentence. Both are limited per client, and their body in size, before it is read
(``common.ratelimit``, scope ``results_verify``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

from . import pki, rules, selectors
from .signing import Verdict, verify_pdf

MAX_UPLOAD_BYTES: int = settings.UPLOAD_MAX_BYTES


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
