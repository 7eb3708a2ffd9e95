"""What one reception costs the web process, in CPU time, apart from how loaded the machine is:
on a machine shared with other work, requests per second follow the others' load, while the
CPU time the process spends per request barely does. Beside it, the bare Django view
(``/ping``) measured the same way, and the statements a reception sends to the database.

Dossiers waiting at the counters are made as for ``dossiers_reception.py``; each is received
once by a counter officer of its unit through the officer API, one after the other, in this
process (Django's test client, no server). The tables are vacuumed and analyzed first, and the
first receptions (warm-up) are not counted.

Usage: .venv/bin/python bench/reception_cost.py [--count 300]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/reception_cost.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from typing import Any

import dossiers_harness as h
from dossiers_reception import TABLES, _requests


def _arg(name: str, default: float) -> float:
    return float(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def main() -> None:
    count = int(_arg("--count", 300))
    warm_up = 30
    total = h.ensure_dossiers()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from demo.generator import generate_awaiting_reception

    ids = generate_awaiting_reception(count=count + warm_up, seed=int(timezone.now().timestamp()))
    h.settle(TABLES)
    state = h.database_state(TABLES)
    requests = _requests(ids)
    client = Client(HTTP_HOST="localhost")

    def receive(pk: int, cookie: str, version: int) -> int:
        for part in cookie.split("; "):
            name, _eq, value = part.partition("=")
            client.cookies[name] = value
        response = client.post(
            f"/api/v1/officer/dossiers/{pk}/receive",
            data=json.dumps({"version": version}),
            content_type="application/json",
            headers={"X-CSRFToken": h.CSRF_TOKEN, "Idempotency-Key": f"bench-{pk}"},
        )
        return response.status_code

    def ping() -> int:
        return client.get("/ping").status_code

    for request in requests[:warm_up]:
        if receive(*request) != 200:
            raise SystemExit(f"the officer API did not receive dossier {request[0]}")
    for _ in range(warm_up):
        ping()
    statements: list[str] = []

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        receive(*requests[warm_up])
    measured = requests[warm_up + 1 :]
    cpu, wall = [], []
    for request in measured:
        c, w = time.process_time(), time.perf_counter()
        status = receive(*request)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
        if status != 200:
            raise SystemExit(f"reception answered {status}")
    ping_cpu, ping_wall = [], []
    for _ in measured:
        c, w = time.process_time(), time.perf_counter()
        ping()
        ping_cpu.append(time.process_time() - c)
        ping_wall.append(time.perf_counter() - w)
    h.header("Reception cost (one process, no server)", total)
    print(f"measured on: {state}")
    print(f"settings: {settings.SETTINGS_MODULE}; {len(measured)} receptions after {warm_up + 1} not counted")
    print(f"statements per reception: {len(statements)}")
    for label, values in (("reception", cpu), ("/ping", ping_cpu)):
        print(f"{label:10} CPU of this process: mean {statistics.mean(values) * 1000:.2f} ms")
    for label, values in (("reception", wall), ("/ping", ping_wall)):
        print(f"{label:10} wall time: median {statistics.median(values) * 1000:.2f} ms")
    print(
        f"CPU ratio /ping ÷ reception: {statistics.mean(ping_cpu) / statistics.mean(cpu):.4f} "
        "(what the throughput ratio would be if the process's CPU were all that counted)"
    )
    print("after: " + h.machine_load())
    h.discard_dossiers(ids)


if __name__ == "__main__":
    main()
