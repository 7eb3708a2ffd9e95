"""The API says what it does: the committed OpenAPI document (docs/openapi.json) is the one the
code declares; every operation declares its refusals as problem+json; every list is paged by one
bounded convention (common.api.PageParams), and a page out of bounds is a 422 problem, never a
500."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from contest.tests.factories import ranked_round
from contest.tests.initiative_factories import published_contest
from org.tests.factories import admin_login, officer

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "docs" / "openapi.json"
PROBLEM = "application/problem+json"


def generated(tmp_path: Path) -> str:
    out = tmp_path / "openapi.json"
    call_command("export_openapi_schema", api="motcua.api.api", sort_keys=True, indent=2, output=str(out))
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    from motcua.api import api

    return dict(json.loads(json.dumps(api.get_openapi_schema(), default=str)))


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, ops in document["paths"].items() for method, op in ops.items()]


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = document["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def any_text(schema: dict[str, Any]) -> bool:
    """A parameter that takes any text (or none), so that no value of it can be refused."""
    kinds = [schema, *schema.get("anyOf", [])]
    constraints = ("maxLength", "minLength", "pattern", "enum", "format")
    return all(k.get("type", "string") in ("string", "null") for k in kinds) and not any(
        key in k for k in kinds for key in constraints
    )


def test_the_committed_document_is_the_one_the_code_declares(tmp_path: Path) -> None:
    fresh = generated(tmp_path)
    committed = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""
    if fresh != committed:
        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    fresh.splitlines(keepends=True),
                    "docs/openapi.json (committed)",
                    "docs/openapi.json (from the code)",
                )
            )[:80]
        )
        pytest.fail(
            "docs/openapi.json is not what the API declares: run `make openapi` and commit the result.\n" + diff,
            pytrace=False,
        )


def test_the_document_is_written_the_same_way_every_time(tmp_path: Path) -> None:
    first = generated(tmp_path)
    assert generated(tmp_path) == first
    assert json.loads(first) == json.loads(json.dumps(json.loads(first), sort_keys=True))


def test_every_operation_declares_its_answer_and_its_refusals_as_problems(document: dict[str, Any]) -> None:
    for method, path, op in operations(document):
        where = f"{method.upper()} {path}"
        statuses = {int(status) for status in op["responses"]}
        assert any(200 <= s < 300 for s in statuses), f"{where} declares no success answer"
        for status, answer in op["responses"].items():
            if int(status) >= 400:
                assert list(answer["content"]) == [PROBLEM], f"{where} {status} is not problem+json"
                assert answer["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/ProblemOut"}
            elif int(status) != 204:
                (media,) = answer["content"].values()
                assert resolve(document, media["schema"]).get("properties"), f"{where} {status} has no schema"
        if path.startswith("/api/v1/payments/") and not op.get("security"):
            continue  # the gateways' callbacks answer in the gateway's own protocol, never a problem
        assert {429, 503} <= statuses, f"{where} does not declare the rate limit and an unavailable database"
        if op.get("security"):
            assert 401 in statuses, f"{where} needs a session and does not declare 401"
        if op.get("requestBody") or [p for p in op.get("parameters", []) if not any_text(p["schema"])]:
            assert statuses & {400, 422}, f"{where} takes input that can be refused and does not say so"


def test_the_session_cookie_is_a_security_scheme_not_a_required_parameter(document: dict[str, Any]) -> None:
    for method, path, op in operations(document):
        assert not [p for p in op.get("parameters", []) if p["in"] == "cookie"], f"{method} {path}"
    for scheme in document["components"]["securitySchemes"].values():
        assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "cookie", "sessionid")


# --- Pagination ------------------------------------------------------------------------------------

PATH_EXAMPLES = {"queue": "to_receive", "round_id": "1", "slug": "sang-kien"}


def list_operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """GET operations answering a list (``results`` or ``items``) without a fixed bound (no
    ``maxItems``): those must be paged."""
    found = []
    for method, path, op in operations(document):
        if method != "get":
            continue
        json_body = op["responses"]["200"].get("content", {}).get("application/json")
        if json_body is None:
            continue  # a file download (a report's DOCX or PDF), not a list
        schema = resolve(document, json_body["schema"])
        for name, prop in schema.get("properties", {}).items():
            if name in ("results", "items") and prop.get("type") == "array" and "maxItems" not in prop:
                found.append((path, op))
                break
    return found


def test_the_list_endpoints_are_found(document: dict[str, Any]) -> None:
    """The walk below covers the API's lists (a change in how lists are declared would otherwise
    make it check nothing)."""
    paths = {path for path, _op in list_operations(document)}
    assert {"/api/v1/procedures", "/api/v1/communes", "/api/v1/documents/store", "/api/v1/me/organizations"} <= paths
    assert {"/api/v1/staff/memberships", "/api/v1/officer/queues/{queue}", "/api/v1/fields"} <= paths


def test_every_list_declares_the_bounded_page_parameters(document: dict[str, Any]) -> None:
    for path, op in list_operations(document):
        params = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "query"}
        assert "limit" in params and "offset" in params, f"{path} is a list without limit/offset"
        limit, offset = params["limit"]["schema"], params["offset"]["schema"]
        assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 100, 20), path
        assert (offset["minimum"], offset["maximum"], offset["default"]) == (0, 1_000_000, 0), path
        assert {"400", "422"} <= set(op["responses"]), path


@pytest.mark.django_db
def test_every_list_refuses_a_page_out_of_bounds_with_a_422_problem(document: dict[str, Any]) -> None:
    client = Client()
    admin_login(client, officer("quan.tri", is_superuser=True, is_staff=True))
    examples = {
        **PATH_EXAMPLES,
        "round_id": str(ranked_round().pk),  # a contest's leaderboard
        "slug": published_contest().slug,  # an initiative contest's published ranking
    }
    for path, _op in list_operations(document):
        url = path.format(**examples)
        assert client.get(url, {"limit": 100, "offset": 1_000_000}).status_code == 200, url
        for bad in ({"offset": "99999999999999999999999"}, {"offset": -1}, {"limit": 0}, {"limit": 101}):
            response = client.get(url, bad)
            assert response.status_code == 422, (url, bad, response.status_code)
            assert response["Content-Type"] == PROBLEM
            (name,) = bad
            assert [error["loc"][-1] for error in response.json()["errors"]] == [name], (url, bad)
        not_a_number = client.get(url, {"limit": "many"})
        assert (not_a_number.status_code, not_a_number["Content-Type"]) == (400, PROBLEM), url


@pytest.mark.django_db
def test_an_anonymous_caller_with_a_huge_offset_gets_a_problem_not_a_500(document: dict[str, Any]) -> None:
    client = Client()
    for path, op in list_operations(document):
        response = client.get(path.format(**PATH_EXAMPLES), {"offset": "99999999999999999999999"})
        assert response.status_code == (401 if op.get("security") else 422), path
        assert response["Content-Type"] == PROBLEM
