from django.urls import path

from . import views_notifications as views

app_name = "notifications"

# /benachrichtigungen/…
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/oeffnen/", views.notification_open, name="open"),
    path("<int:pk>/gelesen/", views.notification_mark_read, name="mark_read"),
    path("alle-gelesen/", views.notification_mark_all_read, name="mark_all_read"),
]
