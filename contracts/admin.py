from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Contract, Payment, StatisticsRegistration, StatisticsReport, Variation


class VariationInline(admin.TabularInline):
    model = Variation
    extra = 0


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["title", "project", "kind", "firm", "price", "signed_on", "settled_amount", "audited_amount"]
    list_filter = ["kind"]
    search_fields = ["title", "number", "project__name", "project__code", "firm__name"]
    raw_id_fields = ["project", "tender", "firm"]
    inlines = [VariationInline]


@admin.register(Variation)
class VariationAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "kind", "amount", "days", "requested_on", "approved_on"]
    list_filter = ["kind"]
    search_fields = ["contract__title", "contract__project__name", "reason"]


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "paid_on", "work_completed", "amount"]
    search_fields = ["contract__title", "contract__project__name"]
    raw_id_fields = ["contract"]


@admin.register(StatisticsRegistration)
class StatisticsRegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["project", "registered_on", "statistics_code"]
    search_fields = ["project__name", "project__code", "statistics_code"]


@admin.register(StatisticsReport)
class StatisticsReportAdmin(SimpleHistoryAdmin):
    list_display = ["project", "year", "month", "amount"]
    list_filter = ["year", "month"]
    search_fields = ["project__name", "project__code"]
