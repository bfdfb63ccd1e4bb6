from django.contrib import admin

from .models import Event, Registration


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ("name", "email", "organisation", "status", "created_at", "cancelled_at")
    readonly_fields = ("created_at", "cancelled_at")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "group", "starts_at", "status", "capacity")
    list_filter = ("kind", "status", "group")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("tools",)
    inlines = [RegistrationInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "email")
    exclude = ("token_hash",)
