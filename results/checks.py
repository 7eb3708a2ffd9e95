"""System checks of electronic results (registered in ``ResultsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error

from . import pki


def local_ca_in_production(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """The development CA must not sign where it is not allowed (the production settings)."""
    if getattr(settings, "RESULTS_SIGNING", pki.LOCAL) == pki.LOCAL and not settings.RESULTS_LOCAL_CA_ALLOWED:
        return [
            Error(
                "MOTCUA_RESULTS_SIGNING=local: the development CA must not sign results in production.",
                hint="Set MOTCUA_RESULTS_SIGNING to pkcs12 or pkcs11 with the agencies' keys (README, Configuration).",
                id="results.E001",
            )
        ]
    return []
