from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Acquisition, AcquisitionProgress, LandBatch


@admin.register(LandBatch)
class LandBatchAdmin(SimpleHistoryAdmin):
    list_display = ["year", "number", "name", "submitted_on", "approved_on", "area_mu"]
    list_filter = ["year"]
    filter_horizontal = ["projects"]


class AcquisitionProgressInline(admin.TabularInline):
    model = AcquisitionProgress
    extra = 0
    fields = ["recorded_on", "acquired_mu", "buildings_signed", "note"]


@admin.register(Acquisition)
class AcquisitionAdmin(SimpleHistoryAdmin):
    """The yearly totals are the sums of the dated rows (征拆进度), edited inline."""

    list_display = ["project", "year", "acquired_mu", "buildings_signed", "full_access_on"]
    list_filter = ["year"]
    search_fields = ["project__name", "project__code"]
    readonly_fields = ["acquired_mu", "buildings_signed"]
    inlines = [AcquisitionProgressInline]

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            services.acquisition_totals_refresh(form.instance)


@admin.register(AcquisitionProgress)
class AcquisitionProgressAdmin(SimpleHistoryAdmin):
    list_display = ["acquisition", "recorded_on", "acquired_mu", "buildings_signed", "note"]
    list_filter = ["acquisition__year", "recorded_on"]
    search_fields = ["acquisition__project__name", "acquisition__project__code", "note"]
    date_hierarchy = "recorded_on"
    list_select_related = ["acquisition__project"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            services.acquisition_totals_refresh(obj.acquisition)

    def delete_model(self, request, obj):
        with transaction.atomic():
            acquisition = obj.acquisition
            super().delete_model(request, obj)
            services.acquisition_totals_refresh(acquisition)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            acquisitions = list(Acquisition.objects.filter(progress__in=queryset).distinct())
            super().delete_queryset(request, queryset)
            for acquisition in acquisitions:
                services.acquisition_totals_refresh(acquisition)
