"""``manage.py load_news_demo``: the news section's demo set (``make run``). ``--year 2022`` instead
tops that year up to 49 tin, bài, 33 infographics and 90 văn bản (the annual report's figures;
``--articles``, ``--infographics``, ``--documents`` change them). Running it again adds nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from news.demo import load_news_demo, load_news_year


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu chuyên mục Cải cách hành chính: chủ đề, tin bài, infographic, văn bản thật."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="Nạp tin bài, văn bản của một năm đã qua.")
        parser.add_argument("--articles", type=int, default=49, help="Số tin, bài của năm (với --year).")
        parser.add_argument("--infographics", type=int, default=33, help="Số infographic của năm (với --year).")
        parser.add_argument("--documents", type=int, default=90, help="Số văn bản của năm (với --year).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["year"]:
            year = load_news_year(
                year=options["year"],
                articles=options["articles"],
                infographics=options["infographics"],
                documents=options["documents"],
            )
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"Năm {options['year']}: thêm {year.articles} tin bài, {year.infographics} infographic, "
                    f"{year.documents} văn bản."
                )
            return
        result = load_news_demo()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Tin tức CCHC: {result.articles} tin bài, {result.infographics} infographic, "
                f"{result.documents} văn bản, {result.events} sự kiện, {result.index_scores} chỉ số theo năm, "
                f"{result.bulletins} bản tin, {result.topics} chủ đề mới."
            )
