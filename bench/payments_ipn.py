"""VNPay IPN handling under a production server (gunicorn, ``MOTCUA_BENCH_WORKERS`` workers, 2
by default; production settings) on this machine:

1. first IPNs: every request is a different pending transaction made paid — conditional update,
   receipt number, history row, and the dossier moved on through ``dossier_mark_paid``;
2. repeated IPNs (answer 02, nothing changes);
3. fifty concurrent copies of one IPN: exactly one state change and one receipt number.

Load by wrk (Debian package ``wrk``) with a Lua script that sends each signed IPN of a list once;
without wrk, a Python client (slower: it shares the two cores with the server).

Each paid payment enqueues the task that moves its dossier on; the queue is Redis as in a
scaled-out deployment (``BENCH_CELERY_BROKER_URL``, default ``redis://127.0.0.1:6379/15``,
emptied afterwards), and no worker runs during the measurement.

The database is ``var/bench_payments.sqlite3`` unless ``DATABASE_URL`` names another (e.g.
``postgres://postgres@127.0.0.1:5432/motcua_bench_payments``); it is rebuilt on every run.

Usage: .venv/bin/python bench/payments_ipn.py [--seconds 10] [--transactions 8000]
"""

from __future__ import annotations

import datetime
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = ROOT / "var" / "bench_payments.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB_FILE}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.dev")
os.environ["MOTCUA_DEBUG"] = "false"
SECRET = "bench-vnpay-" + "s" * 40
TMN_CODE = "BENCH001"
os.environ["MOTCUA_VNPAY_HASH_SECRET"] = SECRET
os.environ["MOTCUA_VNPAY_TMN_CODE"] = TMN_CODE
(ROOT / "var").mkdir(exist_ok=True)

import django  # noqa: E402

if os.environ["DATABASE_URL"].startswith("sqlite:///"):
    for suffix in ("", "-wal", "-shm"):
        Path(os.environ["DATABASE_URL"].removeprefix("sqlite://") + suffix).unlink(missing_ok=True)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

IPN_PATH = "/api/v1/payments/vnpay/ipn"
BROKER = os.environ.get("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
# gunicorn's sync workers: 2 by default; MOTCUA_BENCH_WORKERS=5 is gunicorn's advice (2 × cores + 1).
WORKERS = int(os.environ.get("MOTCUA_BENCH_WORKERS", "2"))


def empty_queue() -> None:
    """Drop the dossier tasks the run enqueued (no worker consumes them here)."""
    if BROKER.startswith("redis"):
        import redis

        redis.Redis.from_url(BROKER).delete("celery")


def prepare(count: int) -> list[str]:
    """``count`` dossiers waiting for payment, each with a pending VNPay payment; the signed IPN
    path of each. One dossier goes through the real services; the others are copies of it."""
    from django.utils import timezone

    from dossiers.models import ClockStop, Dossier, DossierEvent
    from payments import rules
    from payments.models import Payment, PaymentEvent
    from payments.services import new_reference
    from payments.tests.factories import awaiting, fee_world, pending

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    w = fee_world()
    model = awaiting(w)
    first = pending(w, model)
    event = DossierEvent.objects.get(dossier=model, action="request_payment")
    now = timezone.now()
    paths: list[str] = []
    with transaction.atomic():
        for start in range(0, count, 1000):
            batch = []
            for n in range(start, min(start + 1000, count)):
                copy = Dossier.objects.get(pk=model.pk)
                copy.pk = None
                copy.code = f"{model.code}-{n:06d}"
                batch.append(copy)
            made = Dossier.objects.bulk_create(batch)
            DossierEvent.objects.bulk_create(
                [
                    DossierEvent(
                        dossier=d,
                        at=event.at,
                        actor=event.actor,
                        actor_label=event.actor_label,
                        actor_role=event.actor_role,
                        action=event.action,
                        from_state=event.from_state,
                        to_state=event.to_state,
                    )
                    for d in made
                ]
            )
            ClockStop.objects.bulk_create(
                [ClockStop(dossier=d, reason="payment", started_on=timezone.localdate(now)) for d in made]
            )
            payments = Payment.objects.bulk_create(
                [
                    Payment(
                        dossier=d,
                        reference=new_reference(d),
                        method="vnpay",
                        state="pending",
                        amount_vnd=first.amount_vnd,
                        base_vnd=first.base_vnd,
                        reduction_vnd=first.reduction_vnd,
                        assessment=first.assessment,
                        expires_at=now + datetime.timedelta(hours=2),
                    )
                    for d in made
                ]
            )
            PaymentEvent.objects.bulk_create(
                [PaymentEvent(payment=p, at=now, source="system", to_state="pending") for p in payments]
            )
            for p in payments:
                params = {
                    "vnp_Amount": rules.vnpay_amount(p.amount_vnd),
                    "vnp_BankCode": "NCB",
                    "vnp_OrderInfo": "Nop phi ho so",
                    "vnp_PayDate": "20251103100000",
                    "vnp_ResponseCode": "00",
                    "vnp_TmnCode": TMN_CODE,
                    "vnp_TransactionNo": f"{p.pk:08d}",
                    "vnp_TransactionStatus": "00",
                    "vnp_TxnRef": p.reference,
                }
                params["vnp_SecureHash"] = rules.vnpay_sign(params, SECRET)
                paths.append(f"{IPN_PATH}?{urlencode(params)}")
    connection.close()
    return paths


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def production_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings.production",
        MOTCUA_SECRET_KEY="bench-payments-" + "k" * 60,
        MOTCUA_ALLOWED_HOSTS="localhost,127.0.0.1",
        MOTCUA_OIDC_ISSUER="https://vneid.example.gov.vn",
        MOTCUA_SECURE_SSL_REDIRECT="false",
        MOTCUA_LOG_LEVEL="WARNING",
        MOTCUA_VNPAY_URL="https://pay.vnpay.example.vn/vpcpay.html",
        MOTCUA_PAYGOV_URL="https://paygov.example.gov.vn/api",
        MOTCUA_PAYGOV_SECRET="bench-" + "p" * 30,
        MOTCUA_PAYMENT_CALLBACK_ALLOWLIST="127.0.0.1",
        MOTCUA_RESULTS_SIGNING="pkcs12",
        MOTCUA_RESULTS_PKCS12=str(ROOT / "var" / "bench-keys" / "{agency}.p12"),
        MOTCUA_RATELIMIT_ENABLED="false",
        CELERY_BROKER_URL=BROKER,
    )
    return env


LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  if i > #paths then i = 1 end
  return wrk.format("GET", paths[i], {["Host"] = "localhost"})
end
"""


def wrk_run(base: str, paths: list[str], seconds: float, connections: int = 16) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(folder) / "ipn.lua"
        script.write_text(LUA % listing)
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "-s", str(script), base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"error responses\n{out}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    latency = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", out)
    if rate is None or latency is None:
        raise SystemExit(f"wrk printed no rate\n{out}")
    return float(rate.group(1)), f"mean {latency.group(1)}, max {latency.group(3)}"


def python_run(base: str, paths: list[str], seconds: float, connections: int = 8) -> tuple[float, str]:
    host, port = base.split("//")[1].split(":")
    stop = time.perf_counter() + seconds
    counter = iter(range(10**9))
    lock = threading.Lock()
    done = [0] * connections

    def worker(k: int) -> None:
        conn = http.client.HTTPConnection(host, int(port))
        while time.perf_counter() < stop:
            with lock:
                n = next(counter)
            conn.request("GET", paths[n % len(paths)], headers={"Host": "localhost"})
            conn.getresponse().read()
            done[k] += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - started), "python client"


def answer(base: str, path: str) -> str:
    with urllib.request.urlopen(urllib.request.Request(base + path, headers={"Host": "localhost"})) as response:
        body = response.read().decode()
    return re.search(r'"RspCode": "(\d+)"', body).group(1)  # type: ignore[union-attr]


def main() -> None:
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 10
    count = int(sys.argv[sys.argv.index("--transactions") + 1]) if "--transactions" in sys.argv else 8000
    print(f"preparing {count:,} pending payments...", flush=True)
    paths = prepare(count + 1)
    concurrent_path, paths = paths[0], paths[1:]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "motcua.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=production_env(),
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(urllib.request.Request(base + "/ping", headers={"Host": "localhost"}))
                break
            except OSError:
                time.sleep(0.2)
        load = wrk_run if shutil.which("wrk") else python_run
        print(
            f"database: {connection.vendor}, server: gunicorn {WORKERS} workers, client: {load.__name__}, "
            f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
            flush=True,
        )
        bare, detail = load(base, ["/ping"], seconds)
        print(f"bare Django view (/ping), same server:         {bare:7.0f} req/s ({detail})")

        from payments.models import Payment, Receipt

        rate, detail = load(base, paths, seconds)
        paid = Payment.objects.filter(state="paid").count()
        note = "each transaction once" if paid >= rate * seconds * 0.98 else "list exhausted: some were repeats"
        print(
            f"first IPNs (paid, receipt, dossier task queued): {rate:7.0f} IPN/s ({detail}); {paid:,} paid, {note}; "
            f"ratio to bare view {rate / bare:.2f}"
        )
        rate, detail = load(base, paths[: max(1, paid // 2)], seconds)
        print(f"repeated IPNs (answer 02, nothing changes):   {rate:7.0f} IPN/s ({detail}); ratio {rate / bare:.2f}")

        receipts_before = Receipt.objects.count()
        with ThreadPoolExecutor(max_workers=50) as pool:
            codes = list(pool.map(lambda _n: answer(base, concurrent_path), range(50)))
        reference = re.search(r"vnp_TxnRef=(\w+)", concurrent_path).group(1)  # type: ignore[union-attr]
        changes = (
            Payment.objects.get(reference=reference).events.filter(to_state="paid").exclude(from_state="paid").count()
        )
        print(
            f"50 concurrent copies of one IPN: answers 00×{codes.count('00')}, 02×{codes.count('02')}; "
            f"state changes {changes}, new receipts {Receipt.objects.count() - receipts_before}"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        empty_queue()


if __name__ == "__main__":
    main()
