from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Publication


@admin.register(Publication)
class PublicationAdmin(SimpleHistoryAdmin):
    list_display = ["project", "publishable", "changed_by", "changed_at"]
    list_filter = ["publishable"]
    search_fields = ["project__code", "project__name"]
    autocomplete_fields = ["project"]
    readonly_fields = ["changed_by", "changed_at"]
    actions = ["publish", "withdraw"]

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="设为公开发布")
    def publish(self, request, queryset):
        self._set(request, queryset, True)

    @admin.action(description="取消公开发布")
    def withdraw(self, request, queryset):
        self._set(request, queryset, False)

    def _set(self, request, queryset, publishable):
        for publication in queryset.exclude(publishable=publishable):
            publication.publishable = publishable
            publication.changed_by = request.user
            publication.save()
