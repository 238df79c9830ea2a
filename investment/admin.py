from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from .models import AnnualPlan, Funding, MonthLock, MonthlyProgress, PlanEntry, Saving
from .services import check_month_open


class PlanEntryInline(admin.TabularInline):
    model = PlanEntry
    extra = 0
    autocomplete_fields = ["project"]


def check_entries_can_change_year(*, entries, years):
    """Moving plan entries to another year changes the figures of every month of both years: it
    is refused when an entry has monthly progress (which would move with it) or a month of either
    year is locked. Runs inside admin's save transaction; the lock rows it reads stay locked."""
    if MonthlyProgress.objects.filter(entry__in=entries).exists():
        raise forms.ValidationError(_("该计划项目已有月度填报数据，不能改到其他年度；如确需调整，请在新年度计划中另建条目。"))
    locked = (MonthLock.objects.select_for_update().filter(year__in=years, is_locked=True)
              .order_by("year", "month").values_list("year", "month"))
    if locked:
        months = "、".join(f"{y}年{m}月" for y, m in locked)
        raise forms.ValidationError(
            _("%(months)s已锁定，改变计划项目的年度会改变已锁定月份的数据；请先在月度填报页面解锁。") % {"months": months})


class AnnualPlanAdminForm(forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if self.instance.pk and year is not None and year != self.instance.year:
            check_entries_can_change_year(entries=self.instance.entries.all(), years=[self.instance.year, year])
        return cleaned


@admin.register(AnnualPlan)
class AnnualPlanAdmin(SimpleHistoryAdmin):
    form = AnnualPlanAdminForm
    list_display = ["year", "title", "approved_on"]
    inlines = [PlanEntryInline]


class PlanEntryAdminForm(forms.ModelForm):
    """Admin cannot move an entry to another year's plan behind the month locks (issue 14)."""

    class Meta:
        model = PlanEntry
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        if self.instance.pk and plan is not None and plan.pk != self.instance.plan_id:
            check_entries_can_change_year(entries=[self.instance], years=[self.instance.plan.year, plan.year])
        return cleaned


@admin.register(PlanEntry)
class PlanEntryAdmin(SimpleHistoryAdmin):
    form = PlanEntryAdminForm
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
            # admin saves inside a transaction: the month's lock row stays locked until it commits
            check_month_open(year=entry.plan.year, month=month, for_update=True)
            if self.instance.pk and (self.instance.entry_id, self.instance.month) != (entry.pk, month):
                old = self.instance
                check_month_open(year=old.entry.plan.year, month=old.month, for_update=True)
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
