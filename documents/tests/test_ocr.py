"""Text recognition in Vietnamese on generated scans (Tesseract with Debian's vie data)."""

from __future__ import annotations

import datetime
import os
import subprocess

import pytest

from common.text import fold
from documents import ocr, rules, selectors, services
from documents.models import Purpose
from dossiers.rules import State
from dossiers.tests.factories import World, walk_to
from org.models import Role
from org.tests.factories import agency, officer

from . import samples


def _vietnamese_available() -> bool:
    if not ocr.tools_available():
        return False
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    return "vie" in listed.stdout.split()


if not _vietnamese_available():
    message = "tesseract-ocr with tesseract-ocr-vie and poppler-utils are needed for the OCR tests"
    if os.environ.get("CI") == "true":
        raise RuntimeError(message)  # with CI=true nothing may skip
    print(f"\nNOTICE: skipping documents OCR tests: {message}")
    pytest.skip(message, allow_module_level=True)

CERTIFICATE = [
    "ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "GIẤY KHAI SINH",
    "Số: 125/2020",
    "Họ, chữ đệm, tên: Nguyễn Thị Hường",
    "Ngày, tháng, năm sinh: 14/03/2020",
    "Nơi sinh: Bệnh viện Đa khoa tỉnh Khánh Hòa",
    "Nha Trang, ngày 20 tháng 03 năm 2020",
]


def _scan_pdf() -> bytes:
    from documents.scans import combine_into_pdf

    return combine_into_pdf([(samples.png(samples.scan_image(CERTIFICATE, size=(1654, 2339), dpi=200)), True)])


def test_vietnamese_words_come_back_from_a_scanned_image() -> None:
    text = ocr.recognize(samples.png(samples.scan_image(CERTIFICATE, size=(1654, 2339), dpi=200)), "image/png")
    for words in ("GIẤY KHAI SINH", "Nguyễn Thị Hường", "Khánh Hòa", "Độc lập"):
        assert words.casefold() in text.casefold(), words


def test_a_scanned_pdf_is_rendered_then_recognized_and_proposes_metadata() -> None:
    text = ocr.recognize(_scan_pdf(), "application/pdf")
    assert "hường" in text.casefold()
    proposal = rules.propose_metadata(text)
    assert proposal.number == "125/2020"
    assert proposal.issued_on == datetime.date(2020, 3, 20)
    assert fold(proposal.issuer) == fold("ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG")


@pytest.mark.django_db
def test_a_scan_attached_at_the_counter_is_recognized_by_the_worker_once_committed(
    w: World, django_capture_on_commit_callbacks
) -> None:
    dossier = walk_to(w, State.RECEIVED)
    stored = services.file_store(data=_scan_pdf(), name="ks.pdf", actor=w.counter)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        attached = services.dossier_file_attach(
            dossier=dossier,
            stored_file=stored,
            required_document=w.version.documents.first(),
            purpose=Purpose.SCAN,
            name="ks.pdf",
            actor=w.counter,
        )
    assert len(callbacks) == 1
    attached.refresh_from_db()
    stored.refresh_from_db()
    assert stored.recognized_at is not None and "khai sinh" in stored.text.casefold()
    assert attached.proposal["number"] == "125/2020"
    assert attached.proposal["issued_on"] == "2020-03-20"
    assert not attached.digitized  # a proposal is not a confirmation
    # The scan is now searchable by its words, without diacritics, by the agency's officers only.
    assert list(selectors.scans_search(user=w.counter, text="huong KHAI sinh")) == [attached]
    outsider = officer("canbo.ocr.ngoai", {agency("Sở OCR ngoài"): [Role.COUNTER_OFFICER]})
    assert not selectors.scans_search(user=outsider, text="khai sinh").exists()


@pytest.mark.django_db
def test_a_scan_attached_with_the_broker_down_is_recognized_once_the_broker_is_back(
    w: World, broker_down, django_capture_on_commit_callbacks, settings
) -> None:
    from common.models import PendingTask
    from common.tasks import redrive_tasks

    settings.TASK_REDRIVE_SECONDS = 0  # due at once: as if the redrive delay had passed
    dossier = walk_to(w, State.RECEIVED)
    stored = services.file_store(data=_scan_pdf(), name="ks.pdf", actor=w.counter)
    with django_capture_on_commit_callbacks(execute=True):
        attached = services.dossier_file_attach(
            dossier=dossier,
            stored_file=stored,
            required_document=w.version.documents.first(),
            purpose=Purpose.SCAN,
            name="ks.pdf",
            actor=w.counter,
        )
    stored.refresh_from_db()
    assert stored.recognized_at is None  # the message never reached a worker
    assert PendingTask.objects.filter(name="documents.recognize_dossier_file").exists()

    broker_down()  # the broker is back
    redrive_tasks()
    redrive_tasks()

    attached.refresh_from_db()
    stored.refresh_from_db()
    assert stored.recognized_at is not None and attached.proposal["number"] == "125/2020"
    assert not PendingTask.objects.exists()
