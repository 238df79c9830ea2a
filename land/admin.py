from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Acquisition, LandBatch


@admin.register(LandBatch)
class LandBatchAdmin(SimpleHistoryAdmin):
    list_display = ["year", "number", "name", "submitted_on", "approved_on", "area_mu"]
    list_filter = ["year"]
    filter_horizontal = ["projects"]


@admin.register(Acquisition)
class AcquisitionAdmin(SimpleHistoryAdmin):
    list_display = ["project", "year", "acquired_mu", "buildings_signed", "full_access_on"]
    list_filter = ["year"]
    search_fields = ["project__name", "project__code"]
