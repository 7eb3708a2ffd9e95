from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import OfficialDay


@admin.register(OfficialDay)
class OfficialDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "kind", "name", "replaces", "unconfirmed")
    list_filter = ("kind", "unconfirmed")
    date_hierarchy = "date"
    search_fields = ("name", "source")
