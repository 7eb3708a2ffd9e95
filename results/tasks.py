"""Worker tasks of electronic results."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def issue_result(approval_id: int) -> str:
    """Sign and store the result of an approval (results.services.result_issue); the code."""
    return services.result_issue(approval_id=approval_id).code
