"""Storing scans (lưu bản quét) and recognizing them (nhận dạng chữ), as the counter and the
worker do.

Measures, in one process on this machine, after a warm-up:
- storing a 1 MB scan with ``documents.services.file_store`` (checks by content, metadata
  stripped, SHA-256, write once to the local-disk storage, database row) per second, for a photo
  (JPEG with EXIF/GPS) and for a scanned PDF; every file is distinct, so none is deduplicated
  (the figure to meet: at least 50/s);
- the same content stored again (found by its hash);
- Vietnamese text recognition (Tesseract ``-l vie``, PDF pages rendered by pdftoppm at
  MOTCUA_OCR_DPI) in pages per minute, one page at a time as one worker process does.

Usage: .venv/bin/python bench/documents_store.py [--count 200] [--ocr-pages 6]
(files go to a temporary folder; the database is var/bench.sqlite3 or DATABASE_URL)
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time

_root = tempfile.mkdtemp(prefix="motcua-bench-files-")
os.environ["MOTCUA_FILE_ROOT"] = _root

import _setup  # noqa: E402  (Django settings)

TARGET_PER_SECOND = 50
MIB = 1024 * 1024


def _argument(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def _photos(count: int) -> list[bytes]:
    """``count`` distinct JPEG scans of about 1 MB each, with camera and GPS EXIF."""
    import random

    from PIL import Image, ImageDraw

    from documents.tests import samples

    page = samples.scan_image(
        [f"Dòng {n}: Giấy chứng nhận quyền sử dụng đất, thửa đất số {n * 37}" for n in range(24)],
        size=(2480, 3508),
        dpi=300,
    ).convert("RGB")
    noise = Image.effect_noise((2480, 3508), 12).convert("RGB")
    base = Image.blend(page, noise, 0.25)
    rng = random.Random(7)
    photos = []
    for n in range(count):
        image = base.copy()
        ImageDraw.Draw(image).rectangle([rng.randrange(2000), rng.randrange(3000), 2470, 3500], outline=(n % 255, 0, 0))
        photos.append(samples.jpeg(image, exif=samples.gps_exif(), quality=84))
    return photos


def _pdfs(photos: list[bytes]) -> list[bytes]:
    from documents.scans import combine_into_pdf

    return [combine_into_pdf([(photo, True)]) for photo in photos]


def _rate(label: str, datas: list[bytes], store) -> float:  # type: ignore[no-untyped-def]
    """Files per second of wall-clock time; the CPU time per file tells what the machine could do
    without other processes competing for its cores."""
    started, cpu = time.perf_counter(), time.process_time()
    for n, data in enumerate(datas):
        store(data=data, name=f"scan-{n}.bin", actor=None)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    rate = len(datas) / elapsed
    size = sum(len(d) for d in datas) / len(datas) / MIB
    print(
        f"{label:<46} {rate:8.1f}/s   ({len(datas)} files of {size:.2f} MB on average, {elapsed:.2f} s; "
        f"CPU {cpu / len(datas) * 1000:.1f} ms a file)"
    )
    return rate


def main() -> None:
    from django.core.management import call_command

    from documents import ocr
    from documents.models import StoredFile
    from documents.scans import combine_into_pdf
    from documents.services import file_store
    from documents.tests import samples

    count = _argument("--count", 200)
    ocr_pages = _argument("--ocr-pages", 6)
    call_command("migrate", verbosity=0)
    StoredFile.objects.all().delete()

    load = os.getloadavg()[0]
    print(f"Database: {_setup.database_label()}; files in {_root}; load average {load:.1f} on {os.cpu_count()} cores")
    photos = _photos(count + 5)
    pdfs = _pdfs(photos)
    for warm in photos[-5:]:
        file_store(data=warm, name="warm.jpg", actor=None)
    photo_rate = _rate("store a 1 MB photo (JPEG, EXIF/GPS stripped)", photos[:count], file_store)
    pdf_rate = _rate("store a 1 MB scanned PDF", pdfs[:count], file_store)
    _rate("store content already stored (found by hash)", pdfs[:count], file_store)
    worst = min(photo_rate, pdf_rate)
    verdict = "meets" if worst >= TARGET_PER_SECOND else "MISSES"
    print(f"Slowest store: {worst:.1f}/s, {verdict} the target of {TARGET_PER_SECOND}/s")

    if not ocr.tools_available():
        print("Recognition: tesseract or pdftoppm missing, not measured")
        return
    page = samples.scan_image(
        [
            "ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG",
            "GIẤY XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ",
            "Số: 125/XN-CA",
            "Họ, chữ đệm và tên: Nguyễn Thị Hường",
            "Nơi thường trú: 12 Trần Phú, phường Nha Trang, tỉnh Khánh Hòa",
            "Nha Trang, ngày 20 tháng 3 năm 2025",
        ]
        * 3,
        size=(1654, 2339),
        dpi=200,
    )
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    document = combine_into_pdf([(buffer.getvalue(), True)] * ocr_pages)
    ocr.recognize(combine_into_pdf([(buffer.getvalue(), True)]), "application/pdf")  # warm-up
    started = time.perf_counter()
    text = ocr.recognize(document, "application/pdf", max_pages=ocr_pages)
    elapsed = time.perf_counter() - started
    assert "Hường" in text, "recognition lost the Vietnamese words"
    print(
        f"{'recognize scanned A4 pages (vie, one process)':<46} {ocr_pages / elapsed * 60:8.1f} pages/min "
        f"({ocr_pages} pages in {elapsed:.1f} s)"
    )


if __name__ == "__main__":
    import shutil

    try:
        main()
    finally:
        shutil.rmtree(_root, ignore_errors=True)
