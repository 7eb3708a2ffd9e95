"""Where files live: one Django storage built from MOTCUA_FILE_STORAGE (local disk by default,
S3-compatible object storage through django-storages by configuration). Names are derived from
the content's SHA-256, so nobody can guess them from a dossier, and no URL of the storage is ever
given out: downloads stream through permission-checked views."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string


class PrivateFileSystemStorage(FileSystemStorage):
    """Local disk under MOTCUA_FILE_ROOT, with no address on the web at all."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("location", str(settings.FILE_STORAGE_ROOT))
        super().__init__(**kwargs)

    def url(self, name: str | None) -> str:
        raise ValueError("Stored files have no public address; stream them through a permission-checked view.")


@cache
def file_storage() -> Storage:
    backend: Any = import_string(settings.FILE_STORAGE_BACKEND)
    return backend()  # type: ignore[no-any-return]


def storage_name(sha256: str) -> str:
    """``ab/cd/abcd…``: two levels of folders keep any one folder small."""
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


@receiver(setting_changed)
def _forget_storage(*, setting: str, **kwargs: Any) -> None:
    if setting in {"FILE_STORAGE_BACKEND", "FILE_STORAGE_ROOT"}:
        file_storage.cache_clear()
