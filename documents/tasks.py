"""Worker tasks of the documents app: text recognition (OCR) of scans, run by the Celery worker
and never inside a request."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="documents.recognize_dossier_file", acks_late=True)
def recognize_dossier_file(dossier_file_id: int) -> None:
    """Recognizes the text of a dossier file's scan in Vietnamese and proposes its metadata."""
    from .ocr import dossier_file_recognize

    dossier_file_recognize(dossier_file_id=dossier_file_id)
