from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AnnualPlan, Funding, MonthLock, MonthlyProgress, PlanEntry, Saving


class PlanEntryInline(admin.TabularInline):
    model = PlanEntry
    extra = 0
    autocomplete_fields = ["project"]


@admin.register(AnnualPlan)
class AnnualPlanAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "approved_on"]
    inlines = [PlanEntryInline]


@admin.register(PlanEntry)
class PlanEntryAdmin(SimpleHistoryAdmin):
    list_display = ["project", "plan", "category", "is_municipal_key", "unplanned", "target"]
    list_filter = ["plan", "category", "is_municipal_key", "unplanned"]
    search_fields = ["project__name", "project__code"]
    autocomplete_fields = ["project"]


@admin.register(MonthlyProgress)
class MonthlyProgressAdmin(SimpleHistoryAdmin):
    list_display = ["entry", "month", "completed", "physical_percent", "updated_by", "updated_at"]
    list_filter = ["entry__plan", "month"]
    search_fields = ["entry__project__name", "entry__project__code"]
    readonly_fields = ["version", "updated_by", "updated_at"]


@admin.register(MonthLock)
class MonthLockAdmin(SimpleHistoryAdmin):
    list_display = ["year", "month", "is_locked", "reason", "changed_by", "changed_at"]


@admin.register(Funding)
class FundingAdmin(SimpleHistoryAdmin):
    list_display = ["source", "amount", "received_on", "project", "note"]
    list_filter = ["source"]


@admin.register(Saving)
class SavingAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "amount", "recorded_on", "project", "description"]
    list_filter = ["kind"]
