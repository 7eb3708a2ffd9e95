"""Published answers (hỏi đáp) in the portal's one search box (common.search)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from common.search import MAX_QUERY_LENGTH, Found, Result, query_words

from .selectors import public_search


def find_answers(query: str, language: str, limit: int) -> Found:
    """Published answers whose public text holds every word of ``query`` (folded), newest first."""
    wanted = " ".join(query_words(query[:MAX_QUERY_LENGTH]))
    if not wanted:
        return Found([], 0)
    found = public_search(query=wanted)
    results = [
        Result(
            item.public_subject,
            reverse("feedback:answer", args=(item.code,)),
            item.public_answer[:300],
            meta=timezone.localtime(item.published_at).strftime("%d/%m/%Y") if item.published_at else "",
        )
        for item in found[:limit]
    ]
    total = len(results) if len(results) < limit else found.count()
    return Found(results, total)
