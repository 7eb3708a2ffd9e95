"""Routes and admin models of integrations for the permission walk (tests/route_registry.py).

The outboxes' admin pages are for superusers only (no capability grants them) and point at no
agency. The national portal's stand-in (``portal_standin``) exists in development and tests only
and holds no portal data; its endpoints are called by servers with a bearer token, not by
browsers, so they skip Django's CSRF check."""

from __future__ import annotations

from tests.route_registry import CSRF_EXEMPT_NAMESPACES, OUT_OF_SCOPE

OUT_OF_SCOPE["portal_standin"] = (
    "the national portal's stand-in: development and test only, a stand-in for the national portal, holds no "
    "portal data (integrations/tests/test_national_portal.py)"
)
CSRF_EXEMPT_NAMESPACES["portal_standin"] = "server-to-server JSON endpoints authenticated by a bearer token"
