"""Shared by the dossier benchmarks (``bench/dossiers_*.py``): a database with the demo catalog
and a million generated dossiers, a production server (gunicorn, ``MOTCUA_BENCH_WORKERS``
workers, 2 by default; production settings) on it, signed-in sessions built in the database as
the sign-in would leave them, and two load clients: wrk for throughput and a fixed-rate client for latency.

The database is ``var/bench_dossiers.sqlite3`` unless ``DATABASE_URL`` names another (e.g.
``postgres://postgres@127.0.0.1:5432/motcua_bench``). ``MOTCUA_BENCH_DOSSIERS`` sets how many
dossiers it must hold (default 1,000,000; generated once, for the current year, which takes a
while: see ``manage.py generate_dossiers``)."""

from __future__ import annotations

import bisect
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_dossiers.sqlite3'}")
# The sessions built here must be read by the server: same signing key on both sides.
SECRET_KEY = "bench-dossiers-" + "k" * 60
os.environ["MOTCUA_SECRET_KEY"] = SECRET_KEY

import _setup  # noqa: E402

DOSSIERS = int(os.environ.get("MOTCUA_BENCH_DOSSIERS", "1000000"))
# gunicorn's sync workers: 2 by default (one per core); MOTCUA_BENCH_WORKERS=5 is gunicorn's own
# advice for this machine (2 × cores + 1), which keeps the cores busy while a worker waits for
# PostgreSQL.
WORKERS = int(os.environ.get("MOTCUA_BENCH_WORKERS", "2"))


def ensure_dossiers(total: int = DOSSIERS) -> int:
    """The demo catalog, and generated dossiers up to ``total`` (for the current year)."""
    from django.utils import timezone

    from demo.generator import generate_dossiers
    from dossiers.models import Dossier

    _setup.ensure_catalog()
    count = Dossier.objects.count()
    if count < total:
        print(f"generating {total - count:,} dossiers (once)...", flush=True)
        generate_dossiers(year=timezone.localdate().year, count=total - count, seed=count)
        count = Dossier.objects.count()
    return count


def discard_dossiers(ids: Sequence[int]) -> None:
    """Delete dossiers a benchmark made for itself, history included: the history is append-only
    (``common.models``), so its rows go by a raw delete that only a benchmark may use."""
    from django.db import transaction

    from dossiers.models import Dossier, DossierEvent, DossierSlip

    with transaction.atomic():
        for start in range(0, len(ids), 5000):
            batch = ids[start : start + 5000]
            DossierSlip.objects.filter(dossier_id__in=batch)._raw_delete(DossierSlip.objects.db)
            DossierEvent.objects.filter(dossier_id__in=batch)._raw_delete(DossierEvent.objects.db)
            Dossier.objects.filter(pk__in=batch).delete()


def production_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings.production",
        MOTCUA_SECRET_KEY=SECRET_KEY,
        MOTCUA_ALLOWED_HOSTS="localhost,127.0.0.1",
        MOTCUA_OIDC_ISSUER="https://vneid.example.gov.vn",
        MOTCUA_SECURE_SSL_REDIRECT="false",
        MOTCUA_LOG_LEVEL="WARNING",
        # Production refuses to start without the real gateways' addresses and secrets; none is
        # called by the pages measured here.
        MOTCUA_VNPAY_URL="https://pay.vnpay.example.vn/vpcpay.html",
        MOTCUA_VNPAY_HASH_SECRET="bench-" + "v" * 30,
        MOTCUA_PAYGOV_URL="https://paygov.example.gov.vn/api",
        MOTCUA_PAYGOV_SECRET="bench-" + "p" * 30,
        MOTCUA_RESULTS_SIGNING="pkcs12",
        MOTCUA_RESULTS_PKCS12=str(ROOT / "var" / "bench-keys" / "{agency}.p12"),
        # One client sends thousands of requests a second from one address: the per-client
        # limits would answer 429.
        MOTCUA_RATELIMIT_ENABLED="false",
    )
    return env


def free_port() -> int:
    """``MOTCUA_BENCH_PORT`` when set (on a machine shared with others, a port of one's own
    range), else any free port."""
    fixed = os.environ.get("MOTCUA_BENCH_PORT")
    if fixed:
        return int(fixed)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def production_server(workers: int = WORKERS) -> Iterator[str]:
    """gunicorn with the production settings on a free port; yields its base URL. With the
    default broker (a folder), the server's tasks go to a folder of its own, empty at the start
    and removed at the end: no worker takes them, and the ``var/broker`` of ``make run`` neither
    grows with a benchmark's tasks nor has a worker run them later."""
    env = production_env()
    broker = None
    if env.get("CELERY_BROKER_URL", "filesystem://").startswith("filesystem"):
        broker = tempfile.mkdtemp(prefix="motcua-bench-broker-")
        env["MOTCUA_BROKER_DIR"] = broker
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "motcua.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(urllib.request.Request(base + "/ping", headers={"Host": "localhost"}))
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if broker is not None:
            shutil.rmtree(broker, ignore_errors=True)


# --- Sessions --------------------------------------------------------------------------------

CSRF_TOKEN = "benchcsrf" + "0" * 23  # 32 characters: Django's unmasked secret format


