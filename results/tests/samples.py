"""Real PDFs for the tests: a plain one-page document, one signed by our local CA, and one
signed by a look-alike CA nobody trusts (a forger who names themselves after the agency)."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import override_settings
from pyhanko.sign import signers
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from results import pki
from results.signing import Stamp, sign_pdf

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AGENCY = pki.AgencyIdentity(code="000.00.77.H41", name="Ủy ban nhân dân phường Thử Ký")
SIGNED_AT = datetime.datetime(2022, 11, 7, 10, 15, 30, tzinfo=TZ)
MARKER = b"KET QUA GIAI QUYET 0123456789"


def plain_pdf(text: bytes = MARKER) -> bytes:
    """One A4 page, uncompressed, so that tests can find and change its words in the bytes."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=0, invariant=1)
    page.drawString(72, 760, text.decode())
    page.showPage()
    page.save()
    return buffer.getvalue()


def stamp(code: str = "000.00.77.H41-221107-0001-KQ1") -> Stamp:
    return Stamp(
        signer_name=AGENCY.name,
        signed_at=SIGNED_AT,
        result_code=code,
        verify_url=f"http://127.0.0.1:8000/xac-thuc-ket-qua/?ma={code}",
    )


def signed_pdf(data: bytes | None = None) -> bytes:
    return sign_pdf(plain_pdf() if data is None else data, signer=pki.signer_for(AGENCY), stamp=stamp())


def forger_signer(directory: Path) -> signers.Signer:
    """A signer from another local CA, with a certificate in the agency's very name."""
    with override_settings(RESULTS_PKI_DIR=directory):
        return pki.signer_for(AGENCY)


def pdfsig(data: bytes, tmp_path: Path) -> str:
    """Poppler's own verdict (Debian's poppler-utils)."""
    if shutil.which("pdfsig") is None:
        pytest.fail("pdfsig is missing: apt-get install poppler-utils")
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    completed = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False)
    return completed.stdout + completed.stderr


def pdftotext(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    path = tmp_path / "text.pdf"
    path.write_bytes(data)
    completed = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=60, check=True
    )
    return completed.stdout


def pki_dir() -> Path:
    return Path(settings.RESULTS_PKI_DIR)
