"""Editorial office (Django admin) for Kommunen, teams, invitations and join requests."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from daks.core.errors import DomainError

from . import services
from .models import Invitation, JoinRequest, Membership, Municipality


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "created_at"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verified")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(verified_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(verified_at__isnull=True)
        return queryset


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "state", "official_key", "is_verified", "created_at"]
    list_filter = [VerifiedFilter, "kind", "country", "state"]
    search_fields = ["name", "official_key", "slug"]
    readonly_fields = ["slug", "verified_at", "verification_method", "created_by", "created_at", "updated_at"]
    fields = [
        "name",
        "slug",
        "kind",
        "country",
        "state",
        "official_key",
        "website",
        "logo",
        "description",
        "verified_at",
        "verification_method",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [MembershipInline]
    actions = ["mark_verified", "mark_unverified"]
    date_hierarchy = "created_at"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(boolean=True, description=_("verified"), ordering="verified_at")
    def is_verified(self, obj):
        return obj.is_verified

    def has_add_permission(self, request):
        # Kommunen are registered by their coordination (with membership and audit entry), not here.
        return False

    def _run(self, request, queryset, service, message):
        done = 0
        for municipality in queryset:
            try:
                service(actor=request.user, municipality=municipality)
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
                return
            done += 1
        self.message_user(request, message(done), messages.SUCCESS)

    @admin.action(description=_("Mark as verified"), permissions=["change"])
    def mark_verified(self, request, queryset):
        self._run(
            request,
            queryset,
            services.municipality_verify,
            lambda n: (
                ngettext(
                    "%(count)d municipality marked as verified.", "%(count)d municipalities marked as verified.", n
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Withdraw verification"), permissions=["change"])
    def mark_unverified(self, request, queryset):
        self._run(
            request,
            queryset,
            services.municipality_unverify,
            lambda n: (
                ngettext(
                    "Verification withdrawn for %(count)d municipality.",
                    "Verification withdrawn for %(count)d municipalities.",
                    n,
                )
                % {"count": n}
            ),
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__name", "user__email", "municipality__name"]
    list_select_related = ["user", "municipality"]
    autocomplete_fields = ["municipality"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "municipality",
        "role",
        "invited_by",
        "expires_at",
        "sent_count",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    search_fields = ["email", "municipality__name"]
    list_select_related = ["municipality", "invited_by"]
    # The token hash is never shown; invitations are only created through the team page (they need a mail).
    fields = [
        "municipality",
        "email",
        "role",
        "message",
        "invited_by",
        "expires_at",
        "sent_count",
        "accepted_at",
        "accepted_by",
        "revoked_at",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__name", "user__email", "municipality__name"]
    list_select_related = ["user", "municipality"]
    fields = ["municipality", "user", "message", "status", "decided_by", "decided_at", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
