"""Fair limits over the whole stack: a minute of a ward office's 30 people behind one address (NAT),
in real time, through every middleware and view (Django's test client in 30 threads), with the
rate limits of the settings in force. How many of their requests are answered 429?

Everyone arrives in the first ten seconds (opening time, the worst case for sign-in):

- 10 officers sign in for real (sign-in page, password, second-step page, authenticator code),
  then work: their queue of dossiers, a dossier search, procedure look-ups in the API;
- 10 citizens sign in with VNeID (the portal's button, the provider's consent at VNeID's own
  address, the portal's callback), then read a procedure, pick a commune (API), open their
  dossiers and their account (API);
- 10 people look procedures up without signing in: suggestions while typing (one request per
  pause), the results page, two procedures, a dossier tracked by code.

Each pauses 1 to 4 seconds between requests (people reading). Every request to the portal
comes from 113.161.7.20. Prints the requests and answers by kind, the 429s, and the office's
requests in the minute beside the per-address and per-account budgets.

    .venv/bin/python bench/office_minute.py [--people 30] [--seconds 60] [--seed 1]

The first run prepares ``var/bench_office.sqlite3`` (migrations, the demo catalog); prefix with
``DATABASE_URL=postgres://…`` for PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_office.sqlite3'}")
os.environ.setdefault("MOTCUA_CACHE_URL", "")

from _setup import database_label, ensure_catalog  # noqa: E402  (Django settings)
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

OFFICE = "113.161.7.20"
VNEID = "203.162.4.190"  # the provider's own site: not the portal's traffic
PASSWORD = "mat-khau-can-bo-2026"
QUERIES = ["khai sinh", "đăng ký kết hôn", "cấp bản sao", "chứng thực", "hộ kinh doanh", "xây dựng nhà ở"]


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.answers: Counter[tuple[str, int]] = Counter()
        self.refused: list[str] = []
        self.errors: list[str] = []

    def count(self, kind: str, path: str, status: int) -> None:
        with self.lock:
            self.answers[(kind, status)] += 1
            if status == 429:
                self.refused.append(f"{kind} {path}")


class Person:
    def __init__(self, kind: str, n: int, tally: Tally, rng: random.Random, until: float) -> None:
        self.kind, self.n, self.tally, self.rng, self.until = kind, n, tally, rng, until
        self.client = Client(REMOTE_ADDR=OFFICE)

    def get(self, path: str, data: dict[str, Any] | None = None) -> Any:
        answer = self.client.get(path, data or {})
        self.tally.count(self.kind, path, answer.status_code)
        return answer

    def post(self, path: str, data: dict[str, Any]) -> Any:
        answer = self.client.post(path, data)
        self.tally.count(self.kind, path, answer.status_code)
        return answer

    def pause(self, low: float = 1.0, high: float = 4.0) -> bool:
        time.sleep(self.rng.uniform(low, high))
        return time.monotonic() < self.until

    def csrf(self, page: Any) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        return found.group(1) if found else ""

    def run(self) -> None:
        try:
            time.sleep(self.rng.uniform(0, 10))
            getattr(self, self.kind)()
        except Exception as error:  # noqa: BLE001 - counted and shown
            with self.tally.lock:
                self.tally.errors.append(f"{self.kind} {self.n}: {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    # --- The three kinds of people ----------------------------------------------------------

    def officer(self) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.tests.officers import totp_code

        username = f"canbo.bench{self.n:02d}"
        page = self.get("/can-bo/dang-nhap/")
        self.pause(2, 5)  # typing the password
        self.post(
            "/can-bo/dang-nhap/", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf(page)}
        )
        page = self.get("/can-bo/xac-thuc/")
        self.pause(3, 6)  # taking out the phone
        key = TOTPDevice.objects.get(user__username=username).key
        done = self.post("/can-bo/xac-thuc/", {"code": totp_code(key), "csrfmiddlewaretoken": self.csrf(page)})
        if done.status_code != 302:
            raise RuntimeError(f"second step answered {done.status_code}")
        while self.pause():
            step = self.rng.random()
            if step < 0.4:
                self.get("/can-bo/ho-so/")
            elif step < 0.7:
                self.get("/can-bo/ho-so/", {"q": self.rng.choice(["2025", "khai sinh", "Nguyễn"])})
            else:
                self.get("/api/v1/procedures", {"q": self.rng.choice(QUERIES), "limit": 10})

    def citizen(self) -> None:
        from idp.citizens import CITIZENS

        person = CITIZENS[self.n % len(CITIZENS)]
        started = self.get("/dang-nhap/vneid/")
        authorize = urlsplit(started["Location"])
        params = {name: values[0] for name, values in parse_qs(authorize.query).items()}
        at_vneid = Client(REMOTE_ADDR=VNEID)  # the consent happens on VNeID's site
        page = at_vneid.get(authorize.path, params)
        self.pause(3, 6)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        form = {**params, "citizen": person.subject, "acr": "LoA2", "decision": "allow"}
        consent = at_vneid.post(authorize.path, {**form, "csrfmiddlewaretoken": token.group(1) if token else ""})
        callback = urlsplit(consent["Location"])
        back = self.get(f"{callback.path}?{callback.query}")
        if back.status_code != 302:
            raise RuntimeError(f"VNeID callback answered {back.status_code}")
        while self.pause():
            step = self.rng.random()
            if step < 0.3:
                self.get(f"/thu-tuc/{self.rng.choice(self.codes)}/")
            elif step < 0.55:
                self.get("/api/v1/communes", {"limit": 50})
            elif step < 0.8:
                self.get("/ho-so-cua-toi/")
            else:
                self.get("/api/v1/me")

    def anonymous(self) -> None:
        while True:
            query = self.rng.choice(QUERIES)
            for end in range(3, len(query) + 1, 3):  # a suggestion each pause in typing
                self.get("/api/v1/procedures/suggest", {"q": query[:end]})
                time.sleep(self.rng.uniform(0.3, 0.8))
            self.get("/thu-tuc/", {"q": query})
            if not self.pause():
                return
            for code in self.rng.sample(self.codes, 2):
                self.get(f"/thu-tuc/{code}/")
                if not self.pause():
                    return
            self.get("/tra-cuu-ho-so/", {"ma": f"000.00.01.H41-251103-{self.rng.randint(1, 9999):04d}"})
            if not self.pause():
                return

    codes: list[str] = []


def prepare(officers: int) -> list[str]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from catalog.models import Procedure
    from org.models import Agency, Membership, Role

    ensure_catalog()
    ward = Agency.objects.order_by("code")[0]
    for n in range(officers):
        username = f"canbo.bench{n:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, f"{username}@motcua.example", PASSWORD, kind="officer")
            TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
            Membership.objects.create(user=user, agency=ward, role=Role.COUNTER_OFFICER)
    return list(Procedure.objects.order_by("code").values_list("code", flat=True)[:200])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    third = args.people // 3
    kinds = ["officer"] * third + ["citizen"] * third + ["anonymous"] * (args.people - 2 * third)
    Person.codes = prepare(third)
    from idp.testing import provider_in_process

    tally = Tally()
    overrides = override_settings(
        ALLOWED_HOSTS=["*"],
        OIDC_ISSUER="http://testserver/idp",
        LOCAL_IDP_ISSUER="",
        OIDC_CLIENT_ID="motcua-dev",
        OIDC_CLIENT_SECRET="motcua-dev-secret",
    )
    cache.clear()
    with overrides, provider_in_process():
        until = time.monotonic() + args.seconds
        people = [Person(kind, n, tally, random.Random(args.seed * 1000 + n), until) for n, kind in enumerate(kinds)]
        threads = [threading.Thread(target=p.run) for p in people]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.monotonic() - started
    total = sum(tally.answers.values())
    print(f"{args.people} people of one office behind {OFFICE}, {took:.0f} s ({database_label()}): {total} requests")
    for kind in ("officer", "citizen", "anonymous"):
        answers = {status: n for (k, status), n in sorted(tally.answers.items()) if k == kind}
        print(f"  {kind:9} {sum(answers.values()):5} requests, answers {answers}")
    print(f"answered 429: {len(tally.refused)}" + (f" (first: {tally.refused[:5]})" if tally.refused else ""))
    print(
        f"budgets: look-ups {settings.RATE_LIMIT_LOOKUPS} per address, {settings.RATE_LIMIT_ACCOUNT} per account, "
        f"sign-in {settings.RATE_LIMIT_SIGNIN} per address, uploads {settings.RATE_LIMIT_UPLOADS}"
    )
    if tally.errors:
        print("errors:", *tally.errors[:10], sep="\n  ")
    sys.exit(1 if tally.refused or tally.errors else 0)


if __name__ == "__main__":
    main()
