"""Stand-ins for a mail server or an SMS gateway, configured through ``NOTIFICATION_CHANNELS``
as any channel backend is: one that takes every message, one that refuses every message (and
quotes the address, as some gateways do), one that is slow."""

from __future__ import annotations

import time
from typing import ClassVar

from notifications.rules import Message


class Taking:
    sent: ClassVar[list[tuple[str, Message]]] = []

    def send(self, *, address: str, message: Message) -> None:
        self.sent.append((address, message))


class Refusing:
    def send(self, *, address: str, message: Message) -> None:
        raise ConnectionError(f"gateway unreachable for {address}")


class Slow(Taking):
    def send(self, *, address: str, message: Message) -> None:
        time.sleep(0.3)
        super().send(address=address, message=message)
