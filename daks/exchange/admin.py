from django.contrib import admin

from .models import Answer, Question, Report


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "author", "municipality", "created_at", "is_hidden"]
    list_filter = ["topic", "is_hidden"]
    search_fields = ["title"]
    raw_id_fields = ["author", "municipality", "accepted_answer"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "created_at", "is_hidden"]
    list_filter = ["is_hidden"]
    list_select_related = ["question"]
    raw_id_fields = ["question", "author"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reporter", "created_at", "resolution", "resolved_at"]
    list_filter = ["resolution"]
    raw_id_fields = ["question", "answer", "reporter", "resolved_by"]
