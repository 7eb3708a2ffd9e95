"""Signing and verifying result documents (ký số, xác thực kết quả điện tử): pure functions on
PDF bytes, no database.

``sign_pdf`` adds a PAdES signature (ETSI.CAdES.detached, PAdES-B-B; B-T when given a time-stamp
authority) in an incremental update, with a visible box on the last page: the signer, the
signing time, the result code and a QR code to the public verification page. The box is a small
PDF drawn by reportlab (DejaVu fonts carry Vietnamese) imported as the signature's appearance,
and the time it shows is the signature's own time.

``verify_pdf`` answers what a citizen or an agency needs to know of an uploaded file: a
signature at all, intact, made by a trusted key, and whether anything was appended after the
signed revision (pyHanko's difference analysis), plus the SHA-256 of the signed revision so
that callers can find the result in their records.
"""

from __future__ import annotations

import asyncio
import binascii
import datetime
import enum
import hashlib
import io
import uuid
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import segno
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import content
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas

from dossiers.slips.layout import FAMILY, register_fonts

T = TypeVar("T")
FIELD_NAME = "KyKetQua"
# The signature box: width × height in points, and its place on a page without a reserved spot
# (bottom right, above the footer margin).
BOX_WIDTH = 86 * mm
BOX_HEIGHT = 26 * mm
DEFAULT_MARGIN_RIGHT = 12 * mm
DEFAULT_MARGIN_BOTTOM = 14 * mm
PDF_MAGIC = b"%PDF-"
# Room for the CMS signature: an RSA-4096 chain of a few certificates and a time-stamp token fit.
SIGNATURE_BYTES = 16384

Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in points, origin bottom left


# What reading a broken or hostile file may raise, from pyHanko's parser, asn1crypto and zlib.
_BROKEN = (
    PdfError,
    SignatureValidationError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    OSError,
    RecursionError,
    zlib.error,
)
# A hostile file may pile up revisions (each compared with the next by the difference analysis)
# or signatures: beyond these, the analysis is skipped and anything appended counts as a change.
MAX_REVISIONS = 20
MAX_SIGNATURES = 5


def _without_event_loop(work: Callable[[], T]) -> T:
    """pyHanko's synchronous calls start an asyncio loop of their own, which fails in a thread
    already running one (an async server, Playwright's sync API in tests): there, another thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


class NotAPdf(ValueError):
    """The bytes are not a PDF that can be read (or signed)."""


# --- Signing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """What the visible signature box says."""

    signer_name: str
    signed_at: datetime.datetime  # aware
    result_code: str
    verify_url: str


def _local_text(moment: datetime.datetime) -> str:
    """ "07/11/2022 10:15:30 +07:00" in the moment's own zone."""
    zone = f"{moment:%z}"
    return f"{moment:%d/%m/%Y %H:%M:%S} {zone[:3]}:{zone[3:]}"


def _wrap(text: str, font: str, size: float, width: float, canvas: Any) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and canvas.stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def stamp_pdf(stamp: Stamp, width: float = BOX_WIDTH, height: float = BOX_HEIGHT) -> bytes:
    """The signature box as a one-page PDF of exactly ``width`` × ``height`` points."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = pdf_canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    red = Color(0.75, 0.05, 0.05)
    canvas.setStrokeColor(red)
    canvas.setLineWidth(1.2)
    canvas.rect(1, 1, width - 2, height - 2)
    qr_size = height - 6
    _draw_qr(canvas, stamp.verify_url, 3, 3, qr_size)
    left = qr_size + 7
    text_width = width - left - 4
    canvas.setFillColor(red)
    bold, regular = f"{FAMILY}-Bold", FAMILY
    lines = [(bold, "Ký bởi:"), (bold, stamp.signer_name)]
    lines += [(regular, f"Ngày ký: {_local_text(stamp.signed_at)}"), (regular, f"Mã kết quả: {stamp.result_code}")]
    caption_room = 9
    for size in (7.2, 6.6, 6.0, 5.4, 4.8):
        wrapped = [(font, line) for font, value in lines for line in _wrap(value, font, size, text_width, canvas)]
        if len(wrapped) * size * 1.18 <= height - 6 - caption_room:
            break
    y = height - 4 - size
    for font, line in wrapped:
        canvas.setFont(font, size)
        canvas.drawString(left, y, line)
        y -= size * 1.18
    canvas.setFont(FAMILY, 5.6)  # two faces only: each embedded font subset costs time per signature
    canvas.drawString(left, 5, "Quét mã QR để xác thực văn bản")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_qr(canvas: Any, url: str, x: float, y: float, size: float) -> None:
    """The QR code as vector squares, dark runs of a row merged (sharper and quicker than an
    image). A fixed mask skips segno's scoring of all eight, which costs more than the rest."""
    code = segno.make(url, error="m", mask=0)
    rows = code.matrix
    module = size / len(rows)
    path = canvas.beginPath()
    for r, row in enumerate(rows):
        top = y + size - (r + 1) * module
        start = None
        for c, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = c
            elif not dark and start is not None:
                path.rect(x + start * module, top, (c - start) * module, module)
                start = None
    canvas.saveState()
    canvas.setFillColor(Color(0, 0, 0))
    canvas.drawPath(path, fill=1, stroke=0)
    canvas.restoreState()


