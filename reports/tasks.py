"""Worker tasks of the reports."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="reports.refresh_figures")
def refresh_figures(dossier_id: int) -> bool:
    """Bring the daily figures up to date with one dossier (idempotent)."""
    return services.figures_refresh(dossier_id=dossier_id)
