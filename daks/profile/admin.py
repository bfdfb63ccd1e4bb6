from django.contrib import admin

from .models import FieldOfAction, ProfileInterpretation, SwotItem


@admin.register(SwotItem)
class SwotItemAdmin(admin.ModelAdmin):
    list_display = ["text", "quadrant", "process", "municipality", "position", "updated_at"]
    list_filter = ["quadrant"]
    search_fields = ["text", "process__title", "municipality__name"]
    raw_id_fields = ["process", "municipality", "author"]


@admin.register(FieldOfAction)
class FieldOfActionAdmin(admin.ModelAdmin):
    list_display = ["title", "priority", "process", "municipality", "updated_at"]
    search_fields = ["title", "process__title", "municipality__name"]
    raw_id_fields = ["process", "municipality", "author"]
    filter_horizontal = ["swot_items"]


@admin.register(ProfileInterpretation)
class ProfileInterpretationAdmin(admin.ModelAdmin):
    list_display = ["section", "process", "municipality", "updated_by", "updated_at"]
    list_filter = ["section"]
    search_fields = ["text", "process__title", "municipality__name"]
    raw_id_fields = ["process", "municipality", "updated_by"]