class _PdfBytesPage(content.ImportedPdfPage):
    """pyHanko's imported page, from bytes in memory instead of a file name."""

    def __init__(self, data: bytes) -> None:
        super().__init__(file_name="", page_ix=0)
        self.data = data

    def render(self) -> bytes:
        writer = self._ensure_writer
        reader = PdfFileReader(io.BytesIO(self.data))
        xobject = writer.import_page_as_xobject(reader, page_ix=0)
        resource_name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[resource_name.decode("ascii")] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return resource_name + b" Do"


class _SignerAt(signers.PdfSigner):
    """A PdfSigner whose signing time is the one drawn in the box (pyHanko otherwise reads the
    clock itself, a few milliseconds later)."""

    def __init__(self, *args: Any, system_time: datetime.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._system_time = system_time

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._system_time
        return session


def default_box(page_box: Sequence[float]) -> Box:
    """Bottom right of a page whose layout we do not know (an uploaded draft)."""
    x2 = float(page_box[2]) - DEFAULT_MARGIN_RIGHT
    y1 = float(page_box[1]) + DEFAULT_MARGIN_BOTTOM
    return (x2 - BOX_WIDTH, y1, x2, y1 + BOX_HEIGHT)


def sign_pdf(
    data: bytes,
    *,
    signer: signers.Signer,
    stamp: Stamp,
    box: Box | None = None,
    page: int | None = None,
    reason: str = "",
    location: str = "",
    timestamper: timestamps.TimeStamper | None = None,
) -> bytes:
    """``data`` signed by ``signer`` (PAdES), the visible box at ``box`` on page ``page`` (from 0;
    default: bottom right of the last page). ``NotAPdf`` if the input cannot be read or signed."""
    if not data.lstrip()[:1024].startswith(PDF_MAGIC) and PDF_MAGIC not in data[:1024]:
        raise NotAPdf("not a PDF")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        if writer.prev.encrypted:
            raise NotAPdf("encrypted PDF")
        pages = int(writer.root["/Pages"]["/Count"])
        target = pages - 1 if page is None or not 0 <= page < pages else page
        page_box = writer.find_page_for_modification(target)[0].get_object()["/MediaBox"]
    except NotAPdf:
        raise
    except _BROKEN as error:
        raise NotAPdf(str(error)) from error
    x1, y1, x2, y2 = box or default_box([float(v) for v in page_box])
    appearance = stamp_pdf(stamp, width=x2 - x1, height=y2 - y1)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
        name=stamp.signer_name,
    )
    pdf_signer = _SignerAt(
        metadata,
        signer=signer,
        timestamper=timestamper,
        stamp_style=StaticStampStyle(background=_PdfBytesPage(appearance), border_width=0, background_opacity=1.0),
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=FIELD_NAME, on_page=target, box=(int(x1), int(y1), int(x2), int(y2))
        ),
        system_time=stamp.signed_at,
    )
    output = io.BytesIO()
    try:
        _without_event_loop(lambda: pdf_signer.sign_pdf(writer, output=output, bytes_reserved=SIGNATURE_BYTES))
    except SigningError as error:
        raise NotAPdf(str(error)) from error
    return output.getvalue()


# --- Verification ---------------------------------------------------------------------------------


