"""Admin models of feedback for the permission walk (tests/route_registry.py)."""

from __future__ import annotations

from tests.route_registry import unscoped_admin

unscoped_admin(
    "feedback.RoutingRule",
    "province-wide routing kept by procedure controllers (catalog.edit): it names agencies but belongs to none",
)
