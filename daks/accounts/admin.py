"""Accounts in the administration: staff give people the roles of the editorial office (the groups
"Werkzeugkoffer-Redaktion" and "Werkzeugkoffer-Prüfung") here. Passwords are never set here: people reset them."""

from django.contrib import admin

from .models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "is_active", "is_staff", "date_joined", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "name"]
    ordering = ["name", "email"]
    fields = ["email", "name", "language", "is_active", "is_staff", "groups", "date_joined", "last_login"]
    readonly_fields = ["date_joined", "last_login"]
    filter_horizontal = ["groups"]

    def has_add_permission(self, request):
        return False  # people register themselves or are invited by their Kommune
