from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Notification, Order, OrderEvent, Problem, ReminderSettings, UnitMember


@admin.register(Problem)
class ProblemAdmin(SimpleHistoryAdmin):
    list_display = ["project", "type", "responsible_unit", "deadline", "status", "raised_at"]
    list_filter = ["status", "type", "project__area"]
    search_fields = ["project__name", "project__code", "description"]
    autocomplete_fields = ["project", "responsible_unit"]
    raw_id_fields = ["raised_by", "closed_by"]


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    raw_id_fields = ["by"]


@admin.register(Order)
class OrderAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "project", "source", "responsible_unit", "deadline", "state", "times_returned"]
    list_filter = ["state", "source", "project__area"]
    search_fields = ["project__name", "project__code", "content"]
    autocomplete_fields = ["project", "responsible_unit"]
    raw_id_fields = ["problem", "milestone", "issued_by"]
    inlines = [OrderEventInline]


@admin.register(UnitMember)
class UnitMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
    autocomplete_fields = ["organisation"]
    search_fields = ["user__username", "organisation__name"]


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "report_day", "node_days_ahead", "order_days_ahead", "send_email"]

    def has_add_permission(self, request):
        return not ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "title", "sent_on", "read_at", "emailed"]
    list_filter = ["kind", "sent_on"]
    search_fields = ["recipient__username", "title"]
    raw_id_fields = ["recipient"]
