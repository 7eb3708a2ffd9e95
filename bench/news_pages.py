"""The news section with 10,000 articles (issue 18):

1. the portal's one search box (``portal.search.search_everything``: procedures, articles,
   documents, events, published answers): latency p50/p95/max in one process, warm indexes, over
   the Vietnamese labelled queries of search_queries.json and words of the section (target p95
   ≤ 25 ms);
2. requests/s under gunicorn (2 workers, production settings, ``MOTCUA_RATELIMIT_ENABLED=false``)
   of an article page, the list page (first and a later page), and the electronic board's figures
   (GET /api/v1/figures/today), beside the bare Django view (/ping) in the same run (targets:
   article and list pages ≥ 0.5 × /ping, the figures ≥ 1,000/s). The pages are kept rendered in
   each worker's cache (news.page_cache) and the warm-up fills it, as visitors would.

The first run makes the 10,000 articles (a few minutes: Wagtail's tree, no revisions) in
``var/bench_news.sqlite3`` unless ``DATABASE_URL`` names another database.

Usage: .venv/bin/python bench/news_pages.py [--articles 10000] [--seconds 10] [--rounds 5]
"""

from __future__ import annotations

import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(__file__).resolve().parent.parent / 'var' / 'bench_news.sqlite3'}"
)

import _setup
from http_throughput import free_port, production_env, python_load, served, wrk_load

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "cải cách hành chính",
    "chuyển đổi số",
    "dịch vụ công trực tuyến",
    "thanh toán trực tuyến",
    "Đề án 06",
    "số hóa hồ sơ",
    "một cửa",
    "chỉ số PAR Index",
    "SIPAS",
    "tập huấn",
    "Nghị định 61/2018",
    "Cà phê số",
]
TOPICS = ["TTHC", "DVC trực tuyến", "số hóa", "thanh toán trực tuyến", "Đề án 06", "chuyển đổi số"]
PLACES = ["Nha Trang", "Cam Ranh", "Ninh Hòa", "Vạn Ninh", "Diên Khánh", "Khánh Vĩnh", "Cam Lâm", "Trường Sa"]


def ensure_articles(total: int) -> int:
    """Articles under the section's list, live, dated over the past years (no revisions: the
    pages themselves are what the benchmark reads)."""
    from django.db import transaction
    from django.utils import timezone

    from news.models import ArticleIndexPage, ArticlePage
    from news.services import revision_bump
    from news.setup import ensure_editorial_setup

    ensure_editorial_setup()
    index = ArticleIndexPage.objects.get(locale__language_code="vi")
    count = ArticlePage.objects.count()
    started = time.perf_counter()
    now = timezone.now()
    while count < total:
        with transaction.atomic():
            for n in range(count, min(total, count + 500)):
                topic = TOPICS[n % len(TOPICS)]
                place = PLACES[n % len(PLACES)]
                when = now - datetime.timedelta(hours=3 * (total - n))
                page = ArticlePage(
                    title=f"{place}: {topic} — kết quả tháng {n % 12 + 1} (tin số {n + 1})",
                    slug=f"tin-so-{n + 1}",
                    summary=f"{place} đẩy mạnh {topic.lower()}, cải cách hành chính; bài số {n + 1}.",
                    live=True,
                    first_published_at=when,
                    last_published_at=when,
                )
                index.add_child(instance=page)
            count = min(total, count + 500)
            revision_bump()
        print(f"  {count} articles ({time.perf_counter() - started:.0f} s)", flush=True)
    return count


def search_latency(rounds: int) -> tuple[float, float, float, int, list[tuple[str, int]]]:
    from portal.search import search_everything

    labelled = json.loads(Path(__file__).with_name("search_queries.json").read_text(encoding="utf-8"))
    queries = [item["q"] for item in labelled if item["lang"] == "vi" and item["expected"]] + WORDS
    search_everything("khai sinh")  # builds the indexes
    timings = []
    for _round in range(rounds):
        for q in queries:
            t0 = time.perf_counter()
            search_everything(q, language="vi")
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    sample = [(q, sum(g.total for g in search_everything(q, language="vi"))) for q in WORDS[:4]]
    p95 = timings[int(len(timings) * 0.95) - 1]
    return statistics.median(timings), p95, timings[-1], len(timings), sample


def main() -> None:
    wanted = int(sys.argv[sys.argv.index("--articles") + 1]) if "--articles" in sys.argv else 10000
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 10
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 5
    procedures = _setup.ensure_catalog()
    from news.demo import load_documents, load_events
    from news.models import ArticlePage, LegalDocument

    if not LegalDocument.objects.exists():
        load_documents()
        load_events()
    articles = ensure_articles(wanted)
    started = time.perf_counter()
    from portal.search import search_everything

    search_everything("khai sinh")
    build = time.perf_counter() - started
    p50, p95, worst, n, sample = search_latency(rounds)
    print(
        f"database: {_setup.database_label()}, procedures: {procedures}, articles: {articles}, "
        f"documents: {LegalDocument.objects.count()}"
    )
    print(
        f"portal search: indexes built in {build:.2f} s; {n} searches, p50 = {p50:.2f} ms, p95 = {p95:.2f} ms, "
        f"max = {worst:.2f} ms (target p95 ≤ 25 ms)"
    )
    print("  results for " + "; ".join(f"{q!r}: {total}" for q, total in sample))

    article = ArticlePage.objects.live().order_by("-first_published_at").first()
    assert article is not None
    targets = ["/ping", article.url, "/tin-tuc/bai-viet/", "/tin-tuc/bai-viet/?trang=40", "/api/v1/figures/today"]
    env = production_env()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    port = int(os.environ.get("MOTCUA_BENCH_PORT") or free_port())
    with served(env, port, warm=targets, rounds=10) as base:
        load = wrk_load if subprocess.run(["which", "wrk"], capture_output=True).returncode == 0 else python_load
        print(f"client: {load.__name__}, {seconds:.0f} s each, gunicorn 2 workers")
        results = {path: load(base + path, seconds) for path in targets}
        for path in targets:
            print(f"{path:45s} {results[path]:8.0f} req/s   ratio to bare view {results[path] / results['/ping']:.2f}")


if __name__ == "__main__":
    main()
