from django.contrib import admin

from .models import Question, Response, Survey, SurveyInvitation, SurveySection


class SectionInline(admin.TabularInline):
    model = SurveySection
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "section", "kind", "text", "required", "key"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "process", "municipality", "anonymous", "opens_at", "closes_at", "closed_at"]
    list_filter = ["anonymous"]
    search_fields = ["title", "process__title", "municipality__name"]
    raw_id_fields = ["process", "municipality", "created_by"]
    exclude = ["open_link_token_hash"]
    inlines = [SectionInline, QuestionInline]


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "survey", "sent_at", "reminded_at", "responded_at"]
    search_fields = ["email", "name", "survey__title"]
    raw_id_fields = ["survey", "member", "actor"]
    exclude = ["token_hash"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read-only: responses are written through the survey links only (anonymous ones never name a person)."""

    list_display = ["survey", "submitted_at", "via_open_link"]
    list_filter = ["via_open_link"]
    readonly_fields = ["survey", "invitation", "via_open_link", "submitted_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
