"""Settings and fixtures for the whole suite."""

from __future__ import annotations

import pytest
from hypothesis import settings as hypothesis_settings

# Hypothesis checks properties, not speed: a slow example on a busy machine is not a failure.
hypothesis_settings.register_profile("motcua", deadline=None)
hypothesis_settings.load_profile("motcua")


@pytest.fixture(autouse=True)
def _reference_rows(request: pytest.FixtureRequest) -> None:
    """Rows that data migrations write (the common document types) again, for tests that use the
    database: a transactional test (browser journeys, concurrency) run before on the same worker
    empties every table when it ends."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not {"db", "transactional_db", "live_server"} & names:
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & names
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from documents.models import DocumentType
    from documents.seed import document_types_seed

    if not DocumentType.objects.exists():
        document_types_seed()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: rows rolled back with one test may come back with the
    same ids in the next, and must not find what was cached for the first."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def tasks_asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the tasks sent to the broker, in order (they still run, at once:
    CELERY_TASK_ALWAYS_EAGER)."""
    from celery import Task

    names: list[str] = []
    apply_async = Task.apply_async

    def spy(task: Task, *args: object, **kwargs: object) -> object:
        names.append(task.name)
        return apply_async(task, *args, **kwargs)

    monkeypatch.setattr(Task, "apply_async", spy)
    return names
