"""Message templates are data in five languages: every app's ``message_templates/<language>.toml``
parses, and every template exists in all five languages with the same placeholders, so that no
translation drops a due date or prints a placeholder of its own."""

from __future__ import annotations

import pytest
from django.conf import settings

from notifications.messages import compose, template_files, templates
from notifications.rules import template_placeholders

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def test_the_portal_speaks_the_five_languages():
    assert LANGUAGES == ["vi", "en", "zh-hans", "ko", "ja"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_app_with_templates_has_them_in_each_language(language):
    apps_with_templates = {path.parent.parent.name for path in template_files("vi")}
    assert "dossiers" in apps_with_templates
    assert {path.parent.parent.name for path in template_files(language)} == apps_with_templates


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_template_exists_in_each_language_with_the_same_placeholders(language):
    vietnamese, translated = templates("vi"), templates(language)
    assert sorted(translated) == sorted(vietnamese)
    for key, template in vietnamese.items():
        assert template_placeholders(translated[key]) == template_placeholders(template), key
        for part in ("subject", "body", "sms", "items", "link_label"):
            assert (part in translated[key]) == (part in template), (key, part)
        assert len(translated[key].get("body", [])) == len(template.get("body", [])), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_gives_a_whole_message_when_its_payload_is_full(language):
    for key, template in templates(language).items():
        full = {name: _sample(name) for name in template_placeholders(template)}
        message = compose(key, {**full, "link": "http://127.0.0.1:8000/x"}, language)
        assert message.subject and message.sms, key
        assert "{" not in message.subject + " ".join(message.paragraphs) + message.sms, key


def _sample(name: str) -> object:
    if name == "fee":  # an assessment as payments.rules.Assessment.as_dict gives it
        return {
            "base_vnd": 50_000,
            "reduction_vnd": 25_000,
            "reduction": {"percent": "50.00", "channel": "online", "legal_basis": "Nghị quyết số 12/2025/NQ-HĐND"},
            "total_vnd": 25_000,
        }
    if name.endswith("_on"):
        return "2025-11-06"
    if name.endswith("_vnd"):
        return 50_000
    if name in {"missing", "reasons"}:
        return ["Tờ khai"]
    return True if name in {"online", "by_post"} else "x"
