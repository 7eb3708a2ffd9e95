"""Periodic work of the news section, run by the task worker's beat (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command


@shared_task(name="news.tasks.publish_scheduled")
def publish_scheduled() -> None:
    """Wagtail's scheduled publishing and unpublishing (go-live and expiry dates), every minute:
    an approved page with a go-live time appears without anyone running a command."""
    call_command("publish_scheduled")


@shared_task(name="news.tasks.flush_page_views")
def flush_page_views() -> int:
    """The views counted in the cache moved into the daily table (news.page_views), every five
    minutes: the figures' views lag the visits by at most that."""
    from .page_views import flush_views

    return flush_views()
