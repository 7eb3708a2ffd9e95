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


class PendingTask(models.Model):
    """A task that a transaction asked for (transactional outbox), written in that transaction
    and deleted once the task has run to its end. ``common.tasks.enqueue_on_commit`` sends it
    after the commit; the worker's periodic ``common.redrive_tasks`` sends again whatever is still
    here at ``due_at`` (a broker down at commit, a process that died, a task that gave up), with a
    growing delay, until it has run. The tasks themselves are idempotent: one run twice (its
    message and a redrive) has its effect once."""

    name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "tác vụ chờ thực hiện"

    def __str__(self) -> str:
        return f"{self.name}{tuple(self.args)}"
