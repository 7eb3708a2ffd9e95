"""Requests per second under a production server: gunicorn, 2 workers, production settings
(DEBUG off), on this machine. Each figure is also given as a ratio to a bare Django view
(/ping) served by the same server in the same run. Uses wrk (Debian package) when present,
else a Python client (slower; it shares the 2 cores with the server).

Usage: .venv/bin/python bench/http_throughput.py [--seconds 10] [--total 2000]
Detail pages are cached per catalog revision; MOTCUA_CACHE_URL=dummy:// measures them uncached.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import _setup

ROOT = Path(__file__).resolve().parent.parent
TARGETS = [
    ("bare Django view", "/ping"),
    ("search API", "/api/v1/procedures?q=dang%20ky%20ket%20hon"),
    ("search API", "/api/v1/procedures?q=cap%20lai%20can%20cuoc"),
    ("search page", "/thu-tuc/?q=dang%20ky%20ket%20hon"),
    ("search page", "/thu-tuc/?q=cap%20lai%20can%20cuoc"),
    ("detail page", "/thu-tuc/1.000894/"),
    ("detail API", "/api/v1/procedures/1.001193"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def python_load(url: str, seconds: float, connections: int = 8) -> float:
    import http.client

    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1]
    done = [0] * connections
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(host, int(port))
        while time.perf_counter() < stop:
            conn.request("GET", path, headers={"Host": "localhost"})
            conn.getresponse().read()
            done[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - started)


def wrk_load(url: str, seconds: float) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{int(seconds)}s", "-H", "Host: localhost", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} error responses\n{out}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None:
        raise SystemExit(f"{url}: wrk printed no rate\n{out}")
    return float(rate.group(1))


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a server run with production settings on this machine (no TLS, the
    per-client limits off: one client sends thousands of requests a second here)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings.production",
        MOTCUA_SECRET_KEY="bench-" + "x" * 60,
        MOTCUA_ALLOWED_HOSTS="localhost,127.0.0.1",
        MOTCUA_OIDC_ISSUER="https://vneid.example.gov.vn",
        MOTCUA_SECURE_SSL_REDIRECT="false",
        MOTCUA_LOG_LEVEL="WARNING",
        MOTCUA_RATELIMIT_ENABLED="false",
        **extra,
    )
    return env


@contextlib.contextmanager
def served(env: dict[str, str], port: int, warm: Sequence[str] = (), rounds: int = 20) -> Iterator[str]:
    """gunicorn (2 workers) on ``port`` with ``env``, answering ``/ping``, each of ``warm`` asked
    ``rounds`` times first; yields its base address and stops it afterwards."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    quiet = ["--access-logfile", "/dev/null", "--log-level", "warning"]
    server = subprocess.Popen(
        [gunicorn, "motcua.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", *quiet], cwd=ROOT, env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(urllib.request.Request(base + "/ping", headers={"Host": "localhost"}))
                break
            except OSError:
                time.sleep(0.2)
        for _ in range(rounds):
            for path in warm:
                urllib.request.urlopen(urllib.request.Request(base + path, headers={"Host": "localhost"})).read()
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 10
    total = int(sys.argv[sys.argv.index("--total") + 1]) if "--total" in sys.argv else 2000
    count = _setup.ensure_catalog(total)
    env = production_env()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    # Warm both workers: each builds its search index on first use.
    with served(env, free_port(), warm=[path for _label, path in TARGETS]) as base:
        load = wrk_load if shutil.which("wrk") else python_load
        print(
            f"database: {_setup.database_label()}, procedures: {count}, client: {load.__name__}, {seconds:.0f} s each"
        )
        results = {path: load(base + path, seconds) for _label, path in TARGETS}
        bare = results["/ping"]
        for label, path in TARGETS:
            print(f"{label:18s} {results[path]:8.0f} req/s   ratio to bare view {results[path] / bare:.2f}   {path}")


if __name__ == "__main__":
    main()
