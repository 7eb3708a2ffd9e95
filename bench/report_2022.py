"""Issue 20's annual report at full scale: the generator's 2022 data set (37.448 dossiers received,
half of them online, just over 18 tỷ đồng paid online; 49 tin, bài, 33 infographics and 90 văn bản
of 2022; the 2022 contest with 11.950 lượt người tham gia), then the propaganda report written for
2022, its figures' sentences printed and the time of writing the DOCX.

The first run fills its database (`var/bench_report_2022.sqlite3`, or `DATABASE_URL`); later runs
only write the report again.

Usage: .venv/bin/python bench/report_2022.py [--dossiers 37448] [--paid-online-vnd 18000000000]
       [--participations 11950]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_report_2022.sqlite3'}")

import _setup  # noqa: E402


def _argument(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def main() -> None:
    dossiers = _argument("--dossiers", 37448)
    paid = _argument("--paid-online-vnd", 18_000_000_000)
    participations = _argument("--participations", 11950)
    _setup.ensure_catalog()
    import datetime
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from docx import Document

    from dossiers.models import Dossier
    from reports import documents, services
    from reports.selectors import Scope

    if not Dossier.objects.filter(received_at__year=2022).exists():
        started = time.perf_counter()
        call_command(
            "generate_dossiers",
            year=2022,
            count=dossiers,
            count_received=True,
            online_share=0.5,
            paid_online_vnd=paid,
            now="2023-03-01T09:00:00+07:00",
        )
        call_command("rebuild_figures")
        call_command("load_news_demo", year=2022)
        call_command("load_contest_demo", year=2022, participations=participations)
        print(f"2022 data set loaded in {time.perf_counter() - started:.0f} s")
    analyst, _made = get_user_model().objects.get_or_create(
        username="bench-bao-cao", defaults={"full_name": "Chuyên viên báo cáo"}
    )
    heading = documents.Heading(
        parent_body="Ủy ban nhân dân tỉnh Khánh Hòa",
        body="Văn phòng Ủy ban nhân dân tỉnh",
        number="125/BC-VP",
        place="Khánh Hòa",
        day=datetime.date(2023, 1, 9),
        signer_title="KT. Chánh Văn phòng\nPhó Chánh Văn phòng",
        signer_name="Nguyễn Văn An",
    )
    started = time.perf_counter()
    report = services.report_write(
        actor=analyst,
        kind="propaganda",
        start=datetime.date(2022, 1, 1),
        end=datetime.date(2022, 12, 31),
        scope=Scope(),
        agency_id=None,
        heading=heading,
        pdf=False,
    )
    took = time.perf_counter() - started
    text = [p.text for p in Document(io.BytesIO(bytes(report.docx))).paragraphs]
    for line in text:
        if any(word in line for word in ("đã đăng tải", "Đã có", "lượt người tham gia")):
            print(line)
    print(f"report DOCX written in {took * 1000:.0f} ms ({_setup.database_label()})")


if __name__ == "__main__":
    main()
