from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Level, Region, RegionKeyChange


class LandFilter(admin.SimpleListFilter):
    title = _("Land")
    parameter_name = "land"

    def lookups(self, request, model_admin):
        return Region.objects.filter(level=Level.LAND).order_by("key").values_list("key", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(key__startswith=self.value()).exclude(level=Level.BUND)
        return queryset


class ReadOnlyAdmin(admin.ModelAdmin):
    """Regions come from official files (``manage.py import_regions``); the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["key", "name", "level", "kind", "population", "area_km2", "active"]
    list_filter = ["level", LandFilter, "active", "kind"]
    search_fields = ["name", "=key", "=ars"]
    list_select_related = ["parent"]
    show_full_result_count = False
    raw_id_fields = ["parent"]


@admin.register(RegionKeyChange)
class RegionKeyChangeAdmin(ReadOnlyAdmin):
    list_display = ["change_date", "kind", "level", "old_key", "new_key", "old_name", "new_name"]
    list_filter = ["kind", "level", "change_date"]
    search_fields = ["=old_key", "=new_key", "old_name", "new_name"]
