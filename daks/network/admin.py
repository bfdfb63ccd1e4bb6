from django.contrib import admin

from .models import ContactConsent, MunicipalityGroup, Portrait


@admin.register(Portrait)
class PortraitAdmin(admin.ModelAdmin):
    list_display = ["municipality", "is_public", "share_stage", "updated_at"]
    list_filter = ["is_public", "share_stage"]
    search_fields = ["municipality__name"]
    raw_id_fields = ["municipality", "contacts"]
    filter_horizontal = ["topics"]


@admin.register(ContactConsent)
class ContactConsentAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "given_at"]
    raw_id_fields = ["user", "municipality"]


@admin.register(MunicipalityGroup)
class MunicipalityGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "updated_at"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]
