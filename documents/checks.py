"""Upload checks (kiểm tra tệp tải lên): what a file really is, judged by its content and never
by its name, and whether it may be kept.

Pure functions over bytes: no disk, no network, no database. ``inspect_upload`` identifies PDF,
JPEG, PNG and TIFF by their magic bytes and by parsing them, enforces the size, page and pixel
limits, refuses encrypted, malformed or script-bearing PDFs and decompression bombs, and returns
the bytes to keep: images re-encoded without their metadata (EXIF with GPS position, camera
serials, comments), so that what is stored is only the picture of the document.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import warnings
import zlib
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from .errors import UploadRejected

PDF, JPEG, PNG, TIFF = "application/pdf", "image/jpeg", "image/png", "image/tiff"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", TIFF: ".tif"}
IMAGE_TYPES = frozenset({JPEG, PNG, TIFF})

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What an upload may weigh. Defaults mirror the settings documented in
    ``motcua/settings/base.py`` (MOTCUA_UPLOAD_*)."""

    max_bytes: int = 20 * MIB
    max_pages: int = 200
    max_pixels: int = 64_000_000
    # Everything the compressed streams of one PDF may expand to, together.
    max_expanded_bytes: int = 512 * MIB
    # Objects of one PDF the structure walk may visit: a real scan has a few per page.
    max_pdf_objects: int = 200_000

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            max_bytes=settings.UPLOAD_MAX_BYTES,
            max_pages=settings.UPLOAD_MAX_PAGES,
            max_pixels=settings.UPLOAD_MAX_PIXELS,
            max_expanded_bytes=settings.UPLOAD_MAX_EXPANDED_BYTES,
        )


@dataclass(frozen=True)
class Checked:
    """A file that passed: the bytes to store (metadata stripped), its real type and pages."""

    data: bytes
    content_type: str
    page_count: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def sniff(data: bytes) -> str | None:
    """The type the first bytes announce, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    return None


def inspect_upload(data: bytes, limits: Limits | None = None) -> Checked:
    """The checked file, or ``UploadRejected`` saying why not."""
    limits = limits or Limits()
    if not data:
        raise UploadRejected("empty")
    if len(data) > limits.max_bytes:
        raise UploadRejected("too_large", limit=_megabytes(limits.max_bytes))
    kind = sniff(data)
    if kind is None:
        raise UploadRejected("unsupported_type")
    if kind == PDF:
        return Checked(data, PDF, check_pdf(data, limits))
    return _check_image(data, kind, limits)


def _megabytes(size: int) -> str:
    return f"{size / MIB:.0f}".replace(".", ",")


# --- PDF -------------------------------------------------------------------------------------------

# Actions that run something, send data out or open another file (ISO 32000-2, 12.6.4).
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/SubmitForm", "/GoToE"})
# Keys that carry scripts, attached files or XML forms (whose scripts readers run).
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/XFA", "/RichMedia"})
ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/Filespec", "/RichMediaExecute"})


def check_pdf(data: bytes, limits: Limits) -> int:
    """The number of pages of an acceptable PDF. Refuses encryption, active content (scripts, launch
    actions, attached files, XFA), more pages than allowed (looking at the declared count before
    building the page list, so a 10,000-page file costs little) and compressed streams that
    expand beyond the limit."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise UploadRejected("encrypted")
            root: Any = reader.trailer["/Root"].get_object()
            declared = root["/Pages"].get_object().get("/Count", 0)
            if not isinstance(declared, int) or declared > limits.max_pages:
                raise UploadRejected("too_many_pages", limit=limits.max_pages)
            pages = len(reader.pages)
            if pages == 0:
                raise UploadRejected("malformed")
            if pages > limits.max_pages:
                raise UploadRejected("too_many_pages", limit=limits.max_pages)
            _walk_pdf(reader, limits)
    except UploadRejected:
        raise
    except Exception as error:  # pypdf raises many kinds on a broken file; all mean "malformed"
        raise UploadRejected("malformed") from error
    return pages


