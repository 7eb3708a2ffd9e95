"""Public tracking of a dossier, ``GET /api/v1/dossiers/{code}/status?check=NNNN``, with a
million dossiers in the database, under a production server (gunicorn, 2 workers, production
settings): latency at a fixed 200 requests a second (open loop, p50/p99 counted from when each
request was due), then throughput with wrk; each beside the bare Django view (``/ping``) measured
the same way in the same run. Codes and check values are drawn at random from the database; one
request in ten carries a wrong check value (a 404 that must cost the same).

Usage: .venv/bin/python bench/dossiers_tracking.py [--rate 200] [--seconds 20]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/dossiers_tracking.py
Target (issue 4): p99 ≤ 50 ms at 200 requests/s.
"""

from __future__ import annotations

import random
import sys
import urllib.request

import dossiers_harness as h


def _arg(name: str, default: float) -> float:
    return float(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def tracking_paths(n: int = 2000) -> list[str]:
    from django.db.models import Max

    from dossiers.models import Dossier

    rng = random.Random(4)
    top = Dossier.objects.aggregate(top=Max("pk"))["top"] or 0
    rows = list(
        Dossier.objects.filter(
            pk__in=[rng.randrange(1, top + 1) for _ in range(3 * n)], code__isnull=False
        ).values_list("code", "applicant_personal_id")[:n]
    )
    paths = []
    for i, (code, personal_id) in enumerate(rows):
        check = personal_id[-4:] if i % 10 else f"{(int(personal_id[-4:]) + 1) % 10000:04d}"
        paths.append(f"/api/v1/dossiers/{code}/status?check={check}")
    return paths


def main() -> None:
    rate, seconds = _arg("--rate", 200), _arg("--seconds", 20)
    count = h.ensure_dossiers()
    paths = tracking_paths()
    with h.production_server() as base:
        for path in paths[:200]:
            try:
                urllib.request.urlopen(urllib.request.Request(base + path, headers={"Host": "localhost"})).read()
            except urllib.error.HTTPError as error:
                if error.code != 404:
                    raise
        h.header("Public tracking", count)
        print(f"{len(paths)} codes; fixed rate {rate:.0f}/s for {seconds:.0f} s, then wrk 10 s", flush=True)

        def found(status: int) -> bool:
            return status in (200, 404)

        bare = h.fixed_rate(base, ["/ping"], rate=rate, seconds=seconds)
        tracked = h.fixed_rate(base, paths, rate=rate, seconds=seconds, ok=found)
        for label, r in (("bare Django view", bare), ("tracking API", tracked)):
            print(
                f"{label:18s} at {r.rate:5.0f}/s: p50 {r.p50_ms:6.1f} ms   p99 {r.p99_ms:6.1f} ms   "
                f"max {r.max_ms:6.1f} ms   errors {r.errors}/{r.sent}"
            )
        print(f"p99 ratio to bare view {tracked.p99_ms / bare.p99_ms:.1f}   (target p99 ≤ 50 ms)")
        ping = h.wrk(base + "/ping", 10)
        valid = [p for i, p in enumerate(paths) if i % 10]
        script = h.lua_requests([("GET", p, {}, "") for p in valid])
        api = h.wrk(base + "/", 10, script=script)
        print(
            f"throughput: bare view {ping.rate:.0f} req/s, tracking {api.rate:.0f} req/s, "
            f"ratio {api.rate / ping.rate:.2f}"
        )
        print("after: " + h.machine_load())


if __name__ == "__main__":
    main()
