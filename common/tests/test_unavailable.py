"""The database down: every page answers 503 with Retry-After and a short page in the visitor's
language (Vietnamese first), every API call a problem+json 503; never Django's bare English
"Server Error (500)". The database is made really unreachable: the connection's settings point
where no database is (a closed port on PostgreSQL, a folder that does not exist on SQLite)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_down():
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-motcua/db.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT="9")
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


def client() -> Client:
    return Client(raise_request_exception=False)


def test_a_page_says_in_vietnamese_that_the_service_is_down_for_a_while(database_down):
    response = client().get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in page and "Vui lòng thử lại sau ít phút" in page
    assert '<html lang="vi">' in page
    assert "Server Error" not in page


def test_the_page_speaks_the_language_of_the_url(database_down):
    response = client().get("/en/")
    assert response.status_code == 503
    assert "The service is temporarily unavailable" in response.content.decode()


def test_the_api_answers_problem_json(database_down):
    response = client().get("/api/v1/communes")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["code"] == "service_unavailable" and body["status"] == 503
    assert body["detail"] == "Cơ sở dữ liệu tạm thời không phản hồi. Vui lòng thử lại sau ít phút."
