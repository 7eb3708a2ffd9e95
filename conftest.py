"""Settings and fixtures for the whole suite."""

from __future__ import annotations

from collections.abc import Callable, Iterator

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


def forget_celery_connections() -> None:
    """Celery keeps the broker connections and the queue declarations it made first (on the app
    and in kombu's registry of pools, even when tasks run eagerly): drop them, so that what it
    sends next follows the configuration as it is now."""
    import kombu.pools

    from motcua.celery import app

    kombu.pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.fixture
def broker_down() -> Iterator[Callable[[], None]]:
    """The task broker unreachable: tasks are really sent, to a Redis address where nothing
    listens (connection refused), without Celery's own publish retries. Gives the function that
    brings the broker back (tasks run at once again, as in the other tests)."""
    from motcua.celery import app

    keys = ("broker_url", "task_always_eager", "broker_transport_options", "task_publish_retry")
    before = {key: app.conf[key] for key in keys}

    def back() -> None:
        forget_celery_connections()
        app.conf.update(before)

    forget_celery_connections()
    app.conf.update(
        broker_url="redis://127.0.0.1:9/0",  # the discard port: nothing listens there
        task_always_eager=False,
        broker_transport_options={},
        task_publish_retry=False,
    )
    yield back
    back()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The local cluster (tests/test_local_cluster.py) brings its own PostgreSQL and takes minutes:
    CI runs it once, in its SQLite pass, and leaves it out of the PostgreSQL pass (deselected,
    not skipped, and said so at the start of the run)."""
    import os

    if not (os.environ.get("CI") == "true" and os.environ.get("DATABASE_URL", "").startswith("postgres")):
        return
    left_out = [item for item in items if item.get_closest_marker("cluster")]
    if left_out:
        items[:] = [item for item in items if not item.get_closest_marker("cluster")]
        config.hook.pytest_deselected(items=left_out)
        print(
            f"\n{len(left_out)} local-cluster test(s) left out of the PostgreSQL pass: CI ran them in the SQLite pass."
        )
