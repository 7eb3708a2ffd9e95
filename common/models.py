"""Shared model behaviour."""

from __future__ import annotations

from typing import Any

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    """Rows of an append-only table: bulk updates and deletes are refused."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError(f"{self.model._meta.label} is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self.model._meta.label} is append-only.")


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed or deleted by the application (audit
    trail, dossier history)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(f"{self._meta.label} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self._meta.label} is append-only.")
