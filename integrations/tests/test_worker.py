"""A real Celery worker process, fed through Redis, delivers a citizen's notification: the
transition commits in this process, its on-commit hook puts the task on the broker, and the
worker (another process, on the same database) sends the e-mail to the file backend and marks
the row sent.

Needs Redis on 127.0.0.1:6379 (``MOTCUA_TEST_REDIS_URL`` to use another); without it the test
skips with a notice, and fails under CI=true."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import kombu.pools
import pytest
from django.conf import settings as django_settings
from django.db import connection

from dossiers import services
from dossiers.tests.factories import MONDAY, world
from motcua.celery import app
from notifications.models import Notification

REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


def redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"Redis is not reachable at {REDIS_URL} ({error}): start redis-server to run the worker test."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def broker_queue():
    """This process's Celery app sending to Redis, on a queue of this test's own."""
    redis_or_skip()
    queue = f"motcua-test-{uuid.uuid4().hex[:8]}"
    keys = ("broker_url", "task_always_eager", "task_default_queue", "broker_transport_options")
    before = {key: app.conf[key] for key in keys}
    forget_connections()
    app.conf.update(
        broker_url=REDIS_URL, task_always_eager=False, task_default_queue=queue, broker_transport_options={}
    )
    yield queue
    forget_connections()
    app.conf.update(before)
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete(*(key for key in client.scan_iter(f"*{queue}*")))


def forget_connections() -> None:
    """Celery keeps the broker connections and the queue declarations it made first (on the app
    and in kombu's registry of pools, even when tasks run eagerly): drop them, so that what it
    sends next follows the configuration as it is now."""
    kombu.pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.fixture
def worker(broker_queue, tmp_path):
    mail_dir = tmp_path / "mail"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.settings.dev",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MOTCUA_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "MOTCUA_EMAIL_FILE_PATH": str(mail_dir),
        "MOTCUA_SMS_BACKEND": "integrations.sms.ConsoleSmsBackend",
        "MOTCUA_NATIONAL_PORTAL_URL": "",  # the portal's messages wait in the outbox
        "MOTCUA_SHARED_DATA": str(django_settings.SHARED_DATA_DIR),
    }
    command = [
        str(Path(sys.executable).with_name("celery")),
        "-A",
        "motcua",
        "worker",
        "--pool=solo",
        "-Q",
        broker_queue,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=WARNING",
    ]
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=django_settings.BASE_DIR, env=environment, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            yield mail_dir, process, log
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_reception_notice_by_email(worker):
    mail_dir, process, log = worker
    w = world()
    dossier, _created = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=MONDAY)
    dossier = services.dossier_receive(actor=w.counter, dossier=dossier, now=MONDAY)
    notice = Notification.objects.about(dossier).get(template_key="dossier.receive", channel="email")

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        notice.refresh_from_db()
        if notice.sent_at is not None:
            break
        time.sleep(0.25)
    assert notice.sent_at is not None, f"not delivered; the worker said:\n{log.read_text(errors='replace')}"

    # Django's file backend writes every message one connection sends into one file, each
    # followed by a line of 79 dashes: the submission and reception notices may share a file.
    messages = [
        email.message_from_bytes(chunk.lstrip(b"\n"), policy=email.policy.default)
        for path in mail_dir.iterdir()
        for chunk in path.read_bytes().split(b"-" * 79 + b"\n")
        if chunk.strip()
    ]
    subjects = {str(m["Subject"]).strip() for m in messages}
    assert f"Hồ sơ {dossier.code} đã được tiếp nhận" in subjects
    [received] = [m for m in messages if str(m["Subject"]).strip() == f"Hồ sơ {dossier.code} đã được tiếp nhận"]
    assert str(received["To"]) == w.citizen.email
    assert "06/11/2025" in received.get_body(preferencelist=("plain",)).get_content()
    # The SMS went to the console backend, its number masked.
    assert w.citizen.phone not in log.read_text(errors="replace")
