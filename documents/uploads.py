"""How uploaded files are received (``FILE_UPLOAD_HANDLERS``): Django's temporary-file handler,
keeping at most ``UPLOAD_MAX_BYTES`` + 1 bytes of each file. The rest of an oversize file is read
off the connection and dropped, so a request of gigabytes cannot fill the server's disk; the file
still reports its real ``size``, and the usual checks refuse it as too large (its kept bytes are
already over the limit), with their own localized message."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler


class CappedUploadHandler(TemporaryFileUploadHandler):
    # ``file_complete`` (Django's) gives the file the size read off the connection.
    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = settings.UPLOAD_MAX_BYTES + 1 - start
        if room > 0:
            self.file.write(raw_data[:room])
