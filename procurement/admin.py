from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Negotiation, Permit, Tender


@admin.register(Tender)
class TenderAdmin(SimpleHistoryAdmin):
    list_display = ["title", "project", "kind", "published_on", "bid_opened_on", "winner", "amount"]
    list_filter = ["kind"]
    search_fields = ["title", "project__name", "project__code"]


@admin.register(Permit)
class PermitAdmin(SimpleHistoryAdmin):
    list_display = ["project", "kind", "number", "issued_on"]
    list_filter = ["kind"]
    search_fields = ["project__name", "project__code", "number"]


@admin.register(Negotiation)
class NegotiationAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "title", "suppliers_attending"]
    search_fields = ["title", "projects__name", "projects__code"]
    filter_horizontal = ["projects", "contractors"]
