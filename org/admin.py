from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AdministrativeUnit, Agency, Membership, OneStopUnit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("agency",)
    fk_name = "user"


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "administrative_unit", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name", "short_name")


@admin.register(OneStopUnit)
class OneStopUnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "administrative_unit", "phone")
    filter_horizontal = ("served_agencies",)
    search_fields = ("code", "name")


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "agency", "role", "valid_from", "valid_to")
    list_filter = ("role",)
    autocomplete_fields = ("agency",)
    search_fields = ("user__username", "user__full_name", "agency__name")
