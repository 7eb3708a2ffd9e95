"""The task queue (Celery). Tasks live in each app's ``tasks.py`` as ``@shared_task`` functions
and are enqueued after the transaction that causes them commits (``common.tasks.enqueue_on_commit``;
in a request, all of them in one message once the answer has gone out). Each is first recorded
in that transaction (``common.PendingTask``), so a message lost (broker down, a process that died)
is sent again by the periodic ``common.redrive_tasks``, never lost.

Broker by configuration (``CELERY_BROKER_URL``): Redis in production; by default a folder on
local disk, so that ``make run`` needs no other server.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.dev")

app = Celery("motcua")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
