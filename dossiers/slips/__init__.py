"""Official slips of dossiers as PDF (see ``forms``), laid out by ``layout``."""

from .declaration import declaration_form
from .forms import (
    SlipUnavailable,
    apology,
    control_sheet,
    log_book,
    receipt,
    refusal,
    stop_notice,
    supplement_request,
)
from .layout import TRACKING_PATH, SlipFontMissing, tracking_url

__all__ = [
    "TRACKING_PATH",
    "SlipFontMissing",
    "SlipUnavailable",
    "apology",
    "control_sheet",
    "declaration_form",
    "log_book",
    "receipt",
    "refusal",
    "stop_notice",
    "supplement_request",
    "tracking_url",
]
