"""The citizen's notifications of a transition, through the outbox (``notifications.notify``) in
its transaction: the templates are ``dossiers/message_templates/<language>.toml``, keyed
``dossier.<action>``; the payload names the dossier, never the applicant's identification or
phone number."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from notifications.services import Recipient, notify

from ..models import Dossier
from ..rules import Action, ResultDelivery


def tracking_link(code: str, language: str) -> str:
    """The public tracking page in ``language``, with the dossier's code filled in."""
    with translation.override(language):
        link = settings.PORTAL_PUBLIC_URL.rstrip("/") + reverse("dossiers:track")
    return f"{link}?{urlencode({'ma': code})}" if code else link


def notice_payload(
    *,
    dossier_id: int,
    code: str,
    procedure: str,
    state: str,
    national_status: int | None,
    due_on: datetime.date | None,
    link: str,
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    """What the templates of ``dossier.<action>`` are filled from: the dossier as the citizen
    knows it (``ref``: its code once received, else its procedure), the action's own details,
    and for a returned result how it went (``by_post`` with its tracking number, ``online``)."""
    payload = {
        "dossier_id": dossier_id,
        "code": code,
        "ref": code or procedure[:120],
        "procedure": procedure,
        "state": state,
        "national_status": national_status,
        "due_on": due_on.isoformat() if due_on else None,
        "link": link,
        **extra,
    }
    if "method" in extra:
        payload["by_post"] = extra["method"] == ResultDelivery.POST
        payload["online"] = extra["method"] == ResultDelivery.ONLINE
    return payload


def applicant_recipient(dossier: Dossier) -> Recipient:
    """The dossier's applicant as the outbox reaches them: their account if they have one, the
    addresses given with the dossier, the language they chose."""
    user = dossier.applicant
    return Recipient(
        user=user,
        email=dossier.applicant_email or getattr(user, "email", ""),
        phone=dossier.applicant_phone,
        name=dossier.applicant_name,
        language=getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE,
    )


def _write_notifications(dossier: Dossier, action: Action, extra: Mapping[str, Any]) -> None:
    """Tell the citizen, by every channel they have an address for: written in the transition's
    transaction, so a rolled-back transition tells nobody and a process that dies after the
    commit loses none; a worker delivers them."""
    recipient = applicant_recipient(dossier)
    language = recipient.language
    code = dossier.code or ""
    notify(
        subject=dossier,
        template_key=f"dossier.{action.value}",
        recipient=recipient,
        context=notice_payload(
            dossier_id=dossier.pk,
            code=code,
            procedure=dossier.procedure_version.name,
            state=dossier.state,
            national_status=dossier.national_status,
            due_on=dossier.due_on,
            link=tracking_link(code, language),
            extra=extra,
        ),
        reference=code,
    )


def tracking_locked_notify(*, code: str) -> None:
    """Tell a dossier's applicant that its public tracking is locked for the hour after too many
    wrong check values (somebody may be guessing them); nothing when no dossier has this code.
    The notice names the code only, never who tried."""
    dossier = Dossier.objects.filter(code=code).select_related("applicant", "procedure_version").first()
    if dossier is None:
        return
    recipient = applicant_recipient(dossier)
    language = recipient.language
    notify(
        subject=dossier,
        template_key="dossier.tracking_locked",
        recipient=recipient,
        context={"dossier_id": dossier.pk, "code": code, "ref": code, "link": tracking_link(code, language)},
        reference=code,
    )
