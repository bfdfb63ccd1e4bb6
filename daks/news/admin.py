from django.contrib import admin

from .models import Delivery, NewsItem, NewsletterIssue, Subscriber


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "municipality", "published_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "teaser"]
    raw_id_fields = ["author", "municipality", "reviewed_by"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    exclude = ["confirm_token_hash", "unsubscribe_nonce", "unsubscribe_hash"]


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "sent_count", "recipient_count", "sent_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "sent_count", "recipient_count", "started_at", "sent_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["issue", "subscriber", "status", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["issue", "subscriber"]
