"""URLs of the editorial office of the Werkzeugkoffer (/werkzeugkoffer/redaktion/…)."""

from django.urls import path

from . import views_editorial as views

app_name = "toolbox_editorial"

urlpatterns = [
    path("", views.index, name="index"),
    path("neu/", views.create, name="create"),
    path("werkzeuge/<int:pk>/", views.tool, name="tool"),
    path("werkzeuge/<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("werkzeuge/<int:pk>/status/", views.transition, name="transition"),
    path("werkzeuge/<int:pk>/anhaenge/", views.attachment_add, name="attachment_add"),
    path("werkzeuge/<int:pk>/anhaenge/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path(
        "werkzeuge/<int:pk>/anhaenge/<int:attachment_pk>/entfernen/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("werkzeuge/<int:pk>/video/", views.video_upload, name="video"),
    path("werkzeuge/<int:pk>/verlauf/", views.history, name="history"),
    path("werkzeuge/<int:pk>/verlauf/<int:revision_pk>/", views.revision, name="revision"),
    path("themenfelder/", views.topics, name="topics"),
    path("themenfelder/neu/", views.topic_create, name="topic_create"),
    path("themenfelder/<int:topic_pk>/", views.topic_edit, name="topic_edit"),
    path("themenfelder/<int:topic_pk>/loeschen/", views.topic_delete, name="topic_delete"),
]
