from django.contrib import admin

from .models import Cluster, Idea, ParticipationLink, Photo, Workshop


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ("meeting", "municipality", "process", "current_phase", "voting_open")
    list_filter = ("current_phase", "voting_open")
    search_fields = ("meeting__title", "municipality__name")
    raw_id_fields = ("meeting", "process", "municipality")


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ("__str__", "workshop", "phase", "status", "created_at")
    list_filter = ("phase", "status")
    search_fields = ("text",)
    raw_id_fields = ("workshop", "municipality", "field_of_action", "cluster", "author", "participant", "measure")
    readonly_fields = ("moderated_by",)


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("title", "workshop", "phase")
    raw_id_fields = ("workshop",)


@admin.register(ParticipationLink)
class ParticipationLinkAdmin(admin.ModelAdmin):
    list_display = ("workshop", "opens_at", "closes_at", "closed_at")
    raw_id_fields = ("workshop", "created_by")
    exclude = ("token_hash",)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ("__str__", "workshop", "phase", "created_at")
    raw_id_fields = ("workshop", "uploaded_by")
