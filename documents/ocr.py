"""Text recognition of scans (nhận dạng chữ, OCR) in Vietnamese with Tesseract (Debian's
tesseract-ocr and tesseract-ocr-vie) and, for PDFs, Poppler's pdftoppm to render the pages. Run by
the worker (``tasks.recognize_dossier_file``): the text makes the scan searchable and proposes the
metadata (number, date of issue, issuer) that the officer then confirms."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.text import fold

from . import rules
from .checks import PDF, TIFF
from .models import DossierFile, StoredFile

TIMEOUT_PER_PAGE = 120


class RecognitionUnavailable(RuntimeError):
    """Tesseract or pdftoppm is not installed (apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils)."""


def tools_available() -> bool:
    return shutil.which("tesseract") is not None and shutil.which("pdftoppm") is not None


def _tesseract(image: Path) -> str:
    done = subprocess.run(
        ["tesseract", str(image), "stdout", "-l", settings.OCR_LANGUAGES, "--psm", "3"],
        capture_output=True,
        timeout=TIMEOUT_PER_PAGE,
        check=True,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
    )
    return done.stdout.decode("utf-8", "replace")


def recognize(data: bytes, content_type: str, *, max_pages: int | None = None) -> str:
    """The text of a scan (PDF, JPEG, PNG or TIFF), pages separated by form feeds."""
    if not tools_available():
        raise RecognitionUnavailable(RecognitionUnavailable.__doc__)
    pages_limit = max_pages or settings.OCR_MAX_PAGES
    with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as folder:
        work = Path(folder)
        source = work / "source"
        source.write_bytes(data)
        if content_type == PDF:
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    str(settings.OCR_DPI),
                    "-gray",
                    "-png",
                    "-l",
                    str(pages_limit),
                    str(source),
                    str(work / "page"),
                ],
                capture_output=True,
                timeout=TIMEOUT_PER_PAGE * pages_limit,
                check=True,
            )
            pages = sorted(work.glob("page*.png"))
        else:
            pages = [source]
        texts = [_tesseract(page) for page in pages]
    if content_type == TIFF:
        return texts[0]
    return "\f".join(texts)


def stored_file_recognize(*, stored_file: StoredFile) -> str:
    """The file's text, recognized once per content and kept."""
    if stored_file.recognized_at is not None:
        return stored_file.text
    from .services import file_read

    text = recognize(file_read(stored_file), stored_file.content_type)
    StoredFile.objects.filter(pk=stored_file.pk).update(text=text, search_text=fold(text), recognized_at=timezone.now())
    stored_file.text, stored_file.recognized_at = text, timezone.now()
    return text


def dossier_file_recognize(*, dossier_file_id: int) -> DossierFile | None:
    """Recognizes a dossier file's scan and writes what it proposes (never over what an officer
    already confirmed: proposals stay proposals)."""
    dossier_file = DossierFile.objects.select_related("stored_file").filter(pk=dossier_file_id).first()
    if dossier_file is None:
        return None
    text = stored_file_recognize(stored_file=dossier_file.stored_file)
    proposal = rules.propose_metadata(text).as_json()
    with transaction.atomic():
        DossierFile.objects.filter(pk=dossier_file.pk).update(proposal=proposal)
    dossier_file.proposal = proposal
    return dossier_file
