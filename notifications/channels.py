"""Channels: how a message leaves. ``NOTIFICATION_CHANNELS`` maps each channel to the dotted path
of its backend, a class whose ``send(address=…, message=…)`` delivers one message or raises.
E-mail goes through Django's mail (here); SMS through the adapter that integrations configures
(``integrations.sms.SmsChannel``): this app never imports the adapters, the setting names them."""

from __future__ import annotations

import functools
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

from .models import Channel
from .rules import Message


class Undeliverable(Exception):
    """The message can never go this way (an address the channel refuses for good): trying again
    changes nothing."""


class ChannelBackend(Protocol):
    def send(self, *, address: str, message: Message) -> None: ...


# Which of a recipient's addresses each channel uses.
RECIPIENT_ADDRESS: dict[str, str] = {Channel.EMAIL: "email", Channel.SMS: "phone"}


def configured_channels() -> list[str]:
    """The channels the portal sends by, in the order of ``NOTIFICATION_CHANNELS``."""
    return [channel for channel in settings.NOTIFICATION_CHANNELS if channel in RECIPIENT_ADDRESS]


@functools.cache
def _backend_class(path: str) -> type[ChannelBackend]:
    backend: type[ChannelBackend] = import_string(path)
    return backend


def channel_backend(channel: str) -> ChannelBackend:
    """The backend of ``channel``; ``KeyError`` when the portal does not send by it."""
    return _backend_class(settings.NOTIFICATION_CHANNELS[channel])()


class EmailChannel:
    """Thư điện tử: the message as a text e-mail with an HTML alternative, the template's own
    words (greeting, footer) in the message's language."""

    def send(self, *, address: str, message: Message) -> None:
        context = {"message": message, "province": settings.PORTAL_PROVINCE_NAME, "hotline": settings.PORTAL_HOTLINE}
        with translation.override(message.language):
            text = render_to_string("notifications/email/notification.txt", context)
            html = render_to_string("notifications/email/notification.html", context)
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={"Content-Language": message.language},
        )
        email.attach_alternative(html, "text/html")
        email.send()
