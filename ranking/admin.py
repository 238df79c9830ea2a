from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Exemption


@admin.register(Exemption)
class ExemptionAdmin(SimpleHistoryAdmin):
    list_display = ("year", "month", "area", "organisation", "reason", "by", "at")
    list_filter = ("year", "month", "area")
    search_fields = ("reason", "organisation__name")
    autocomplete_fields = ("organisation",)
    readonly_fields = ("by", "at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.by = request.user
        super().save_model(request, obj, form, change)
