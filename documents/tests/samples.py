"""Real files for the documents tests, made on the spot: scans, photos with GPS positions, PDFs
with scripts, attachments or passwords, bombs."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/noto")]


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    for folder in FONT_DIRS:
        path = folder / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
        if path.exists():
            return ImageFont.truetype(str(path), size)
    raise FileNotFoundError("DejaVu fonts (fonts-dejavu-core) are needed for the generated scans")


def scan_image(lines: list[str], *, size: tuple[int, int] = (1240, 1754), dpi: int = 150) -> Image.Image:
    """A page as a scanner would give it: black Vietnamese text on white, A4 at ``dpi``."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    y = 80
    for index, line in enumerate(lines):
        draw.text((90, y), line, fill=0, font=font(34 if index == 0 else 30, bold=index == 0))
        y += 64
    image.info["dpi"] = (dpi, dpi)
    return image


def jpeg(image: Image.Image | None = None, *, exif: Image.Exif | None = None, quality: int = 85) -> bytes:
    image = image or scan_image(["GIẤY KHAI SINH", "Họ và tên: Nguyễn Văn An"])
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.convert("RGB").save(out, format="JPEG", quality=quality, dpi=image.info.get("dpi", (150, 150)), **kwargs)
    return out.getvalue()


def png(image: Image.Image | None = None, **kwargs: object) -> bytes:
    image = image or scan_image(["TỜ KHAI"])
    out = io.BytesIO()
    image.save(out, format="PNG", **kwargs)
    return out.getvalue()


def gps_exif() -> Image.Exif:
    """EXIF with a camera, a serial number and a GPS position (Nha Trang)."""
    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # Make
    exif[0xA431] = "R58M12345"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (12.0, 14.0, 30.0)
    gps[3] = "E"
    gps[4] = (109.0, 11.0, 40.0)
    return exif


def pdf(pages: int = 1, text: str = "Giấy chứng nhận") -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=0)
    canvas.setTitle(text)
    for number in range(pages):
        canvas.drawString(72, 760, f"{text} - {number + 1}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _writer(base: bytes | None = None) -> PdfWriter:
    from pypdf import PdfReader

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(base or pdf())))
    return writer


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = _writer()
    writer.encrypt(user_password="", owner_password="bi-mat", algorithm="AES-128")
    return _written(writer)


def javascript_pdf() -> bytes:
    """Document-level JavaScript: /Names /JavaScript in the catalog, the script in a stream."""
    from pypdf.generic import ArrayObject, StreamObject

    writer = _writer()
    script = StreamObject()
    script.set_data(b"app.alert('xin chao');")
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): writer._add_object(script)}
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), writer._add_object(action)])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    return _written(writer)


def open_action_javascript_pdf() -> bytes:
    """JavaScript in /OpenAction only, its names written with #-escapes to dodge naive scans."""
    raw = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    )
    return _with_xref(raw, 3)


def launch_pdf() -> bytes:
    raw = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]"
        b"/AA<</O<</S/Launch/F(cmd.exe)>>>>>>endobj\n"
    )
    return _with_xref(raw, 3)


def attachment_pdf() -> bytes:
    writer = _writer()
    writer.add_attachment("hoa-don.exe", b"MZ\x90\x00 not really a program")
    return _written(writer)


def _with_xref(body: bytes, count: int) -> bytes:
    """A classic cross-reference table for objects 1..count written in order in ``body``."""
    offsets = []
    position = 0
    for number in range(1, count + 1):
        position = body.index(f"{number} 0 obj".encode(), position)
        offsets.append(position)
    xref = len(body)
    table = [b"xref\n", f"0 {count + 1}\n".encode(), b"0000000000 65535 f \n"]
    table += [f"{offset:010d} 00000 n \n".encode() for offset in offsets]
    trailer = f"trailer<</Size {count + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body + b"".join(table) + trailer


def many_pages_pdf(pages: int = 10_000) -> bytes:
    """A real, valid PDF of ``pages`` empty pages (about 60 bytes each)."""
    parts = [b"%PDF-1.4\n", b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"]
    kids = " ".join(f"{n + 3} 0 R" for n in range(pages))
    parts.append(f"2 0 obj<</Type/Pages/Kids[{kids}]/Count {pages}>>endobj\n".encode())
    for n in range(pages):
        parts.append(f"{n + 3} 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n".encode())
    return _with_xref(b"".join(parts), pages + 2)


def flate_bomb_pdf(expanded: int = 64 * 1024 * 1024) -> bytes:
    """One page whose content stream inflates from a few dozen KB to ``expanded`` bytes."""
    inflater = zlib.compressobj(9)
    block = b"\0" * (1024 * 1024)
    data = b"".join(inflater.compress(block) for _ in range(expanded // len(block))) + inflater.flush()
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
        + f"4 0 obj<</Length {len(data)}/Filter/FlateDecode>>stream\n".encode()
        + data
        + b"\nendstream endobj\n"
    )
    return _with_xref(body, 4)


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG that claims 10 billion pixels (one compressed row of zeros repeated)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width // 8 + 1) * 100, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def pdf_with_metadata_dict() -> bytes:
    writer = _writer()
    writer.add_metadata({"/Title": "Giấy chứng nhận"})
    writer._root_object[NameObject("/Lang")] = TextStringObject("vi")
    writer._root_object[NameObject("/ViewerPreferences")] = DictionaryObject()
    return _written(writer)
