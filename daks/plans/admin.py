from django.contrib import admin

from .models import Goal, Measure, Milestone, Plan, PlanVersion, SavedFilter


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["process", "municipality", "published_version", "updated_at"]
    search_fields = ["process__title", "municipality__name"]
    raw_id_fields = ["process", "municipality", "published_version"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "field_of_action", "plan", "indicator_code", "indicator_name", "updated_at"]
    search_fields = ["title", "plan__process__title", "municipality__name"]
    raw_id_fields = ["plan", "municipality", "field_of_action"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "priority", "field_of_action", "plan", "responsible_person", "end_date"]
    list_filter = ["status", "priority"]
    search_fields = ["title", "plan__process__title", "municipality__name"]
    raw_id_fields = ["plan", "municipality", "field_of_action", "responsible_person", "created_by"]
    filter_horizontal = ["goals", "partners"]
    inlines = [MilestoneInline]


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "date", "plan", "created_at"]
    search_fields = ["name", "plan__process__title"]
    raw_id_fields = ["plan", "created_by"]


@admin.register(SavedFilter)
class SavedFilterAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "query", "created_by", "created_at"]
    search_fields = ["name", "plan__process__title"]
    raw_id_fields = ["plan", "created_by"]
