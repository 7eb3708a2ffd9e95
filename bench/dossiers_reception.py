"""Reception of online dossiers by counter officers (tiếp nhận: the code from the unit's daily
sequence, the due date, the history row, the receipt slip) with a million dossiers in the
database, under a production server (gunicorn, 2 workers, production settings), in receptions
per second with wrk, beside the bare Django view (``/ping``) in the same run.

Before measuring, online dossiers are created waiting at the counters of the demo's one-stop
units (``demo.generator.generate_awaiting_reception``), and each is then received once, by
a counter officer of its unit, signed in and verified by TOTP (the session is built in the
database as the sign-in leaves it). Through the officer API
(``POST /api/v1/officer/dossiers/{id}/receive``) when the server has it, else through the
officer page's form (``POST /can-bo/ho-so/{id}/thao-tac/receive/``).

Usage: .venv/bin/python bench/dossiers_reception.py [--seconds 8]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/dossiers_reception.py
Target (issue 4): ≥ 200 receptions/s.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from typing import Any

import dossiers_harness as h


def _arg(name: str, default: float) -> float:
    return float(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def counter_officers() -> dict[tuple[int, int], Any]:
    """A counter officer for each (one-stop unit, agency), as the services accept them."""
    from org.models import Membership, OneStopUnit

    found: dict[tuple[int, int], Any] = {}
    served = OneStopUnit.served_agencies.through.objects.values_list("onestopunit_id", "agency_id")
    members = list(
        Membership.objects.filter(role="counter_officer", valid_to__isnull=True, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    for unit, agency in served:
        for m in members:
            if m.agency_id == agency and m.one_stop_unit_id in (None, unit):
                found.setdefault((unit, agency), m.user)
    return found


def _probe(base: str, method: str, path: str, headers: dict[str, str], body: bytes) -> int:
    request = urllib.request.Request(base + path, data=body, method=method, headers={"Host": "localhost", **headers})
    try:
        with urllib.request.urlopen(request) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# What a reception reads and writes, whose state the figure depends on.
TABLES = (
    "dossiers_dossier",
    "dossiers_dossierevent",
    "dossiers_dailysequence",
    "notifications_notification",
    "dossiers_officeridempotency",
    "integrations_syncmessage",
    "django_session",
)


def _requests(ids: list[int]) -> list[tuple[int, str, int]]:
    from dossiers.models import Dossier

    officers = counter_officers()
    cookies: dict[int, str] = {}
    found = []
    for pk, unit, agency, version in Dossier.objects.filter(pk__in=ids).values_list(
        "pk", "receiving_unit", "processing_agency", "version"
    ):
        officer = officers[(unit, agency)]
        if officer.pk not in cookies:
            cookies[officer.pk] = h.session_cookie(officer, officer=True)
        found.append((pk, cookies[officer.pk], version))
    return found


def _lua(requests: list[tuple[int, str, int]], use_api: bool) -> str:
    rows: list[tuple[str, str, dict[str, str], str | bytes]] = []
    for pk, cookie, version in requests:
        if use_api:
            rows.append(
                (
                    "POST",
                    f"/api/v1/officer/dossiers/{pk}/receive",
                    {
                        "Cookie": cookie,
                        "X-CSRFToken": h.CSRF_TOKEN,
                        "Content-Type": "application/json",
                        "Idempotency-Key": f"bench-{pk}",
                    },
                    json.dumps({"version": version}),
                )
            )
        else:
            rows.append(
                (
                    "POST",
                    f"/can-bo/ho-so/{pk}/thao-tac/receive/",
                    {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
                    f"csrfmiddlewaretoken={h.CSRF_TOKEN}&receive-version={version}",
                )
            )
    return h.lua_requests(rows)


def _received(ids: list[int]) -> int:
    from dossiers.models import Dossier

    return Dossier.objects.filter(pk__in=ids, state="received").count()


def _spread(values: list[float], digits: int = 0) -> str:
    ordered = sorted(values)
    middle = ordered[len(ordered) // 2]
    return f"median {middle:.{digits}f}, {ordered[0]:.{digits}f}–{ordered[-1]:.{digits}f}"


def main() -> None:
    seconds = _arg("--seconds", 8)
    runs = int(_arg("--runs", 3))
    expected_rate = _arg("--max-rate", 400)
    as_is = "--as-is" in sys.argv
    count = h.ensure_dossiers()
    from django.utils import timezone

    from demo.generator import generate_awaiting_reception

    # Each run receives its own dossiers (a dossier is received once); the warm-up has its own.
    per_run = int(expected_rate * seconds) + 100
    warm_up = 200
    ids = generate_awaiting_reception(count=warm_up + per_run * runs, seed=int(timezone.now().timestamp()))
    if not as_is:
        h.settle(TABLES)
    state = h.database_state(TABLES)
    requests = _requests(ids)
    chunks = [requests[:warm_up]] + [requests[warm_up + i * per_run : warm_up + (i + 1) * per_run] for i in range(runs)]
    urllib.request.install_opener(urllib.request.build_opener(_NoRedirect))
    with h.production_server() as base:
        first_pk, first_cookie, first_version = chunks[0][0]
        status = _probe(
            base,
            "POST",
            f"/api/v1/officer/dossiers/{first_pk}/receive",
            {
                "Cookie": first_cookie,
                "X-CSRFToken": h.CSRF_TOKEN,
                "Content-Type": "application/json",
                "Idempotency-Key": f"bench-{first_pk}",
            },
            json.dumps({"version": first_version}).encode(),
        )
        use_api = status in (200, 201)
        if not use_api:
            form = f"csrfmiddlewaretoken={h.CSRF_TOKEN}&receive-version={first_version}".encode()
            status = _probe(
                base,
                "POST",
                f"/can-bo/ho-so/{first_pk}/thao-tac/receive/",
                {"Cookie": first_cookie, "Content-Type": "application/x-www-form-urlencoded"},
                form,
            )
            if status != 302:
                raise SystemExit(f"the officer page did not receive the dossier (HTTP {status})")
        h.header("Reception", count)
        print(f"measured on: {state}")
        print(f"broker: {_broker()}")
        route = "officer API" if use_api else "officer page form (the officer API is not there)"
        print(
            f"through the {route}; {runs} runs of wrk {seconds:.0f} s, each beside /ping measured just before; "
            f"{per_run} dossiers waiting per run, {len({c for _p, c, _v in requests})} counter officers"
        )
        # Warm-up: every worker has imported, connected and prepared its statements.
        h.wrk(base + "/ping", 2)
        h.wrk(base + "/", 2, script=_lua(chunks[0][1:], use_api))
        rates, ratios, pings = [], [], []
        for n, chunk in enumerate(chunks[1:], start=1):
            load = h.machine_load()
            ping = h.wrk(base + "/ping", seconds)
            result = h.wrk(base + "/", seconds, script=_lua(chunk, use_api))
            received = _received([pk for pk, _c, _v in chunk])
            # Dossiers received, not answers: a request past the run's dossiers would be a replay.
            rate = received / seconds
            rates.append(rate)
            pings.append(ping.rate)
            ratios.append(rate / ping.rate)
            print(
                f"run {n}: /ping {ping.rate:6.0f} req/s; reception {rate:6.1f}/s ({received} received, wrk "
                f"{result.rate:.1f} answers/s, p99 {result.latency_p99_ms or 0:.0f} ms, errors {result.errors}); "
                f"ratio {rate / ping.rate:.4f}; {load}"
            )
            if received >= len(chunk) - 10:
                print(f"  (every dossier of the run was received: raise --max-rate above {expected_rate:.0f})")
        print(f"/ping      {_spread(pings)} req/s")
        print(f"reception  {_spread(rates, 1)} receptions/s   (target ≥ 200/s)")
        print(f"ratio      {_spread(ratios, 4)} × /ping")
        print("after: " + h.machine_load())
    # What the run made is not part of the province's year: the next runs (and the queue
    # benchmark) find the database as it was.
    h.discard_dossiers(ids)


def _broker() -> str:
    from django.conf import settings

    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem"):
        return "a folder of the server's own, empty at the start (Celery's filesystem transport)"
    return url.split("://")[0] + " (CELERY_BROKER_URL)"


if __name__ == "__main__":
    main()
