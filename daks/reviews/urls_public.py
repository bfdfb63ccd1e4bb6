from django.urls import path

from . import views_public

app_name = "survey_public"

# Public survey pages (no login): /umfrage/<token>/
urlpatterns = [
    path("danke/", views_public.thanks, name="thanks"),
    path("<str:token>/", views_public.answer, name="answer"),
]
