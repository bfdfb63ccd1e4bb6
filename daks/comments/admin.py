from django.contrib import admin

from .models import Comment, Notification


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "municipality", "content_type", "object_id", "author", "created_at", "deleted_at")
    list_filter = ("municipality", "content_type")
    search_fields = ("body",)
    raw_id_fields = ("author", "deleted_by", "mentioned")
    readonly_fields = ("content_type", "object_id", "created_at", "updated_at")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "municipality", "target_label", "created_at", "read_at")
    list_filter = ("kind", "municipality")
    raw_id_fields = ("recipient", "actor", "comment")
