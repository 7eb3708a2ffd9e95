"""The public catalog API: /api/v1/procedures, /fields, /agencies."""

from __future__ import annotations

import pytest

from .factories import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    published(
        "1.001193",
        "Thủ tục đăng ký khai sinh",
        documents=["Giấy chứng sinh"],
        translations={"en": "Birth registration"},
    )
    published("1.000894", "Thủ tục đăng ký kết hôn", documents=["Tờ khai"])
    published("3.000346", "Cấp giấy phép lái xe", field="Sát hạch, cấp giấy phép lái xe", levels=["province"])


def test_search_returns_ranked_results_with_the_documented_fields(client, catalog):
    body = client.get("/api/v1/procedures", {"q": "dang ky ket hon"}).json()
    assert body["count"] >= 1
    first = body["results"][0]
    assert first["code"] == "1.000894"
    assert set(first) >= {
        "code",
        "name",
        "field",
        "agencies",
        "level",
        "online_level",
        "processing_days",
        "processing_time_text",
        "fees",
        "url",
    }
    assert first["url"] == "/thu-tuc/1.000894/"


def test_list_without_query_pages_and_filters(client, catalog):
    body = client.get("/api/v1/procedures", {"limit": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2
    rest = client.get("/api/v1/procedures", {"limit": 2, "offset": 2}).json()
    assert len(rest["results"]) == 1
    assert {r["code"] for r in body["results"] + rest["results"]} == {"1.001193", "1.000894", "3.000346"}
    province = client.get("/api/v1/procedures", {"level": "province"}).json()
    assert [r["code"] for r in province["results"]] == ["3.000346"]


def test_a_limit_above_100_is_refused_as_out_of_bounds(client, catalog):
    """One pagination convention (common.api.PageParams): a page is 1 to 100 items; more is a 422
    problem naming the parameter, not a silently smaller page."""
    response = client.get("/api/v1/procedures", {"limit": 5000})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert [error["loc"][-1] for error in response.json()["errors"]] == ["limit"]


def test_detail_in_english_with_vietnamese_fallback(client, catalog):
    response = client.get("/api/v1/procedures/1.001193", {"lang": "en"})
    assert response["Content-Language"] == "en"
    body = response.json()
    assert body["name"] == "Birth registration" and body["translation_missing"] is False
    assert body["documents"][0]["name"] == "Giấy chứng sinh"
    untranslated = client.get("/api/v1/procedures/1.000894", {"lang": "en"}).json()
    assert untranslated["name"] == "Thủ tục đăng ký kết hôn" and untranslated["translation_missing"] is True


def test_accept_language_is_honoured(client, catalog):
    response = client.get("/api/v1/procedures/1.001193", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "en"


def test_unknown_language_answers_in_vietnamese_and_says_so(client, catalog):
    response = client.get("/api/v1/procedures/1.001193", {"lang": "xx"})
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert response.json()["name"] == "Thủ tục đăng ký khai sinh"


def test_unknown_code_is_a_problem_404(client, catalog):
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "procedure_not_found" and "9.999999" in body["detail"]


def test_a_query_over_200_characters_is_refused_clearly(client, catalog):
    response = client.get("/api/v1/procedures", {"q": "a" * 201})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "query_too_long"
    assert "200" in response.json()["detail"]


def test_problem_detail_is_localized(client, catalog):
    body = client.get("/api/v1/procedures/9.999999", {"lang": "en"}).json()
    assert "9.999999" in body["detail"] and body["detail"] != "Không có thủ tục công khai mã 9.999999."


def test_hostile_query_is_echoed_as_data(client, catalog):
    q = "<script>alert(1)</script>' OR 1=1 --\x00"
    response = client.get("/api/v1/procedures", {"q": q})
    assert response.status_code == 200
    assert response.json()["query"] == q
    assert b"<script>" not in response.content or response["Content-Type"].startswith("application/json")


def test_fields_and_agencies_lists(client, catalog):
    fields = client.get("/api/v1/fields").json()
    assert {"Hộ tịch", "Sát hạch, cấp giấy phép lái xe"} <= {f["name"] for f in fields["results"]}
    agencies = client.get("/api/v1/agencies").json()
    assert agencies["count"] >= 1 and agencies["results"][0]["slug"]


def test_suggest(client, catalog):
    body = client.get("/api/v1/procedures/suggest", {"q": "ket h"}).json()
    assert body["results"][0]["code"] == "1.000894"


def test_openapi_schema_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/procedures" in schema["paths"]
    assert "/api/v1/procedures/{code}" in schema["paths"]


def test_malformed_parameters_are_a_problem_400(client, catalog):
    response = client.get("/api/v1/procedures", {"limit": "many"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_request"
