"""Browser tests: Debian's Chromium driven by Playwright (no browser downloads).

Outside CI a missing Chromium skips these tests with a visible notice; with CI=true it fails."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the live server's database access
# happens in its own thread, so Django's async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package to run browser tests."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def portal(live_server: Any, settings: Any) -> Iterator[str]:
    """The live server as a citizen's journey needs it: VNeID's stand-in at its own address, no
    sign-in limit in the way, links in messages pointing at it; an empty cache before and after."""
    settings.OIDC_ISSUER = live_server.url + "/idp"
    settings.LOCAL_IDP_ISSUER = ""
    settings.RATE_LIMIT_SIGNIN = "10000/m"
    settings.PORTAL_PUBLIC_URL = live_server.url
    cache.clear()
    yield live_server.url
    cache.clear()