def session_cookie(user: Any, *, officer: bool = False) -> str:
    """A ``Cookie`` header for ``user`` signed in; officers also verified by their authenticator
    (as ``accounts`` leaves an officer's session after the TOTP step)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "accounts.backends.AccountBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if officer:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.officer_services import LAST_SEEN_KEY

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="bench", confirmed=True
        )
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        # Far ahead: the officer stays active for the whole run.
        store[LAST_SEEN_KEY] = int(time.time()) + 3600
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}"


# --- Load clients ----------------------------------------------------------------------------


@dataclass
class WrkResult:
    rate: float
    errors: int
    latency_p99_ms: float | None
    output: str


def wrk(url: str, seconds: float, *, script: str | None = None, connections: int = 8) -> WrkResult:
    """Closed-loop throughput with wrk (2 threads). ``script`` is Lua defining ``request()``."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    args = ["wrk", "-t2", f"-c{connections}", f"-d{int(seconds)}s", "--latency", "-H", "Host: localhost"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script or "")
    if script:
        args += ["-s", f.name]
    try:
        out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None:
        raise SystemExit(f"{url}: wrk printed no rate\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"Socket errors: .*timeout (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99_ms = None
    if p99:
        p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    failed = (int(errors.group(1)) if errors else 0) + (int(timeouts.group(1)) if timeouts else 0)
    return WrkResult(float(rate.group(1)), failed, p99_ms, out)


def lua_bytes(value: bytes) -> str:
    """A Lua string literal holding ``value`` exactly (binary parts as decimal escapes)."""
    out = []
    for byte in value:
        if 32 <= byte < 127 and byte not in (34, 92):
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def lua_string(value: str) -> str:
    return lua_bytes(value.encode())


def lua_requests(requests: Sequence[tuple[str, str, dict[str, str], str | bytes]], *, threads: int = 2) -> str:
    """A wrk script sending ``requests`` (method, path, headers, body): the list is split between
    the threads, each going through its share in order (so that, within one share's length,
    every request is sent once: a dossier is received once)."""
    rows = []
    for method, path, headers, body in requests:
        head = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        literal = lua_bytes(body) if isinstance(body, bytes) else lua_string(body)
        rows.append(f"  {{{lua_string(method)}, {lua_string(path)}, {{{head}}}, {literal}}},")
    return (
        "local requests = {\n" + "\n".join(rows) + "\n}\n"
        f"local threads, counter = {threads}, 0\n"
        "function setup(thread) thread:set('id', counter); counter = counter + 1 end\n"
        "local first, size, i = 0, 0, 0\n"
        "function init(args)\n"
        "  size = math.max(1, math.floor(#requests / threads))\n"
        "  first = ((tonumber(id) or 0) * size) % #requests\n"
        "end\n"
        "function request()\n"
        "  local r = requests[first + (i % size) + 1]\n"
        "  i = i + 1\n"
        "  return wrk.format(r[1], r[2], r[3], r[4])\n"
        "end\n"
    )


@dataclass
class FixedRateResult:
    rate: float
    sent: int
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float


def fixed_rate(
    base: str, paths: Sequence[str], *, rate: float, seconds: float, ok: Callable[[int], bool] = lambda s: s == 200
) -> FixedRateResult:
    """Open-loop load: request ``i`` is due at ``start + i / rate`` whatever happened before, and
    its latency counts from that moment (no coordinated omission: a slow answer delays the
    ones behind it, and they count the wait). 32 threads keep one connection each."""
    host, port = base.split("//")[1].split(":")
    total = int(rate * seconds)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    next_index = [0]
    start = time.perf_counter() + 0.2

    def worker() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= total:
                break
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            try:
                conn.request("GET", paths[i % len(paths)], headers={"Host": "localhost"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
                status = 0
            elapsed = time.perf_counter() - due
            with lock:
                bisect.insort(latencies, elapsed)
                if not ok(status):
                    errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - start

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return FixedRateResult(total / took, total, errors[0], pct(0.50), pct(0.99), latencies[-1] * 1000)


def machine_load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def database_state(tables: Sequence[str]) -> str:
    """What a figure on this database depends on beside the code: the engine and its version,
    and for each table its rows and when it was last vacuumed and analyzed (PostgreSQL), or the
    file's free pages and whether ``ANALYZE`` has run (SQLite)."""
    from django.db import connection

    tables = _existing(tables)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute(
                "SELECT relname, n_live_tup, n_dead_tup, GREATEST(last_vacuum, last_autovacuum),"
                " GREATEST(last_analyze, last_autoanalyze) FROM pg_stat_user_tables WHERE relname = ANY(%s)"
                " ORDER BY relname",
                [list(tables)],
            )
            parts = [
                f"{name} {live:,} rows, {dead:,} dead, vacuumed {_ago(vacuumed)}, analyzed {_ago(analyzed)}"
                for name, live, dead, vacuumed, analyzed in cursor.fetchall()
            ]
            return f"PostgreSQL {version}; " + "; ".join(parts)
        cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA freelist_count")
        free = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        analyzed = bool(cursor.fetchone()[0])
        counts = []
        for name in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")
            counts.append(f"{name} {cursor.fetchone()[0]:,} rows")
        return (
            f"SQLite {version}; {pages:,} pages, {free:,} free; {'analyzed' if analyzed else 'never analyzed'}; "
            + "; ".join(counts)
        )


def _existing(tables: Sequence[str]) -> list[str]:
    from django.db import connection

    present = set(connection.introspection.table_names())
    return [name for name in tables if name in present]


def _ago(moment: Any) -> str:
    if moment is None:
        return "never"
    from django.utils import timezone

    return f"{(timezone.now() - moment).total_seconds() / 60:.0f} min ago"


def settle(tables: Sequence[str]) -> None:
    """Bring the tables to one state whatever came before (a fresh load, runs that deleted what
    they made): ``VACUUM ANALYZE`` on PostgreSQL, ``ANALYZE`` on SQLite."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in _existing(tables):
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(name)}")
        else:
            cursor.execute("ANALYZE")


def header(title: str, count: int) -> None:
    print(
        f"{title} — database: {_setup.database_label()}, dossiers: {count:,}; gunicorn {WORKERS} workers; "
        f"{machine_load()}",
        flush=True,
    )
