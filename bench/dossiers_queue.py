"""An officer's work queue page (``/can-bo/ho-so/?hang-doi=…``: the counts of every queue and one
page of one queue, least time left first) with a million dossiers in the database, under a
production server (gunicorn, 2 workers, production settings): latency of one officer's requests
one after the other (p50/p99), and throughput with wrk, each beside the bare Django view
(``/ping``) in the same run; then the number of queries of the page, in this process, for pages
1 and 5 of each queue (it must not grow with the page or the queue).

The officers are those with the longest queues: the province centre's counter officer, the
processing officer and the leader with the most dossiers in progress. Sessions are built in the
database as the sign-in with TOTP leaves them.

Usage: .venv/bin/python bench/dossiers_queue.py [--requests 200]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/dossiers_queue.py
Target (issue 4): ≤ 50 ms with a constant number of queries.
"""

from __future__ import annotations

import http.client
import sys
import time
from typing import Any

import dossiers_harness as h

PAGE = "/can-bo/ho-so/"


def _arg(name: str, default: float) -> float:
    return float(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def busiest_officers() -> list[tuple[str, Any, str]]:
    """(label, user, queue) for the officers with the most work."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from dossiers.models import Dossier
    from org.models import Membership

    users = get_user_model().objects
    chosen: list[tuple[str, Any, str]] = []
    counter = (
        Membership.objects.filter(role="counter_officer", valid_to__isnull=True)
        .values("user")
        .annotate(n=Count("agency"))
        .order_by("-n", "user")
        .first()
    )
    if counter:
        chosen.append(("counter officer", users.get(pk=counter["user"]), "to_receive"))
    for role, label, queue in (
        ("processing_officer", "processing officer", "to_process"),
        ("leader", "leader", "to_approve"),
    ):
        top = (
            Dossier.objects.filter(state="in_progress", assignee__memberships__role=role)
            .values("assignee")
            .annotate(n=Count("id"))
            .order_by("-n", "assignee")
            .first()
        )
        if top:
            chosen.append((label, users.get(pk=top["assignee"]), queue))
    return chosen


def sequential(base: str, path: str, cookie: str, n: int) -> list[float]:
    host, port = base.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        conn.request("GET", path, headers={"Host": "localhost", "Cookie": cookie})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def query_counts(user: Any, cookie: str, queue: str) -> list[int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_COOKIE=cookie)
    client.get(PAGE, {"hang-doi": queue}, HTTP_COOKIE=cookie)  # what the process keeps (calendar, filter)
    counts = []
    for page in (1, 5):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PAGE, {"hang-doi": queue, "trang": page}, HTTP_COOKIE=cookie)
        if response.status_code != 200:
            raise SystemExit(f"{PAGE}: HTTP {response.status_code} in process")
        counts.append(len(queries))
    return counts


WAITING_AT_THE_COUNTER = 300


def morning_at_the_counter(officers: list[tuple[str, Any, str]]) -> None:
    """A generated year leaves nothing waiting at the counters; a busy one-stop unit has a
    morning's online submissions there: at least ``WAITING_AT_THE_COUNTER`` in the counter
    officer's queue."""
    from django.utils import timezone

    from demo.generator import generate_awaiting_reception
    from dossiers.selectors import queue_counts

    for label, user, queue in officers:
        if label != "counter officer":
            continue
        for attempt in range(20):
            if queue_counts(user=user)[queue] >= WAITING_AT_THE_COUNTER:
                break
            generate_awaiting_reception(count=200, seed=int(timezone.now().timestamp()) + attempt)


def main() -> None:
    n = int(_arg("--requests", 200))
    count = h.ensure_dossiers()
    officers = busiest_officers()
    morning_at_the_counter(officers)
    sessions = [(label, user, queue, h.session_cookie(user, officer=True)) for label, user, queue in officers]
    with h.production_server() as base:
        for _label, _user, queue, cookie in sessions:
            sequential(base, f"{PAGE}?hang-doi={queue}", cookie, 5)
        h.header("Officer queue page", count)
        ping = sequential(base, "/ping", "", n)

        def pct(times: list[float], p: float) -> float:
            return times[min(len(times) - 1, int(p * len(times)))]

        print(
            f"{n} requests one after the other; bare Django view "
            f"p50 {pct(ping, 0.5):.1f} ms p99 {pct(ping, 0.99):.1f} ms"
        )
        bare_rate = h.wrk(base + "/ping", 5).rate
        for label, user, queue, cookie in sessions:
            from dossiers.selectors import queue_counts

            sizes = queue_counts(user=user)
            times = sequential(base, f"{PAGE}?hang-doi={queue}", cookie, n)
            script = h.lua_requests([("GET", f"{PAGE}?hang-doi={queue}", {"Cookie": cookie}, "")])
            rate = h.wrk(base + "/", 5, script=script).rate
            counts = query_counts(user, cookie, queue)
            print(
                f"{label:18s} {queue:10s} ({sizes[queue]:,} dossiers): p50 {pct(times, 0.5):6.1f} ms  "
                f"p99 {pct(times, 0.99):6.1f} ms  (p50 {pct(times, 0.5) / pct(ping, 0.5):.0f}× bare)  "
                f"{rate:5.0f} req/s (ratio {rate / bare_rate:.3f})  queries page 1/5: {counts[0]}/{counts[1]}"
            )
        print("target: ≤ 50 ms, constant number of queries; after: " + h.machine_load())


if __name__ == "__main__":
    main()
