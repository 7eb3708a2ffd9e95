"""Running ``manage.py check`` under the production settings in a fresh process, for the tests that
production refuses what only development may use (stand-ins, development secrets, plain http)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_check(**extra: str) -> subprocess.CompletedProcess:
    """``manage.py check`` with production settings: no ``MOTCUA_*`` from this environment, the
    settings production requires anyway, then ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings.production",
        MOTCUA_SECRET_KEY=secrets.token_urlsafe(64),
        MOTCUA_ALLOWED_HOSTS="dichvucong.example.vn",
        MOTCUA_OIDC_ISSUER="https://sso.dancuquocgia.gov.vn",
        MOTCUA_RESULTS_SIGNING="pkcs12",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
