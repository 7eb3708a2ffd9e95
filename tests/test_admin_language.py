"""The officers' admin speaks Vietnamese: every page of it (the index, and each registered model's
list, add form and an object's change form and history), walked as a superuser, shows no English
interface text — neither Django's own, nor that of the packages it carries (django-axes,
django-otp, django-simple-history), nor a model or field name left in English.

A text is English when it is written in ASCII only and holds a word of the interface strings of
those packages (their message catalogs' English sources) or of the project's model and field
names or of any model's field names (a field shown without a verbose name); identifiers, codes,
numbers and the project's data are not words of those."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from accounts.tests.officers import sign_in_verified

pytestmark = pytest.mark.django_db

PACKAGES = ("django/contrib/admin", "django/contrib/auth", "axes", "django_otp", "simple_history", "taggit", "wagtail")
# Words of those catalogs that are also written in Vietnamese interface text or are names.
NOT_ENGLISH = {
    "web",
    "unknown",
    "can",
    "django",
    "otp",
    "totp",
    "url",
    "email",
    "id",
    "ip",
    "http",
    "https",
    "pdf",
    "docx",
    "xlsx",
    "sms",
}
_WORD = re.compile(r"[A-Za-z]{3,}")
_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def _english_words() -> set[str]:
    """The words of the English interface strings of the admin's packages."""
    import django

    site_packages = Path(django.__file__).parent.parent
    words: set[str] = set()
    for package in PACKAGES:
        for catalog in (site_packages / package).glob("locale/*/LC_MESSAGES/django*.po"):
            for msgid in re.findall(r'^msgid "(.+)"$', catalog.read_text(encoding="utf-8"), flags=re.M):
                words |= {w.lower() for w in _WORD.findall(re.sub(r"%\(\w+\)s|%s|%d|\{\w*\}", " ", msgid))}
    # A model's field shown under its name (no verbose name given) is English too.
    for model in apps.get_models():
        for field in model._meta.get_fields():
            words |= {w.lower() for w in _WORD.findall(field.name.replace("_", " "))}
    return words - NOT_ENGLISH


class _Texts(HTMLParser):
    """The visible texts of a page, and the texts of the attributes people read."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        values = dict(attrs)
        self.texts += [values[a] or "" for a in _ATTRIBUTES if a in values]
        if tag == "input" and values.get("type") in ("submit", "button"):
            self.texts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def _english(html: str, vocabulary: set[str]) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    found = []
    for text in parser.texts:
        if not text.isascii():
            continue
        if {w.lower() for w in _WORD.findall(text)} & vocabulary:
            found.append(text)
    return found


def _pages() -> list[str]:
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        try:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        except NoReverseMatch:
            pass
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[first.pk]))
    return urls


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("quantri", "qt@example.vn", "mat-khau-rat-dai-2026")


def test_no_admin_page_shows_english_interface_text(client, superuser):
    sign_in_verified(client, superuser)
    vocabulary = _english_words()
    assert {"add", "change", "history", "attempts"} <= vocabulary  # the catalogs were read
    english: dict[str, list[str]] = {}
    for url in _pages():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        if response.status_code in (302, 403):  # an action the admin does not offer (add, change)
            continue
        assert response.status_code == 200, url
        found = _english(response.content.decode(), vocabulary)
        if found:
            english[url] = sorted(set(found))
    import json

    open("/tmp/admin_en.json", "w").write(json.dumps(english, ensure_ascii=False, indent=0))
    assert english == {}
