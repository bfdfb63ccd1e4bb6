from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "municipality", "scope", "prefix", "created_at", "expires_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "user__email", "municipality__name", "prefix"]
    readonly_fields = ["prefix", "token_hash", "created_at", "last_used_at"]