class Verdict(enum.StrEnum):
    """What a verification concludes, one stable code each (the API's ``status``)."""

    VALID = "valid"  # intact, trusted signer, nothing added after signing
    MODIFIED = "modified_after_signing"  # the signed revision is intact, but content was added later
    UNTRUSTED = "untrusted_signer"  # intact, but the signer's certificate leads to no trusted root
    ALTERED = "altered"  # the signed bytes changed: the signature does not match any more
    UNSIGNED = "unsigned"  # a PDF without a signature
    NOT_PDF = "not_pdf"  # not a PDF, or one that cannot be read


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    signer: str | None = None
    signed_at: datetime.datetime | None = None
    modified_after_signing: bool | None = None
    signed_revision_sha256: str | None = None
    signatures: int = 0
    timestamped: bool = False  # PAdES-B-T: the time comes from a trusted time-stamp authority

    @property
    def valid(self) -> bool:
        return self.verdict is Verdict.VALID


def _subject_name(certificate: asn1_x509.Certificate) -> str:
    names = certificate.subject.native
    return str(names.get("common_name") or names.get("organization_name") or certificate.subject.human_friendly)


def _judge(embedded: Any, context: ValidationContext, *, skip_diff: bool) -> tuple[Verdict, Any]:
    try:
        status = _without_event_loop(
            lambda: validate_pdf_signature(
                embedded,
                signer_validation_context=context,
                key_usage_settings=KeyUsageConstraints(key_usage={"non_repudiation"}),
                skip_diff=skip_diff,
            )
        )
    except _BROKEN:  # a signature that cannot even be parsed is no valid signature
        return Verdict.ALTERED, None
    if not (status.intact and status.valid):
        return Verdict.ALTERED, status
    if not status.trusted:
        return Verdict.UNTRUSTED, status
    if _modified(status):
        return Verdict.MODIFIED, status
    return Verdict.VALID, status


def _modified(status: Any) -> bool:
    """Anything beyond the signed revision that is more than validation data (DSS, document
    time-stamps) counts as a change after signing, form filling and annotations included."""
    from pyhanko.sign.diff_analysis import ModificationLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return False
    level = status.modification_level
    return level is None or level > ModificationLevel.LTA_UPDATES


_SEVERITY = [Verdict.VALID, Verdict.MODIFIED, Verdict.UNTRUSTED, Verdict.ALTERED]


def verify_pdf(data: bytes, *, trust_roots: Sequence[asn1_x509.Certificate]) -> Verification:
    """Judge every signature of ``data`` against ``trust_roots``; the answer names the first
    signature's signer and time and carries the worst verdict of them all."""
    if PDF_MAGIC not in data[:1024]:
        return Verification(Verdict.NOT_PDF)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            return Verification(Verdict.NOT_PDF)
        embedded = list(reader.embedded_signatures)[:MAX_SIGNATURES]
        skip_diff = reader.xrefs.total_revisions > MAX_REVISIONS
    except _BROKEN:
        return Verification(Verdict.NOT_PDF)
    if not embedded:
        return Verification(Verdict.UNSIGNED)
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail")
    verdicts = []
    first_status = None
    for index, signature in enumerate(embedded):
        verdict, status = _judge(signature, context, skip_diff=skip_diff)
        verdicts.append(verdict)
        if index == 0:
            first_status = status
    worst = max(verdicts, key=_SEVERITY.index)
    first = embedded[0]
    signer = _subject_name(first.signer_cert) if first_status is not None else None
    signed_at = None
    timestamped = False
    if first_status is not None:
        signed_at = first_status.signer_reported_dt or first.self_reported_timestamp
        stamp_status = first_status.timestamp_validity
        if stamp_status is not None and stamp_status.valid and stamp_status.intact and stamp_status.trusted:
            signed_at, timestamped = stamp_status.timestamp, True
    revision_hash = None
    byte_range = first.byte_range
    if byte_range and len(byte_range) == 4:
        revision_hash = hashlib.sha256(data[: int(byte_range[2]) + int(byte_range[3])]).hexdigest()
    modified = None if worst is Verdict.ALTERED else (first_status is not None and _modified(first_status))
    return Verification(
        verdict=worst,
        signer=signer,
        signed_at=signed_at,
        modified_after_signing=modified,
        signed_revision_sha256=revision_hash,
        signatures=len(embedded),
        timestamped=timestamped,
    )