def _walk_pdf(reader: PdfReader, limits: Limits) -> None:
    """Every object reachable from the trailer, looked at once: names as pypdf decodes them
    (``/J#61vaScript`` is ``/JavaScript``), objects inside object streams included."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    visited = 0
    expanded = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > limits.max_pdf_objects:
            raise UploadRejected("malformed")
        if isinstance(item, DictionaryObject):
            _refuse_active(item)
            if isinstance(item, StreamObject):
                expanded += _expanded_size(item, limits.max_expanded_bytes - expanded)
            stack.extend(value for name, value in item.items() if name != "/Parent")
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _refuse_active(item: DictionaryObject) -> None:
    keys = set(item.keys())
    if keys & ACTIVE_KEYS:
        raise UploadRejected("active_content")
    action = item.get("/S")
    if isinstance(action, NameObject) and action in ACTIVE_ACTIONS:
        raise UploadRejected("active_content")
    kind = item.get("/Type")
    if isinstance(kind, NameObject) and kind in ACTIVE_TYPES:
        raise UploadRejected("active_content")


def _expanded_size(stream: StreamObject, budget: int) -> int:
    """What a Flate stream inflates to, stopping as soon as it exceeds ``budget`` (a zip bomb
    never gets decompressed in full)."""
    filters = stream.get("/Filter")
    first = filters[0] if isinstance(filters, ArrayObject) and filters else filters
    raw = stream._data  # the encoded bytes as stored in the file
    if first not in ("/FlateDecode", "/Fl") or not isinstance(raw, bytes):
        return len(raw) if isinstance(raw, bytes) else 0
    inflater = zlib.decompressobj()
    size = 0
    chunk = raw
    step = 4 * MIB
    try:
        while chunk or inflater.unconsumed_tail:
            out = inflater.decompress(chunk or inflater.unconsumed_tail, step)
            chunk = b""
            size += len(out)
            if size > budget:
                raise UploadRejected("expands_too_much")
            if not out and not inflater.unconsumed_tail:
                break
    except zlib.error:
        pass  # a damaged stream is the reader's problem to show, not a bomb
    return size


# --- Images ----------------------------------------------------------------------------------------

# JPEG markers kept: APP0 (JFIF), APP2 (colour profile), APP14 (Adobe colour transform). Every other
# APPn (EXIF with GPS, XMP, maker notes, IPTC) and comments go.
_KEPT_APP_MARKERS = frozenset({0xE0, 0xE2, 0xEE})
# Start-of-frame markers (SOF0–SOF15 but DHT, JPG and DAC).
_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# PNG chunks kept: the image and how to show its colours and size. Text, EXIF, time and private
# chunks go.
_KEPT_PNG_CHUNKS = frozenset(
    {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs"}
)
_PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF"}


def _check_image(data: bytes, kind: str, limits: Limits) -> Checked:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMAT[kind]])
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
            if width * height > limits.max_pixels or width * height * frames > limits.max_pixels * limits.max_pages:
                raise UploadRejected("too_many_pixels", limit=limits.max_pixels // 1_000_000)
            if frames > limits.max_pages:
                raise UploadRejected("too_many_pages", limit=limits.max_pages)
            if kind == JPEG:
                cleaned = _clean_jpeg(data, image)
            elif kind == PNG:
                image.verify()
                cleaned = _clean_png(data)
            else:
                cleaned = _clean_tiff(image)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadRejected("too_many_pixels", limit=limits.max_pixels // 1_000_000) from error
    except Exception as error:  # Pillow's errors on broken files vary by format
        raise UploadRejected("malformed") from error
    return Checked(cleaned, kind, frames)


def _clean_jpeg(data: bytes, image: Image.Image) -> bytes:
    """The JPEG without its metadata segments and without anything after its end marker. The
    compressed picture is copied as is (no loss); a photo turned by its EXIF orientation is
    re-encoded upright instead, since the orientation tag goes with the EXIF."""
    # The picture data is not decoded here (its entropy decoding alone would halve the throughput
    # of the counter): the structure is checked marker by marker, its size was checked from the
    # header, and a file cut short has no end marker.
    orientation = image.getexif().get(0x0112)
    if orientation not in (None, 1):
        upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
        upright.info = {}
        out = io.BytesIO()
        upright.convert("RGB" if upright.mode not in ("L", "RGB", "CMYK") else upright.mode).save(
            out, format="JPEG", quality=92, optimize=True
        )
        return out.getvalue()
    out = io.BytesIO()
    out.write(b"\xff\xd8")
    position = 2
    seen_frame = False
    while True:
        if data[position] != 0xFF:
            raise ValueError("JPEG marker expected")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xDA:  # start of scan: entropy-coded data to the end marker
            if not seen_frame:
                raise ValueError("JPEG scan before any frame header")
            end = _jpeg_end(data, position)
            out.write(data[position:end])
            return out.getvalue()
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2 or position + 2 + length > len(data):
            raise ValueError("JPEG segment runs past the end of the file")
        segment = data[position : position + 2 + length]
        seen_frame = seen_frame or marker in _FRAME_MARKERS
        keep = not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in _KEPT_APP_MARKERS
        if marker == 0xE0 and not segment[4:9] == b"JFIF\x00":
            keep = False
        if keep:
            out.write(segment)
        position += 2 + length


def _jpeg_end(data: bytes, start: int) -> int:
    """Just past the end-of-image marker. The thumbnail's own markers lived in the EXIF segment,
    already passed, so the first FFD9 marker after the scans is the picture's end."""
    found = re.compile(rb"\xff\xd9").search(data, start)
    if found is None:
        raise ValueError("JPEG without end marker")
    return found.end()


