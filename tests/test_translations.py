"""The interface speaks five languages: every message of the catalogs is translated, and the
compiled catalogs are the ones in use."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ["en", "zh_Hans", "ko", "ja"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_message_is_translated(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as f:
        catalog = read_po(f)
    missing = [
        m.id for m in catalog if m.id and (m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string)))
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Administrative procedures"), ("zh-hans", "行政手续"), ("ko", "행정절차"), ("ja", "行政手続き")],
)
def test_compiled_catalogs_are_in_use(language, expected):
    with translation.override(language):
        assert translation.gettext("Thủ tục hành chính") == expected


APP_CATALOGS = sorted(LOCALE.parent.glob("*/locale/*/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("path", APP_CATALOGS, ids=[str(p.relative_to(LOCALE.parent)) for p in APP_CATALOGS])
def test_every_message_of_an_apps_own_catalog_is_translated(path: Path) -> None:
    with path.open("rb") as f:
        catalog = read_po(f)
    assert [m.id for m in catalog if m.id and (m.fuzzy or not m.string)] == []
