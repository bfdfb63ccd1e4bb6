from django.urls import path

from . import views_export

# Inside the "meetings" namespace: /kommunen/<municipality_slug>/treffen/…
urlpatterns = [
    path("<int:pk>/protokoll.<slug:format>", views_export.minutes_export, name="minutes_export"),
]