def _clean_png(data: bytes) -> bytes:
    out = io.BytesIO()
    out.write(data[:8])
    position = 8
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunk = data[position : position + 12 + length]
        if kind in _KEPT_PNG_CHUNKS:
            out.write(chunk)
        position += 12 + length
        if kind == b"IEND":
            return out.getvalue()
    raise ValueError("PNG without IEND")


def _clean_tiff(image: Image.Image) -> bytes:
    """A scanner's TIFF re-encoded frame by frame from the pixels only (TIFF tags may carry
    EXIF, GPS, XMP and IPTC), keeping the resolution; lossless (Deflate)."""
    dpi = image.info.get("dpi")
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frame = image.copy()  # a plain image: no TIFF tags travel with it
        frame.info = {}
        frames.append(frame if frame.mode in ("1", "L", "RGB", "CMYK") else frame.convert("RGB"))
    out = io.BytesIO()
    extra: dict[str, Any] = {"dpi": dpi} if dpi else {}
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate", **extra)
    return out.getvalue()


# --- Names -----------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]+')
MAX_NAME_LENGTH = 120


def sanitize_name(name: str, *, extension: str | None = None, fallback: str = "tep") -> str:
    """A file name safe to show and to offer as a download: no folders (``../../etc/passwd`` is
    ``passwd``), NFC Vietnamese, no control or reserved characters, no leading dots, at most
    ``MAX_NAME_LENGTH`` characters; when ``extension`` is given it replaces whatever the name
    claimed (a "photo.jpg" that is a PDF is saved as "photo.pdf")."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[\\/]", text)[-1]
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip().lstrip(".").strip()
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    if extension is not None:
        suffix = extension.lstrip(".")
    stem = stem.strip() or fallback
    suffix = suffix[:10]
    room = MAX_NAME_LENGTH - (len(suffix) + 1 if suffix else 0)
    stem = stem[:room].rstrip()
    return f"{stem}.{suffix}" if suffix else stem
