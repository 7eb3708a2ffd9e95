"""Reception of online dossiers by counter officers (tiếp nhận: the code from the unit's daily
sequence, the due date, the history row, the receipt slip) with a million dossiers in the
database, under a production server (gunicorn, 2 workers, production settings), in receptions
per second with wrk, beside the bare Django view (``/ping``) in the same run.

Before measuring, online dossiers are created waiting at the counters of the demo's one-stop
units (``dossiers.generator.generate_awaiting_reception``), and each is then received once, by
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


def main() -> None:
    seconds = _arg("--seconds", 8)
    expected_rate = _arg("--max-rate", 600)
    count = h.ensure_dossiers()
    from django.utils import timezone

    from dossiers.generator import generate_awaiting_reception
    from dossiers.models import Dossier

    needed = int(expected_rate * seconds) + 200
    ids = generate_awaiting_reception(count=needed, seed=int(timezone.now().timestamp()))
    officers = counter_officers()
    cookies: dict[int, str] = {}
    requests = []
    for pk, unit, agency, version in Dossier.objects.filter(pk__in=ids).values_list(
        "pk", "receiving_unit", "processing_agency", "version"
    ):
        officer = officers[(unit, agency)]
        if officer.pk not in cookies:
            cookies[officer.pk] = h.session_cookie(officer, officer=True)
        requests.append((pk, cookies[officer.pk], version))
    urllib.request.install_opener(urllib.request.build_opener(_NoRedirect))
    with h.production_server() as base:
        first_pk, first_cookie, first_version = requests[0]
        api_path = f"/api/v1/officer/dossiers/{first_pk}/receive"
        status = _probe(
            base,
            "POST",
            api_path,
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
        lua = []
        for pk, cookie, version in requests[1:]:
            if use_api:
                lua.append(
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
                lua.append(
                    (
                        "POST",
                        f"/can-bo/ho-so/{pk}/thao-tac/receive/",
                        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
                        f"csrfmiddlewaretoken={h.CSRF_TOKEN}&receive-version={version}",
                    )
                )
        h.header("Reception", count)
        route = "officer API" if use_api else "officer page form (the officer API is not there)"
        print(f"{len(lua)} dossiers waiting at {len(cookies)} counters; through the {route}; wrk {seconds:.0f} s")
        ping = h.wrk(base + "/ping", seconds)
        received = h.wrk(base + "/", seconds, script=h.lua_requests(lua))
        done = Dossier.objects.filter(pk__in=ids, state="received").count()
        print(f"bare Django view {ping.rate:8.0f} req/s")
        print(
            f"reception        {received.rate:8.0f} req/s   ratio to bare view {received.rate / ping.rate:.3f}   "
            f"p99 {received.latency_p99_ms or 0:.0f} ms   errors {received.errors}   (target ≥ 200/s)"
        )
        print(f"dossiers received: {done} (each once; codes from the units' daily sequences)")
        print("after: " + h.machine_load())
    # What the run made is not part of the province's year: the next runs (and the queue
    # benchmark) find the database as it was.
    h.discard_dossiers(ids)


if __name__ == "__main__":
    main()
