"""`make run` serves as production serves: gunicorn with the demo settings (the embedded default
and the stand-ins), DEBUG off, static files by WhiteNoise with hashed names; fifty people at once
are all answered."""

from __future__ import annotations

import concurrent.futures
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings.demo",
        DATABASE_URL=f"sqlite:///{folder / 'demo.sqlite3'}",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "motcua.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "8"]
    log = (folder / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [*command, "--worker-class", "gthread"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/ping", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=20)


def get(url: str, **headers: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def test_a_mistyped_host_gets_no_debug_page(server):
    status, _type, body = get(f"{server}/ping", Host="sai-ten-mien.example")
    assert status == 400
    assert b"DisallowedHost" not in body and b"Traceback" not in body and b"ALLOWED_HOSTS" not in body


def test_static_files_are_served_compressed_with_hashed_names(server):
    manifest = (ROOT / "var" / "static" / "staticfiles.json").read_text()
    assert '"css/portal.css"' in manifest
    import json

    hashed = json.loads(manifest)["paths"]["css/portal.css"]
    assert hashed != "css/portal.css"
    status, content_type, _body = get(f"{server}/static/{hashed}", **{"Accept-Encoding": "gzip"})
    assert status == 200 and content_type.startswith("text/css")
    assert get(f"{server}/static/css/khong-co.css")[0] == 404


def test_fifty_people_at_once_are_all_answered(server):
    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(lambda _n: get(f"{server}/ping")[0], range(50)))
    assert statuses == [200] * 50
