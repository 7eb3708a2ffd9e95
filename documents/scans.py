"""Scans into one PDF (một tệp PDF cho mỗi giấy tờ): the pages an officer scanned for one
document, images and PDFs alike, in the order given. JPEG pages keep their compressed data as is
(no loss); other images are embedded losslessly. Each page has the paper size the scanner's
resolution gives (200 dpi assumed when the image does not say). Pure: bytes in, bytes out."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

DEFAULT_DPI = 200.0


def _page_size(image: Image.Image) -> tuple[float, float]:
    dpi = image.info.get("dpi") or (DEFAULT_DPI, DEFAULT_DPI)
    x_dpi, y_dpi = (float(dpi[0]) or DEFAULT_DPI, float(dpi[1]) or DEFAULT_DPI)
    if not 50 <= x_dpi <= 1200 or not 50 <= y_dpi <= 1200:
        x_dpi = y_dpi = DEFAULT_DPI
    return image.size[0] * 72.0 / x_dpi, image.size[1] * 72.0 / y_dpi


def image_pages(data: bytes) -> bytes:
    """A PDF with one page per frame of the image ``data``."""
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=1)
    canvas.setCreator("motcua")
    image = Image.open(io.BytesIO(data))
    frames = getattr(image, "n_frames", 1)
    for index in range(frames):
        image.seek(index)
        width, height = _page_size(image)
        canvas.setPageSize((width, height))
        if image.format == "JPEG":
            source = ImageReader(io.BytesIO(data))
        else:
            frame = image.copy()
            if frame.mode not in ("1", "L", "RGB", "CMYK"):
                frame = frame.convert("RGB")
            source = ImageReader(frame)
        canvas.drawImage(source, 0, 0, width=width, height=height)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def combine_into_pdf(parts: Sequence[tuple[bytes, bool]]) -> bytes:
    """``parts``: (bytes, is_image) already checked by ``checks.inspect_upload``."""
    writer = PdfWriter()
    for data, is_image in parts:
        writer.append(PdfReader(io.BytesIO(image_pages(data) if is_image else data)))
    writer.add_metadata({"/Producer": "motcua"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
