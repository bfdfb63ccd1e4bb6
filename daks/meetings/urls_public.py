from django.urls import path

from . import views

app_name = "meetings_public"

# Public RSVP page of a personal meeting invitation (no login).
urlpatterns = [
    path("zusage/<str:token>/", views.rsvp, name="rsvp"),
]
