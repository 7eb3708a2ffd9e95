"""Receiving uploads (``documents.uploads``): of a file over the limit only the limit and a byte
are kept; the file still tells its real size, so the checks refuse it as too large."""

from __future__ import annotations

import io
import os
from typing import Any

from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser

from documents.uploads import CappedUploadHandler

BOUNDARY = "ranh-gioi-thu"


def parse(content: bytes) -> Any:
    body = (
        (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="tep"; filename="ho-so.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(len(body))}
    handlers = [MemoryFileUploadHandler(), CappedUploadHandler()]
    _post, files = MultiPartParser(meta, io.BytesIO(body), handlers, "utf-8").parse()
    return files["tep"]


def test_an_oversize_file_keeps_the_limit_and_a_byte_and_tells_its_real_size(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # (else a small request stays in memory)
    content = bytes(range(256)) * 4096  # 1 MiB, in several chunks
    upload = parse(content)
    assert upload.size == len(content)
    assert os.path.getsize(upload.temporary_file_path()) == 1001
    assert upload.read() == content[:1001]
    upload.close()


def test_a_file_within_the_limit_is_kept_whole(settings):
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    content = os.urandom(1024 * 1024 + 17)
    upload = parse(content)
    assert upload.size == len(content) and upload.read() == content
    upload.close()
