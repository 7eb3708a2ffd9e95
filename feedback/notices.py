"""What the sender of an item is told, through the outbox (``notifications.notify``), in the
transaction of the change: the receipt at intake, and each transition the table marks
``notifies`` (refused, forwarded, answered, reopened). Only by the channel the sender chose
(``reply_by``). The templates are ``feedback/message_templates/<language>.toml``, keyed
``feedback.<event>``; the payload holds the item's code, dates, the agency and the tracking link,
never the sender's name, phone, address or the text of the item."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from notifications.services import Recipient, notify

from .models import FeedbackItem

RECEIPT = "receive"


def tracking_link(code: str, language: str) -> str:
    """The public tracking page in ``language``, with the item's code filled in (the check digits
    are the sender's to type)."""
    with translation.override(language):
        link = settings.PORTAL_PUBLIC_URL.rstrip("/") + reverse("feedback:track")
    return f"{link}?{urlencode({'ma': code})}"


def _day(at: datetime.datetime | datetime.date | None) -> str | None:
    if at is None:
        return None
    if isinstance(at, datetime.datetime):
        at = timezone.localtime(at).date()
    return at.isoformat()


def notice_payload(item: FeedbackItem, *, agency: str) -> dict[str, Any]:
    """The template's fields: the code, the dates that matter to the sender, the agency holding
    the item, and the link."""
    return {
        "item_id": item.pk,
        "code": item.code,
        "state": item.state,
        "received_on": _day(item.received_at),
        "answer_due_on": _day(item.answer_by),
        "answered_on": _day(item.answered_at),
        "agency": agency,
        "link": tracking_link(item.code, item.language),
    }


def recipient_of(item: FeedbackItem) -> Recipient:
    return Recipient(
        user=item.sender_user,
        email=item.sender_email,
        phone=item.sender_phone,
        name=item.sender_name,
        language=item.language or settings.LANGUAGE_CODE,
    )


def tell_sender(item: FeedbackItem, event: str, *, agency: str) -> None:
    """Write the notification ``feedback.<event>`` to the sender, by the channel they chose."""
    notify(
        subject=item,
        template_key=f"feedback.{event}",
        recipient=recipient_of(item),
        context=notice_payload(item, agency=agency),
        channels=[item.reply_by],
        reference=item.code,
    )
