"""Virus scanner hook (quét mã độc), off by default (MOTCUA_VIRUS_SCANNER).

``tcp://host:port`` or ``unix:///path``: clamd's INSTREAM command (the protocol of ClamAV's
daemon: ``zINSTREAM\\0``, chunks prefixed by their 4-byte big-endian length, a zero-length chunk,
then one answer ``stream: OK`` or ``stream: <name> FOUND``). A dotted path: a callable taking the
bytes and returning the name of what it found, or None.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string

from .errors import UploadRejected

CHUNK = 64 * 1024
TIMEOUT = 30.0


def scan(data: bytes) -> None:
    """Raises ``UploadRejected("infected")`` for a file the scanner flags, and
    ``UploadRejected("scanner_unavailable")`` when a configured scanner cannot answer: an
    unchecked file is not stored."""
    target = settings.VIRUS_SCANNER.strip()
    if not target:
        return
    if target.startswith(("tcp://", "unix://")):
        found = clamd_instream(target, data)
    else:
        check: Callable[[bytes], str | None] = import_string(target)
        found = check(data)
    if found:
        raise UploadRejected("infected")


def clamd_instream(address: str, data: bytes, timeout: float = TIMEOUT) -> str | None:
    parts = urlsplit(address)
    try:
        if parts.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(parts.path)
        else:
            sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 3310), timeout=timeout)
        with sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                piece = data[start : start + CHUNK]
                sock.sendall(struct.pack(">I", len(piece)) + piece)
            sock.sendall(struct.pack(">I", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                received = sock.recv(4096)
                if not received:
                    break
                answer += received
    except OSError as error:
        raise UploadRejected("scanner_unavailable") from error
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text.endswith("FOUND"):
        return text.removeprefix("stream:").removesuffix("FOUND").strip() or "unknown"
    if text.endswith("OK"):
        return None
    raise UploadRejected("scanner_unavailable")
