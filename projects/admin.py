from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Area, CategoryChange, Milestone, MonthlyScore, Organisation, PhaseTransition, Project, StaffAssignment,
)


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "order"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "is_from_outside", "local_branch_on"]
    list_filter = ["role", "is_from_outside"]
    search_fields = ["name"]


class PhaseTransitionInline(admin.TabularInline):
    model = PhaseTransition
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "area", "phase", "planned_start", "actual_start", "total_investment"]
    list_filter = ["area", "kind", "phase"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["owner_unit", "contractor", "supervisor"]
    inlines = [PhaseTransitionInline, MilestoneInline]


@admin.register(PhaseTransition)
class PhaseTransitionAdmin(SimpleHistoryAdmin):
    list_display = ["project", "from_phase", "to_phase", "occurred_on"]
    list_filter = ["to_phase"]
    search_fields = ["project__name", "project__code"]


@admin.register(CategoryChange)
class CategoryChangeAdmin(SimpleHistoryAdmin):
    list_display = ["project", "year", "from_category", "to_category", "changed_on", "reason"]
    list_filter = ["year", "to_category"]
    search_fields = ["project__name", "project__code"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["project", "name", "planned_on", "done_on"]
    search_fields = ["project__name", "name"]


@admin.register(MonthlyScore)
class MonthlyScoreAdmin(SimpleHistoryAdmin):
    list_display = ["year", "month", "area", "project", "progress", "quality", "safety", "image"]
    list_filter = ["year", "month", "area"]


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "area", "project"]
    list_filter = ["area"]
    autocomplete_fields = ["project"]
