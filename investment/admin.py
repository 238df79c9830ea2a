from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AnnualPlan, Funding, MonthLock, MonthlyProgress, PlanEntry, Saving
from .services import check_month_open


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


class MonthlyProgressAdminForm(forms.ModelForm):
    """The month page's rules hold in Django admin too: no future month, no locked month."""

    class Meta:
        model = MonthlyProgress
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        entry, month = cleaned.get("entry"), cleaned.get("month")
        if entry and month:
            check_month_open(year=entry.plan.year, month=month)
            if self.instance.pk and (self.instance.entry_id, self.instance.month) != (entry.pk, month):
                old = self.instance
                check_month_open(year=old.entry.plan.year, month=old.month)
        return cleaned


@admin.register(MonthlyProgress)
class MonthlyProgressAdmin(SimpleHistoryAdmin):
    form = MonthlyProgressAdminForm
    list_display = ["entry", "month", "completed", "physical_percent", "updated_by", "updated_at"]
    list_filter = ["entry__plan", "month"]
    search_fields = ["entry__project__name", "entry__project__code"]
    readonly_fields = ["version", "updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        # a new version, so that a month page opened before this save refuses to overwrite it
        if change:
            obj.version += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    @staticmethod
    def _locked(obj):
        try:
            check_month_open(year=obj.entry.plan.year, month=obj.month)
        except forms.ValidationError:
            return True
        return False


@admin.register(MonthLock)
class MonthLockAdmin(SimpleHistoryAdmin):
    """Read-only here: months are locked and reopened (with a reason) on the month page, which
    records who did it and why."""

    list_display = ["year", "month", "is_locked", "reason", "changed_by", "changed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Funding)
class FundingAdmin(SimpleHistoryAdmin):
    list_display = ["source", "amount", "received_on", "project", "note"]
    list_filter = ["source"]


@admin.register(Saving)
class SavingAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "amount", "recorded_on", "project", "description"]
    list_filter = ["kind"]
