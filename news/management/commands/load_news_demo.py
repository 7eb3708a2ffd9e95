"""``manage.py load_news_demo``: the news section's demo set (``make run``). Running it again adds
nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from news.demo import load_news_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu chuyên mục Cải cách hành chính: chủ đề, tin bài, infographic, văn bản thật."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_news_demo()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Tin tức CCHC: {result.articles} tin bài, {result.infographics} infographic, "
                f"{result.documents} văn bản, {result.events} sự kiện, {result.index_scores} chỉ số theo năm, "
                f"{result.bulletins} bản tin, {result.topics} chủ đề mới."
            )
