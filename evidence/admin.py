from django.contrib import admin

from .models import Attendance, Award, Finding, Inspection, KeyPerson, Photo, PostThreshold


@admin.register(PostThreshold)
class PostThresholdAdmin(admin.ModelAdmin):
    list_display = ["post", "minimum_percent"]


@admin.register(KeyPerson)
class KeyPersonAdmin(admin.ModelAdmin):
    list_display = ["project", "post", "name", "certificate_no", "organisation"]
    list_filter = ["post"]
    search_fields = ["name", "project__name"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["person", "year", "month", "days_present"]
    list_filter = ["year", "month"]


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    readonly_fields = ["status", "evidence", "submitted_by", "accepted_by", "closed_on"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["project", "kind", "inspected_on"]
    list_filter = ["kind"]
    inlines = [FindingInline]


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["project", "name", "year", "awarded_on", "issuer"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    """Read-only: photos enter only through the checked upload (evidence.services)."""

    list_display = ["project", "year", "month", "kind", "taken_at", "uploaded_by"]
    list_filter = ["kind", "year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
