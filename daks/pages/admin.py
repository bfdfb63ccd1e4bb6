from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import BarrierReport, Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "language", "updated_at", "updated_by"]
    search_fields = ["title", "slug", "body"]
    fields = ["title", "slug", "language", "body"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(BarrierReport)
class BarrierReportAdmin(admin.ModelAdmin):
    """Reported barriers: the editorial office reads them, answers by e-mail and marks them done."""

    list_display = ["created_at", "summary", "page_url", "name", "email", "is_done"]
    list_filter = ["is_done"]
    search_fields = ["description", "page_url", "name", "email"]
    date_hierarchy = "created_at"
    fields = ["created_at", "page_url", "name", "email", "language", "description", "is_done", "note"]
    readonly_fields = ["created_at", "page_url", "name", "email", "language", "description"]

    @admin.display(description=_("description of the barrier"))
    def summary(self, obj):
        return Truncator(obj.description).chars(80)

    def has_add_permission(self, request):
        return False
