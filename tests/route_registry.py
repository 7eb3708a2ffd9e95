"""What tests/test_permissions_walk.py needs to know about routes, filled in by each app.

Every route that takes a parameter must be declared in the app's ``tests/routes.py`` (imported
by the walk), either as public or as private with a way to make an object that belongs to
somebody else:

    # dossiers/tests/routes.py
    from tests.route_registry import Cast, Target, private

    @private("dossiers:detail", owner="citizen")
    def _dossier(cast: Cast) -> Target:
        dossier = make_dossier(applicant=cast.owner, agency=cast.agency)
        return Target({"code": dossier.code}, marker=dossier.code)

    @private("api:get_dossier", owner="agency")     # an officers' API operation, method GET
    def _dossier_for_officers(cast: Cast) -> Target: ...

``owner="citizen"``: the object is ``cast.owner``'s; ``owner="agency"``: it belongs to
``cast.agency``, where ``cast.officer`` holds every role. The walk then checks that anonymous
visitors, another citizen and an officer holding every role in another agency never get it
(404, or sign-in for anonymous visitors), and that its rightful user does.

Admin models scoped by agency (``AgencyScopedAdminMixin``) register, with ``admin_object``, how
to make one of their objects in ``cast.agency``. An admin model that points at an agency or a
one-stop unit without being scoped must say why, with ``unscoped_admin``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import models


@dataclass(frozen=True)
class Cast:
    """The people and agencies of the walk."""

    owner: Any  # a citizen who owns citizens' objects
    stranger: Any  # another citizen
    agency: Any  # the agency that agencies' objects belong to
    other_agency: Any
    officer: Any  # every role in ``agency``, staff, second factor verified
    other_officer: Any  # every role in ``other_agency``, staff, second factor verified


@dataclass(frozen=True)
class Target:
    """An object made for the walk: the URL's parameters, a text that only its rightful user may
    see in an answer, and, for writes, how to tell the object is still there."""

    kwargs: dict[str, Any]
    marker: str
    exists: Callable[[], bool] | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PrivateRoute:
    name: str
    owner: Literal["citizen", "agency"]
    make: Callable[[Cast], Target]
    method: str
    ok: int  # what the rightful user gets


PRIVATE: dict[tuple[str, str], PrivateRoute] = {}
PUBLIC: dict[str, str] = {}
ADMIN_OBJECTS: dict[str, Callable[[Cast], models.Model]] = {}
# Admin models that point at an agency or a one-stop unit but are not scoped by agency, with why.
UNSCOPED_ADMIN: dict[str, str] = {}

# Whole namespaces the walk leaves to their own tests, with the reason.
OUT_OF_SCOPE: dict[str, str] = {
    "idp": "the local identity provider: development and test only, a stand-in for VNeID, holds no portal data",
}
# URL prefixes behind a gate of their own (a third-party admin whose routes are not ours to name),
# with the gate's rule. The walk checks that every route under the prefix refuses anonymous
# visitors, citizens and officers without a verified second factor (sent to sign in), and officers
# without any of the capabilities (403).
GATED_PREFIXES: dict[str, tuple[tuple[str, ...], str]] = {}
# Views that may skip Django's CSRF check, with the reason (the walk fails on any other).
CSRF_EXEMPT_NAMESPACES: dict[str, str] = {
    "api": "django-ninja: cookie sessions are CSRF-checked by org.permissions.ApiAccess instead",
    "idp": "OpenID Connect back-channel endpoints (token, userinfo) called by servers, not browsers",
}


def gated(prefix: str, *, capabilities: tuple[str, ...], reason: str) -> None:
    """Every route under ``prefix`` is for verified officers holding one of ``capabilities`` only."""
    GATED_PREFIXES[prefix] = (capabilities, reason)


def private(
    name: str, *, owner: Literal["citizen", "agency"], method: str = "GET", ok: int = 200
) -> Callable[[Callable[[Cast], Target]], Callable[[Cast], Target]]:
    def register(make: Callable[[Cast], Target]) -> Callable[[Cast], Target]:
        key = (name, method.upper())
        if key in PRIVATE:
            raise ValueError(f"Route {name} {method} is registered twice.")
        PRIVATE[key] = PrivateRoute(name=name, owner=owner, make=make, method=method.upper(), ok=ok)
        return make

    return register


def public(name: str, reason: str) -> None:
    """A route anyone may open with any parameter (the public catalog, say)."""
    PUBLIC[name] = reason


def admin_object(label: str) -> Callable[[Callable[[Cast], models.Model]], Callable[[Cast], models.Model]]:
    """How to make an object of the admin model ``label`` ("app.Model") in ``cast.agency``."""

    def register(make: Callable[[Cast], models.Model]) -> Callable[[Cast], models.Model]:
        ADMIN_OBJECTS[label] = make
        return make

    return register


def unscoped_admin(label: str, reason: str) -> None:
    """The admin model ``label`` points at agencies but is deliberately not scoped by them."""
    UNSCOPED_ADMIN[label] = reason
