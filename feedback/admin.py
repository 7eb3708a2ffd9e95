"""Controllers keep the deadline rules (dated) and the routing rules; items are handled in the
officers' queues, not here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from org.permissions import CapabilityAdminMixin

from .models import DeadlineRule, RoutingRule

_CONTROLLERS = {"view": "catalog.edit", "add": "catalog.edit", "change": "catalog.edit"}


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(CapabilityAdminMixin, SimpleHistoryAdmin):
    permission_capabilities = _CONTROLLERS
    list_display = ("effective_from", "classify_days", "forward_days", "answer_days", "publish_days", "legal_basis")


@admin.register(RoutingRule)
class RoutingRuleAdmin(CapabilityAdminMixin, SimpleHistoryAdmin):
    permission_capabilities = _CONTROLLERS
    list_display = ("order", "topic", "procedure", "named_agency", "agency", "is_active")
    list_filter = ("is_active", "topic")
    autocomplete_fields = ("procedure",)
