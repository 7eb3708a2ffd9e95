"""No link on an officer's pages leads nowhere: for each officer role (counter, processing,
leader), every link of the work queues and of the dossier page of a dossier in each of several
states is followed, and none answers 404 or 500."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from documents import services as documents
from documents.models import Purpose
from documents.tests.samples import pdf
from dossiers.rules import State
from dossiers.selectors import Queue
from org.tests.factories import admin_login

from .factories import walk_to, world

pytestmark = pytest.mark.django_db

STATES = (
    State.SUBMITTED,
    State.NOT_RECEIVED,
    State.RECEIVED,
    State.IN_PROGRESS,
    State.SUPPLEMENT_REQUESTED,
    State.AWAITING_PAYMENT,
    State.DONE,
    State.RETURNED,
)
# Links that change the session rather than show a page.
LEAVE_ALONE = ("/dang-xuat", "/i18n/", "/admin/logout")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    internal = []
    for href in parser.found:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if not url or parts.scheme or parts.netloc or url.startswith(("mailto:", "tel:")):
            continue
        if any(marker in parts.path for marker in LEAVE_ALONE):
            continue
        internal.append(url)
    return sorted(set(internal))


def test_every_link_of_the_queues_and_the_dossier_pages_answers_for_every_officer_role() -> None:
    w = world()
    dossiers = [walk_to(w, state) for state in STATES]
    slot = w.version.documents.first()
    stored = documents.file_store(data=pdf(text="To khai"), name="to-khai.pdf", actor=w.citizen)
    documents.dossier_file_attach(
        dossier=dossiers[3], stored_file=stored, required_document=slot, purpose=Purpose.SUBMITTED,
        name="to-khai.pdf", actor=w.citizen,
    )  # fmt: skip
    broken: list[tuple[str, str, str, int]] = []
    walked = 0
    for role, user in (("counter", w.counter), ("processing", w.processor), ("leader", w.leader)):
        client = Client()
        admin_login(client, user)
        pages = [f"/can-bo/ho-so/?hang-doi={queue}" for queue in Queue.ALL]
        pages += [f"/can-bo/ho-so/{d.pk}/" for d in dossiers]
        seen: dict[str, int] = {}
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (role, page, response.status_code)
            for link in links_of(response.content.decode()):
                if link not in seen:
                    seen[link] = client.get(link).status_code
                    walked += 1
                if seen[link] in (404, 500):
                    broken.append((role, page, link, seen[link]))
    assert broken == [], "\n".join(map(str, broken))
    assert walked > 50  # the walk really went through the pages' links


def test_the_walker_finds_a_broken_link() -> None:
    html = '<a href="/can-bo/ho-so/999999999/">x</a><a href="#top">y</a><a href="https://example.vn/">z</a>'
    assert links_of(html) == ["/can-bo/ho-so/999999999/"]
    client = Client()
    admin_login(client, world().counter)
    assert client.get(links_of(html)[0]).status_code == 404
