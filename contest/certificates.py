"""Giấy chứng nhận (PDF, A4 landscape) for a participant of a ranked round: a participation
certificate for everybody ranked, a prize certificate for the winners. ``render_certificate``
takes plain data and returns the file's bytes (no database); ``certificate_for`` reads what it
needs for one participant's attempt.

Same library and fonts as the other printed papers (reportlab; DejaVu Serif from Debian's
fonts-dejavu-core carries Vietnamese)."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas

from .errors import ResultNotYet
from .models import Attempt, Standing

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FAMILY = "CertificateSerif"
FONT_FILES = {FAMILY: "DejaVuSerif.ttf", f"{FAMILY}-Bold": "DejaVuSerif-Bold.ttf"}
RED = colors.HexColor("#a81414")
GOLD = colors.HexColor("#b8860b")


@dataclass(frozen=True)
class CertificateData:
    organiser: str
    contest_title: str
    round_label: str
    full_name: str
    birth_date: datetime.date
    commune: str
    score: int
    total_points: int
    rank: int
    participants: int
    prize: str  # "Giải Nhất" …, empty for a participation certificate
    issued_on: datetime.date
    place: str
    reference: str  # printed on the certificate to check it against the organisers' list


def _register_fonts() -> None:
    if FAMILY in pdfmetrics.getRegisteredFontNames():
        return
    missing = [file for file in FONT_FILES.values() if not (FONT_DIR / file).is_file()]
    if missing:
        raise ImproperlyConfigured(f"Certificates need {missing} (apt-get install fonts-dejavu-core)")
    for name, file in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Words wrapped to ``width`` points."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and stringWidth(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def _vn_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def render_certificate(data: CertificateData) -> bytes:
    _register_fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = pdf_canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    title = "GIẤY CHỨNG NHẬN ĐOẠT GIẢI" if data.prize else "GIẤY CHỨNG NHẬN"
    c.setTitle(f"{title} — {data.full_name}")
    c.setAuthor(data.organiser or data.contest_title)
    bold = f"{FAMILY}-Bold"

    # Frame: a thick red border and a thin gold one inside it.
    c.setStrokeColor(RED)
    c.setLineWidth(4)
    c.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1)
    c.rect(14 * mm, 14 * mm, width - 28 * mm, height - 28 * mm)

    # Heading: the organiser on the left, the national motto on the right.
    top = height - 28 * mm
    c.setFillColor(colors.black)
    for n, line in enumerate(_lines((data.organiser or "BAN TỔ CHỨC CUỘC THI").upper(), bold, 10, 95 * mm)[:3]):
        c.setFont(bold, 10)
        c.drawCentredString(70 * mm, top - n * 5 * mm, line)
    c.setFont(bold, 10)
    c.drawCentredString(width - 80 * mm, top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.drawCentredString(width - 80 * mm, top - 5 * mm, "Độc lập - Tự do - Hạnh phúc")
    c.line(width - 105 * mm, top - 6.5 * mm, width - 55 * mm, top - 6.5 * mm)

    # Title and body.
    centre = width / 2
    y = height - 65 * mm
    c.setFillColor(RED)
    c.setFont(bold, 30)
    c.drawCentredString(centre, y, title)
    c.setFillColor(colors.black)
    y -= 12 * mm
    c.setFont(FAMILY, 13)
    c.drawCentredString(centre, y, "Ban Tổ chức chứng nhận")
    y -= 12 * mm
    c.setFont(bold, 22)
    c.drawCentredString(centre, y, data.full_name.upper())
    y -= 9 * mm
    c.setFont(FAMILY, 12)
    c.drawCentredString(centre, y, f"Ngày sinh: {data.birth_date:%d/%m/%Y} · {data.commune}")
    y -= 11 * mm
    verb = "Đã đoạt" if data.prize else "Đã tham gia"
    sentence = f"{verb} {data.prize + ' ' if data.prize else ''}{data.contest_title} — {data.round_label}"
    for line in _lines(sentence, bold if data.prize else FAMILY, 14, width - 70 * mm)[:3]:
        c.setFont(bold if data.prize else FAMILY, 14)
        c.drawCentredString(centre, y, line)
        y -= 7 * mm
    y -= 2 * mm
    c.setFont(FAMILY, 12)
    c.drawCentredString(
        centre,
        y,
        f"Điểm: {data.score}/{data.total_points} · Xếp hạng: {_vn_number(data.rank)}/{_vn_number(data.participants)}"
        " người tham gia",
    )

    # Place and date, the signature block; the reference at the foot.
    base = 42 * mm
    c.setFont(FAMILY, 11)
    day = data.issued_on
    c.drawCentredString(width - 80 * mm, base + 14 * mm, f"{data.place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}")
    c.setFont(bold, 11)
    c.drawCentredString(width - 80 * mm, base + 8 * mm, "TRƯỞNG BAN TỔ CHỨC")
    c.setFont(FAMILY, 8)
    c.setFillColor(colors.HexColor("#555555"))
    c.drawString(20 * mm, 18 * mm, f"Số: {data.reference}")
    c.showPage()
    c.save()
    return buffer.getvalue()


def certificate_for(attempt: Attempt, place: str = "Khánh Hòa") -> CertificateData:
    """The certificate of the attempt's participant in its round: only once the round is ranked
    (``ResultNotYet`` before); the participant's best attempt is what the standing records."""
    round_ = attempt.round
    if round_.ranked_at is None:
        raise ResultNotYet()
    standing = (
        Standing.objects.filter(round=round_, participant_id=attempt.participant_id)
        .select_related("attempt", "participant__commune", "round__contest")
        .first()
    )
    if standing is None:
        raise ResultNotYet()
    person = standing.participant
    contest = round_.contest
    best = standing.attempt
    return CertificateData(
        organiser=contest.organiser,
        contest_title=contest.title,
        round_label=str(round_),
        full_name=person.full_name,
        birth_date=person.birth_date,
        commune=person.commune.name,
        score=standing.score,
        total_points=sum(int(q.get("points", 1)) for q in best.questions),
        rank=standing.rank,
        participants=round_.participants_count or 0,
        prize=standing.get_prize_display() if standing.prize else "",
        issued_on=timezone.localdate(round_.ranked_at),
        place=place,
        reference=f"{contest.slug}/V{round_.number}/{standing.rank:05d}",
    )
