"""The permission walk: every URL pattern and API route of the project, checked for who may reach
what. A new route that takes an identifier fails here until its app registers it in
``<app>/tests/routes.py`` (see tests/route_registry.py), with an object that belongs to somebody
else; the walk then proves that nobody else gets it."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from motcua.api import api
from org.models import Agency, OneStopUnit, Role
from org.permissions import AgencyScopedAdminMixin, roles_with
from org.tests.factories import admin_login, agency, citizen, officer
from tests import route_registry
from tests.route_registry import (
    ADMIN_OBJECTS,
    GATED_PREFIXES,
    OUT_OF_SCOPE,
    PRIVATE,
    PUBLIC,
    UNSCOPED_ADMIN,
    Cast,
    PrivateRoute,
    Target,
)

for app in apps.get_app_configs():
    if not app.path.startswith(str(settings.BASE_DIR)) or "site-packages" in app.path:
        continue  # third-party apps (Wagtail's own test package would load its test models)
    try:
        importlib.import_module(f"{app.name}.tests.routes")
    except ModuleNotFoundError as missing:
        if missing.name not in (f"{app.name}.tests", f"{app.name}.tests.routes"):
            raise

PERSONAL_NUMBER = re.compile(r"personal|phone|cccd|cmnd|dinh.?danh|dien.?thoai|sdt|identity|id_?number", re.I)
MISSING_INT = 2_147_483_000


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"; "" for an unnamed pattern
    namespace: str  # the outermost namespace ("admin", "api", …), "" for none
    route: str  # the whole pattern, as written
    params: dict[str, str]  # parameter → converter ("int", "str", "path", "slug", "regex")
    callback: Callable[..., Any]


def _params(pattern: Any) -> dict[str, str]:
    if isinstance(pattern, RoutePattern):
        return {name: type(conv).__name__.replace("Converter", "").lower() for name, conv in pattern.converters.items()}
    if isinstance(pattern, RegexPattern):
        if pattern.regex.groupindex:
            return dict.fromkeys(pattern.regex.groupindex, "regex")
        return {f"#{i}": "positional" for i in range(pattern.regex.groups)}  # re_path without names
    return {}


def walk(patterns: list[Any] | None = None, prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            spaces = (*namespaces, entry.namespace) if entry.namespace else namespaces
            for inner in walk(entry.url_patterns, prefix + str(entry.pattern), spaces):
                params = {**_params(entry.pattern), **inner.params}
                yield Route(inner.name, inner.namespace, inner.route, params, inner.callback)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else ""
            namespace = namespaces[0] if namespaces else ""
            yield Route(name, namespace, prefix + str(entry.pattern), _params(entry.pattern), entry.callback)


ROUTES = list(walk())
WITH_PARAMS = [r for r in ROUTES if r.params]


def gated(route: Route) -> bool:
    return any(route.route.startswith(prefix) for prefix in GATED_PREFIXES)


def api_operations() -> dict[str, dict[str, bool]]:
    """Route name → {method: whether the operation requires authentication}, from OpenAPI."""
    schema = api.get_openapi_schema()
    by_path = {path: {m.upper(): "security" in op for m, op in item.items()} for path, item in schema["paths"].items()}
    operations = {}
    for route in ROUTES:
        if route.namespace == "api":
            path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.route)
            if path in by_path:
                operations[route.name] = by_path[path]
    return operations


OPERATIONS = api_operations()


def registered_methods(name: str) -> list[PrivateRoute]:
    return [entry for (route_name, _method), entry in PRIVATE.items() if route_name == name]


def fill(route: Route) -> str:
    """A URL of ``route`` with placeholder parameters that reverse() accepts."""
    if not route.name:
        assert "^" not in route.route, f"Cannot build a URL for the unnamed {route.route}."
        return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route.route)
    labels = [app.label for app in apps.get_app_configs()]
    candidates = [["1"] if kind == "int" else ["1", *labels, "x"] for kind in route.params.values()]
    positional = all(kind == "positional" for kind in route.params.values())
    for values in product(*candidates):
        try:
            if positional:
                return reverse(route.name, args=values)
            return reverse(route.name, kwargs=dict(zip(route.params, values, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"Cannot build a URL for {route.name} ({route.route}).")


def is_sign_in(location: str) -> bool:
    path = urlsplit(location).path
    if path in {resolve_url(settings.LOGIN_URL), reverse("admin:login")}:
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return "sign_in" in (match.url_name or "") or "login" in (match.url_name or "")


@pytest.fixture
def cast(db) -> Cast:
    home, other = agency("Sở Dấu Vết"), agency("Sở Người Ngoài")
    every_role = list(Role.values)
    return Cast(
        owner=citizen("chu.so.huu", full_name="Chủ Sở Hữu"),
        stranger=citizen("nguoi.la", full_name="Người Lạ"),
        agency=home,
        other_agency=other,
        officer=officer("canbo.dung", {home: every_role}, is_staff=True),
        other_officer=officer("canbo.khac", {other: every_role}, is_staff=True),
    )


def signed_in(user: Any) -> Client:
    client = Client()
    if getattr(user, "kind", "") == "officer":
        admin_login(client, user)  # officers' pages and the admin want a verified second factor
    else:
        client.force_login(user)
    return client


def request(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    if method in {"GET", "POST"}:
        return getattr(client, method.lower())(url, data or {})
    return client.generic(method, url)


# --- Personal numbers never in URLs ----------------------------------------------------------------


def test_no_route_takes_an_identification_or_phone_number():
    offending = []
    for route in ROUTES:
        for param in route.params:
            literal_before = route.route.split(f"{param}>")[0].rsplit("<", 1)[0]
            last_segment = literal_before.rstrip("/").rsplit("/", 1)[-1]
            if PERSONAL_NUMBER.search(param) or PERSONAL_NUMBER.search(last_segment):
                offending.append(f"{route.name or '(unnamed)'}: {route.route}")
    assert offending == []


def test_the_walk_sees_the_api_and_the_pages():
    names = {route.name for route in ROUTES}
    assert {"catalog:detail", "accounts:organization_detail", "api:get_procedure", "api:get_membership"} <= names
    assert any(route.namespace == "admin" for route in WITH_PARAMS)


# --- Every route with parameters is accounted for --------------------------------------------------


def test_every_route_with_parameters_is_registered():
    unregistered = []
    for route in WITH_PARAMS:
        if route.namespace in ("admin", *OUT_OF_SCOPE) or route.name in PUBLIC or gated(route):
            continue
        if route.namespace == "api" and route.name in OPERATIONS:
            missing = [m for m in OPERATIONS[route.name] if (route.name, m) not in PRIVATE]
            if missing:
                unregistered.append(f"{route.name} {'/'.join(missing)}: {route.route}")
        elif not registered_methods(route.name):
            unregistered.append(f"{route.name or '(unnamed)'}: {route.route}")
    assert unregistered == [], "Register these routes in <app>/tests/routes.py (see tests/route_registry.py)"


def test_registrations_name_real_routes():
    names = {route.name for route in ROUTES}
    stale = [name for name, _method in PRIVATE if name not in names] + [name for name in PUBLIC if name not in names]
    assert stale == []


def test_every_api_operation_declares_its_access():
    """An operation is either public on purpose (registered) or behind ApiAccess: none forgotten."""
    undeclared = [
        f"{name} {method}"
        for name, methods in OPERATIONS.items()
        for method, authenticated in methods.items()
        if not authenticated and name not in PUBLIC
    ]
    assert undeclared == []


def test_private_api_operations_refuse_anonymous_callers(db):
    client = Client()
    for route in ROUTES:
        for method, authenticated in OPERATIONS.get(route.name, {}).items():
            if authenticated:
                url = fill(route) if route.params else reverse(route.name)
                response = request(client, method, url)
                assert response.status_code == 401, f"{route.name} {method}"
                assert response["Content-Type"] == "application/problem+json"


# --- Private routes: nobody but the rightful user -------------------------------------------------


def text_of(response: Any) -> str:
    """The answer as a reader sees it (JSON may escape non-ASCII letters)."""
    if "json" in response.get("Content-Type", ""):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="replace")


def _missing(target: Target) -> dict[str, Any]:
    return {key: MISSING_INT if isinstance(value, int) else "khong-ton-tai" for key, value in target.kwargs.items()}


def _refused(entry: PrivateRoute, client: Client, target: Target, who: str) -> None:
    url = reverse(entry.name, kwargs=target.kwargs)
    response = request(client, entry.method, url, target.data)
    label = f"{entry.name} {entry.method} as {who}"
    assert target.marker not in text_of(response), label
    is_api = entry.name.startswith("api:")
    if who == "anonymous":
        if is_api:
            assert response.status_code == 401, label
        else:
            assert response.status_code == 302 and is_sign_in(response["Location"]), label
    elif response.status_code == 403 and is_api and who == "citizen":
        # Refused before any look-up (no capability): must say the same for a missing object.
        missing = request(client, entry.method, reverse(entry.name, kwargs=_missing(target)), target.data)
        assert (missing.status_code, missing.json()["code"]) == (403, response.json()["code"]), label
    else:
        assert response.status_code == 404, f"{label}: {response.status_code}"
    if target.exists is not None:
        assert target.exists(), f"{label} changed the object"


@pytest.mark.parametrize("key", sorted(PRIVATE), ids=lambda key: f"{key[0]}-{key[1]}")
def test_a_private_route_gives_its_object_to_its_rightful_user_only(cast, key):
    entry = PRIVATE[key]
    target = entry.make(cast)
    _refused(entry, Client(), target, "anonymous")
    _refused(entry, signed_in(cast.stranger), target, "citizen")
    _refused(entry, signed_in(cast.other_officer), target, "officer of another agency")
    if entry.owner == "citizen":
        _refused(entry, signed_in(cast.officer), target, "officer")  # citizens' pages are theirs alone
    else:
        _refused(entry, signed_in(cast.owner), target, "citizen")

    rightful = signed_in(cast.owner if entry.owner == "citizen" else cast.officer)
    response = request(rightful, entry.method, reverse(entry.name, kwargs=target.kwargs), target.data)
    assert response.status_code == entry.ok, f"{entry.name}: the rightful user got {response.status_code}"
    if entry.ok == 200:
        assert target.marker in text_of(response)


def test_a_private_write_without_csrf_token_is_refused(cast):
    for entry in PRIVATE.values():
        if entry.method != "POST" or entry.name.startswith("api:"):
            continue
        target = entry.make(cast)
        client = Client(enforce_csrf_checks=True)
        client.force_login(cast.owner if entry.owner == "citizen" else cast.officer)
        response = client.post(reverse(entry.name, kwargs=target.kwargs), target.data)
        assert response.status_code == 403, entry.name
        assert target.exists is None or target.exists()


# --- The admin -------------------------------------------------------------------------------------


def test_admin_routes_refuse_non_staff(cast):
    unverified_officer = Client()
    unverified_officer.force_login(cast.officer)  # staff, but no second factor
    clients = {"anonymous": Client(), "citizen": signed_in(cast.owner), "unverified officer": unverified_officer}
    for route in ROUTES:
        if route.namespace != "admin" or route.name in {"admin:login", "admin:logout"}:
            continue
        url = fill(route) if route.params else reverse(route.name)
        for who, client in clients.items():
            response = client.get(url)
            assert response.status_code == 302 and is_sign_in(response["Location"]), f"{route.name} as {who}"


def test_every_admin_model_refuses_staff_without_a_role(cast):
    nobody = officer("canbo.khongvaitro", is_staff=True)
    client = signed_in(nobody)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 403, model._meta.label


def _admin_urls(model: Any, obj: Any) -> list[str]:
    base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    urls = [reverse(f"{base}_{view}", args=[obj.pk]) for view in ("change", "delete", "history")]
    if hasattr(obj, "history"):
        urls.append(urls[2] + f"{obj.history.latest('history_date').history_id}/")
    return urls


def test_admin_models_bound_to_agencies_are_scoped():
    """An admin model that points at an agency or a one-stop unit is scoped by agency, or its
    app says why not (tests.route_registry.unscoped_admin)."""
    bound = (Agency, OneStopUnit)
    forgotten = []
    for model, model_admin in admin.site._registry.items():
        relations = [f.related_model for f in model._meta.get_fields() if f.concrete and f.is_relation]
        if model in bound or any(related in bound for related in relations):
            scoped = isinstance(model_admin, AgencyScopedAdminMixin)
            if not scoped and model._meta.label not in UNSCOPED_ADMIN:
                forgotten.append(model._meta.label)
    assert forgotten == [], "Use AgencyScopedAdminMixin, or say why not with tests.route_registry.unscoped_admin"


def test_scoped_admin_pages_are_404_across_agencies(cast):
    scoped = [m for m, model_admin in admin.site._registry.items() if isinstance(model_admin, AgencyScopedAdminMixin)]
    assert scoped, "no admin is scoped by agency"
    unregistered = [m._meta.label for m in scoped if m._meta.label not in ADMIN_OBJECTS]
    outsider, insider = signed_in(cast.other_officer), signed_in(cast.officer)
    for model in scoped:
        if model._meta.label in unregistered:
            continue
        obj = ADMIN_OBJECTS[model._meta.label](cast)
        urls = _admin_urls(model, obj)
        for url in urls:
            assert outsider.get(url).status_code == 404, url
            assert outsider.post(url, {"post": "yes"}).status_code == 404, url
        assert insider.get(urls[0]).status_code == 200, urls[0]
        assert model._default_manager.filter(pk=obj.pk).exists()
    assert unregistered == [], "Register with tests.route_registry.admin_object"


# --- Gated prefixes (Wagtail's admin) --------------------------------------------------------------


def test_the_walk_sees_the_gated_prefixes():
    for prefix in GATED_PREFIXES:
        assert any(route.route.startswith(prefix) for route in ROUTES), prefix


def test_gated_routes_refuse_everyone_but_verified_officers_with_the_capability(cast):
    unverified_officer = Client()
    unverified_officer.force_login(cast.officer)  # every role, but no second factor
    sent_to_sign_in = {
        "anonymous": Client(),
        "citizen": signed_in(cast.owner),
        "unverified officer": unverified_officer,
    }
    checked = 0
    for prefix, (capabilities, _reason) in GATED_PREFIXES.items():
        allowed = {role for capability in capabilities for role in roles_with(capability)}
        without = [role for role in Role.values if role not in allowed]
        refused = signed_in(officer(f"canbo.khong.{checked}", {cast.agency: without}, is_staff=True))
        for route in ROUTES:
            if not route.route.startswith(prefix):
                continue
            url = fill(route) if route.params else "/" + route.route if not route.name else reverse(route.name)
            for who, client in sent_to_sign_in.items():
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    assert response.status_code == 302 and is_sign_in(response["Location"]), f"{url} {method} as {who}"
            assert refused.get(url).status_code == 403, url
            assert refused.post(url).status_code == 403, url
            checked += 1
    assert checked > 0


# --- CSRF on every form ----------------------------------------------------------------------------

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)


def test_no_view_skips_the_csrf_check_without_a_reason():
    exempt = [
        route.name or route.route
        for route in ROUTES
        if getattr(route.callback, "csrf_exempt", False)
        and route.namespace not in route_registry.CSRF_EXEMPT_NAMESPACES
        and not gated(route)  # behind the gate; checked below
    ]
    assert exempt == []


def _check_forms(response: Any, client: Client, label: str) -> int:
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return 0
    forms = FORM.findall(response.content.decode())
    posts = [body for attrs, body in forms if re.search(r"method=.?post", attrs, re.I)]
    for body in posts:
        assert 'name="csrfmiddlewaretoken"' in body, f"{label}: a form without CSRF token"
    if posts:
        assert settings.CSRF_COOKIE_NAME in response.cookies or settings.CSRF_COOKIE_NAME in client.cookies, label
    return len(posts)


def test_every_form_carries_a_csrf_token(cast):
    people = {"anonymous": None, "citizen": cast.owner, "officer": cast.officer}
    forms = 0
    for route in ROUTES:
        if route.params or not route.name or route.namespace in ("admin", "api", *OUT_OF_SCOPE) or gated(route):
            continue
        for who, user in people.items():
            client = Client() if user is None else signed_in(user)
            forms += _check_forms(client.get(reverse(route.name)), client, f"{route.name} as {who}")
    for entry in PRIVATE.values():
        if entry.method == "GET" and not entry.name.startswith("api:"):
            client = signed_in(cast.owner if entry.owner == "citizen" else cast.officer)
            response = client.get(reverse(entry.name, kwargs=entry.make(cast).kwargs))
            forms += _check_forms(response, client, entry.name)
    assert forms > 0
