"""The provider's signing key: RSA 2048, generated on first use and kept in the database, so ID
tokens stay verifiable across restarts. Signing and key handling are joserfc's (the JOSE library
Authlib builds on); nothing here does cryptography by hand."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from joserfc.jwk import KeyParameters, KeySet, RSAKey

from .models import SigningKey

ALGORITHM = "RS256"

# Parsing a PEM costs more than the query that finds it; keep parsed keys by their id.
_parsed: dict[str, RSAKey] = {}


def signing_key() -> RSAKey:
    """The current key, created the first time anyone asks (two first requests at once: one
    creates it, the other reads it)."""
    row = SigningKey.objects.filter(slot="current").first()
    if row is None:
        key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": ALGORITHM}, auto_kid=True)
        pem = key.as_pem(private=True).decode()
        try:
            with transaction.atomic():
                row = SigningKey.objects.create(slot="current", kid=str(key.kid), private_pem=pem)
        except IntegrityError:
            row = SigningKey.objects.get(slot="current")
    if row.kid not in _parsed:
        parameters: KeyParameters = {"use": "sig", "alg": ALGORITHM, "kid": row.kid}
        _parsed[row.kid] = RSAKey.import_key(row.private_pem, parameters=parameters)
    return _parsed[row.kid]


def public_key_set() -> dict[str, Any]:
    """The JWKS document: public parts only."""
    return dict(KeySet([signing_key()]).as_dict(private=False))
