from django.contrib import admin

from .models import AgendaItem, Meeting, MeetingInvitation


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "municipality", "starts_at")
    list_filter = ("municipality",)
    search_fields = ("title",)
    inlines = [AgendaItemInline]


@admin.register(MeetingInvitation)
class MeetingInvitationAdmin(admin.ModelAdmin):
    list_display = ("name", "meeting", "rsvp", "attended")
    exclude = ("token_hash",)
