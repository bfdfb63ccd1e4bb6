from django.urls import path

from . import views_public as views

app_name = "participate"

# Public participation pages (no login): /mitmachen/<token>/…
urlpatterns = [
    path("<str:token>/", views.board, name="board"),
    path("<str:token>/teilnehmen/", views.join, name="join"),
    path("<str:token>/ideen/neu/", views.idea_add, name="idea_add"),
    path("<str:token>/ideen/<int:idea_pk>/unterstuetzen/", views.support, name="support"),
    path("<str:token>/ideen/<int:idea_pk>/punkt/", views.vote_add, name="vote_add"),
    path("<str:token>/ideen/<int:idea_pk>/punkt-zuruecknehmen/", views.vote_remove, name="vote_remove"),
]
