"""A citizen scans the QR code of their receipt with a phone: the tracking page opens with the
dossier code filled in, asks for the check digits, and shows the status and the due date.
axe-core finds no serious or critical accessibility violation on the page."""

from __future__ import annotations

from typing import Any

import pytest
import segno
from axe_playwright_python.sync_playwright import Axe

from dossiers import slips
from dossiers.rules import State
from dossiers.slips import layout
from dossiers.tests.factories import walk_to, world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receipt_qr(live_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any, Any]:
    """A received dossier, and the address its receipt's QR code holds."""
    settings.PORTAL_PUBLIC_URL = live_server.url
    w = world()
    dossier = walk_to(w, State.IN_PROGRESS)  # its receipt is stored on the way: the spy comes after
    encoded: list[str] = []
    make = segno.make

    def spy(content: Any, *args: Any, **kwargs: Any) -> Any:
        encoded.append(str(content))
        return make(content, *args, **kwargs)

    monkeypatch.setattr(layout.segno, "make", spy)
    slips.receipt(dossier)
    assert len(encoded) == 1
    return encoded[0], dossier, w


def test_the_receipt_qr_code_opens_the_tracking_page(page: Any, receipt_qr: tuple[str, Any, Any]) -> None:
    url, dossier, w = receipt_qr
    page.goto(url)
    assert page.get_by_role("heading", level=1).inner_text() == "Tra cứu hồ sơ"
    assert page.get_by_label("Mã hồ sơ").input_value() == dossier.code
    page.get_by_label("4 số cuối của số định danh cá nhân hoặc số điện thoại của người nộp").fill(
        w.citizen.personal_id[-4:]
    )
    page.get_by_role("button", name="Tra cứu").click()
    result = page.locator("#track-result")
    result.wait_for()
    text = result.inner_text()
    assert "Đang xử lý" in text
    assert "ngày 06 tháng 11 năm 2025" in text  # the due date, official format
    assert dossier.procedure_version.name in text
    assert w.citizen.full_name not in page.content()
    assert w.citizen.personal_id[-4:] not in page.url


def test_the_tracking_page_has_no_serious_accessibility_violations(page: Any, receipt_qr: tuple[str, Any, Any]) -> None:
    url, _dossier, w = receipt_qr
    page.goto(url)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    # The answer too, and the "not found" message.
    page.get_by_label("4 số cuối của số định danh cá nhân hoặc số điện thoại của người nộp").fill(
        w.citizen.personal_id[-4:]
    )
    page.get_by_role("button", name="Tra cứu").click()
    page.locator("#track-result").wait_for()
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    page.get_by_label("4 số cuối của số định danh cá nhân hoặc số điện thoại của người nộp").fill("0000")
    page.get_by_role("button", name="Tra cứu").click()
    page.locator("#track-message").wait_for()
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
