"""Periodic work of the contest, run by the task worker's beat (settings.CELERY_BEAT_SCHEDULE):
open attempts past their end are submitted with what was saved, and rounds past their close are
closed and ranked. Both are idempotent: a sweep that runs twice, or on two workers, closes each
attempt once (rows locked, skipped when another worker holds them)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="contest.close_overdue_attempts")
def close_overdue_attempts() -> int:
    return services.attempts_close_overdue(now=timezone.now())


@shared_task(name="contest.close_due_rounds")
def close_due_rounds() -> list[int]:
    return services.rounds_close_due(now=timezone.now())
