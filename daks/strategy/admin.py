from django.contrib import admin

from .models import ChecklistItem, StepGuidance, StrategyProcess


@admin.register(StepGuidance)
class StepGuidanceAdmin(admin.ModelAdmin):
    list_display = ["step", "updated_at", "updated_by"]
    readonly_fields = ["updated_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["text", "step", "code", "order", "required", "active"]
    list_filter = ["step", "required", "active"]
    list_editable = ["order", "required", "active"]
    search_fields = ["text", "code"]


@admin.register(StrategyProcess)
class StrategyProcessAdmin(admin.ModelAdmin):
    """Read-only overview: processes belong to the Kommunen and are edited in DAKS itself."""

    list_display = ["title", "municipality", "start_date", "created_at"]
    list_filter = ["start_date"]
    search_fields = ["title", "municipality__name"]
    list_select_related = ["municipality"]
    readonly_fields = [f.name for f in StrategyProcess._meta.fields] + ["coordinators"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
