"""Fair limits for one office behind one address (NAT): do 30 people of a ward office, doing their
work, stay within the per-address and per-account budgets?

Replays an hour of a ward office's requests through the real rate-limit middleware
(``common.ratelimit.RateLimitMiddleware.check``, the rules and budgets of the settings in force,
the cache's fixed windows) on a clock of its own, so that an hour takes seconds. Everyone arrives
within the first two minutes (opening time, the worst case for sign-in). The office:

- officers (a third): sign in (password page, password, code page, code: 4 sign-in requests),
  then work signed in: procedure look-ups now and then, scans uploaded (multipart POST);
- citizens submitting (a third): sign in with VNeID (3 requests to /dang-nhap/…), pick a commune
  (API GETs), upload their documents, track the dossier;
- people looking things up without signing in (a third): search with suggestions while typing
  (one request per keystroke pause), read two or three procedures, track a dossier (GET + POST).

Every request comes from one address. Prints, for each scope, the budget, the busiest window of
the office's address and of the busiest account, and the 429 answers; then the same for larger
offices, to show where the first 429 appears.

    .venv/bin/python bench/ratelimit_office.py [--people 30] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.dev")
os.environ.setdefault("MOTCUA_DEBUG", "false")
os.environ.setdefault("MOTCUA_CACHE_URL", "")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from common.ratelimit import RateLimitMiddleware, parse_rate  # noqa: E402

OFFICE = "113.161.7.20"
START = 1_800_000_000.0  # a window boundary
HOUR = 3600.0


@dataclass(frozen=True)
class Step:
    at: float
    method: str
    path: str
    person: int
    signed_in: bool
    multipart: bool = False


@dataclass(frozen=True)
class Account:
    """Who the request is from once signed in: what authentication gives the middleware."""

    pk: int
    is_authenticated: bool = True


def officer(rng: random.Random, person: int) -> list[Step]:
    t = rng.uniform(0, 120)
    steps = []
    for method, path in (
        ("GET", "/can-bo/dang-nhap/"),
        ("POST", "/can-bo/dang-nhap/"),
        ("GET", "/can-bo/xac-thuc/"),
        ("POST", "/can-bo/xac-thuc/"),
    ):
        steps.append(Step(t, method, path, person, signed_in=False))
        t += rng.uniform(2, 8)
    while t < HOUR:
        t += rng.expovariate(1 / 40)  # a page of their own every 40 s on average (not limited)
        if rng.random() < 0.25:
            steps.append(Step(t, "GET", "/thu-tuc/1.001193/", person, signed_in=True))
        if rng.random() < 0.15:
            steps.append(Step(t, "POST", "/can-bo/ho-so/1/so-hoa/", person, signed_in=True, multipart=True))
        if rng.random() < 0.3:
            steps.append(Step(t, "GET", "/api/v1/officer/queues/to_receive", person, signed_in=True))
    return steps


def citizen_submitting(rng: random.Random, person: int) -> list[Step]:
    t = rng.uniform(0, 120)
    steps = []
    while t < HOUR:
        for path in ("/dang-nhap/", "/dang-nhap/vneid/", "/dang-nhap/vneid/callback/"):
            steps.append(Step(t, "GET", path, person, signed_in=False))
            t += rng.uniform(1, 5)
        for _ in range(2):
            steps.append(Step(t, "GET", "/api/v1/communes?province=56", person, signed_in=True))
            t += rng.uniform(3, 10)
        for _ in range(rng.randint(2, 5)):
            steps.append(Step(t, "POST", "/nop-ho-so/1.001193/", person, signed_in=True, multipart=True))
            t += rng.uniform(10, 40)
        steps.append(Step(t, "GET", "/tra-cuu-ho-so/", person, signed_in=True))
        t += rng.uniform(300, 900)  # the next citizen at this desk
    return steps


def looking_up(rng: random.Random, person: int) -> list[Step]:
    t = rng.uniform(0, 120)
    steps = []
    while t < HOUR:
        for _ in range(rng.randint(4, 9)):  # suggestions while typing
            steps.append(Step(t, "GET", "/thu-tuc/goi-y/?q=khai+sinh", person, signed_in=False))
            t += rng.uniform(0.3, 1.5)
        steps.append(Step(t, "GET", "/thu-tuc/?q=khai+sinh", person, signed_in=False))
        for _ in range(rng.randint(2, 3)):
            t += rng.uniform(5, 30)
            steps.append(Step(t, "GET", "/thu-tuc/1.001193/", person, signed_in=False))
        if rng.random() < 0.5:
            t += rng.uniform(5, 20)
            steps.append(Step(t, "GET", "/tra-cuu-ho-so/", person, signed_in=False))
            steps.append(Step(t + rng.uniform(5, 15), "POST", "/tra-cuu-ho-so/", person, signed_in=False))
        t += rng.uniform(60, 240)
    return steps


KINDS = (officer, citizen_submitting, looking_up)


def office_hour(people: int, seed: int) -> list[Step]:
    rng = random.Random(seed)
    steps: list[Step] = []
    for person in range(people):
        steps += KINDS[person % len(KINDS)](rng, person)
    return sorted((s for s in steps if s.at < HOUR), key=lambda s: s.at)


def replay(people: int, seed: int) -> tuple[Counter[int], dict[tuple[str, str], Counter[int]], int]:
    cache.clear()
    middleware = RateLimitMiddleware(lambda request: HttpResponse())
    factory = RequestFactory()
    statuses: Counter[int] = Counter()
    windows: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    steps = office_hour(people, seed)
    for step in steps:
        if step.multipart:
            request = factory.generic(
                step.method, step.path, REMOTE_ADDR=OFFICE, CONTENT_TYPE="multipart/form-data; boundary=x"
            )
        else:
            request = factory.generic(step.method, step.path, REMOTE_ADDR=OFFICE)
        request.user = Account(step.person) if step.signed_in else AnonymousUser()  # type: ignore[assignment]
        rule = next((rule for rule in middleware.rules if rule.matches(request)), None)
        if rule is not None and rule.setting is not None:
            key = f"account:{step.person}" if step.signed_in and rule.per != "address" else "address"
            setting = "RATE_LIMIT_ACCOUNT" if key != "address" and rule.scope == "lookups" else rule.setting
            seconds = parse_rate(getattr(settings, setting)).seconds
            windows[(rule.scope, key)][int((START + step.at) // seconds)] += 1
        refusal = middleware.check(request, now=START + step.at)
        statuses[200 if refusal is None else refusal.status_code] += 1
    return statuses, windows, len(steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    budgets = {
        "signin": settings.RATE_LIMIT_SIGNIN,
        "lookups": f"{settings.RATE_LIMIT_LOOKUPS} per address, {settings.RATE_LIMIT_ACCOUNT} per account",
        "uploads": settings.RATE_LIMIT_UPLOADS,
        "results_verify": settings.RATE_LIMIT_VERIFY,
    }
    statuses, windows, total = replay(args.people, args.seed)
    print(f"{args.people} people of one office behind {OFFICE}, one hour, seed {args.seed}: {total} requests")
    print(f"answers: {dict(sorted(statuses.items()))}")
    scopes = sorted({scope for scope, _key in windows})
    for scope in scopes:
        by_address = max(windows.get((scope, "address"), Counter({0: 0})).values())
        accounts = [max(c.values()) for (s, key), c in windows.items() if s == scope and key != "address"]
        print(
            f"  {scope:8} budget {budgets.get(scope, '?')}: busiest window from the address {by_address}, "
            f"busiest account {max(accounts) if accounts else 0}"
        )
    print("larger offices (same mix), first 429:")
    for people in (60, 120, 240, 480):
        statuses, _windows, total = replay(people, args.seed)
        print(f"  {people:4} people: {total:6} requests, {statuses.get(429, 0)} answered 429")


if __name__ == "__main__":
    main()
