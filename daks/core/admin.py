from django.contrib import admin

from .models import AuditLogEntry


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """The audit log is read-only: nobody adds, changes or deletes entries through the admin."""

    list_display = ["created_at", "actor", "municipality", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["action", "object_repr", "actor__email", "municipality__name"]
    list_select_related = ["actor", "municipality"]
    date_hierarchy = "created_at"
    fields = ["created_at", "actor", "municipality", "action", "object_repr", "data"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
