"""The Werkzeugkoffer in the admin: for looking things up. Tools are written in the editorial office
(/werkzeugkoffer/redaktion/), which keeps the history and the search index; membership of the editorial groups
("Werkzeugkoffer-Redaktion", "Werkzeugkoffer-Prüfung") is assigned to users in the user administration."""

from django.contrib import admin
from django.db import models

from . import search
from .models import Tool, ToolAttachment, ToolRevision, TopicField


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ToolAttachmentInline(admin.TabularInline):
    model = ToolAttachment
    fields = ["title", "file", "size", "content_type", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Tool)
class ToolAdmin(ReadOnlyAdmin):
    """Read-only; deleting (e.g. spam submitted by a Kommune) also removes the tool from the search index."""

    list_display = ["title", "status", "tool_type", "origin_municipality", "submitted_by", "updated_at"]
    list_filter = ["status", "tool_type", "is_editorial"]
    search_fields = ["title", "slug", "teaser"]
    list_select_related = ["origin_municipality", "submitted_by"]
    date_hierarchy = "updated_at"
    exclude = ["search_vector", "keywords"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [ToolAttachmentInline]

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        search.remove_from_index([pk])

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        search.remove_from_index(ids)


@admin.register(TopicField)
class TopicFieldAdmin(ReadOnlyAdmin):
    """Read-only: topic fields are maintained in the editorial office (which refuses deleting used ones)."""

    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ToolRevision)
class ToolRevisionAdmin(ReadOnlyAdmin):
    list_display = ["tool", "action", "status", "author", "created_at"]
    list_filter = ["action", "status"]
    search_fields = ["tool__title", "note", "author__email"]
    list_select_related = ["tool", "author"]
    date_hierarchy = "created_at"
    readonly_fields = ["tool", "author", "action", "status", "changed_fields", "snapshot", "note", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False
