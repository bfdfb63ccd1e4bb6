from django.urls import path

from . import views

app_name = "comments"

# /kommunen/<municipality_slug>/kommentare/…
urlpatterns = [
    path("<str:model>/<int:object_pk>/", views.thread_page, name="thread"),
    path("<str:model>/<int:object_pk>/neu/", views.comment_create, name="create"),
    path("eintrag/<int:comment_pk>/loeschen/", views.comment_delete, name="delete"),
]
