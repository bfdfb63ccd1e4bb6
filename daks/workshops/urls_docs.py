from django.urls import path

from . import views_docs

# Inside the "workshops" namespace: /kommunen/<municipality_slug>/prozesse/<pk>/<step_slug>/…
urlpatterns = [
    path("werkstaetten/<int:workshop_pk>/dokumentation/", views_docs.documentation, name="documentation"),
    path("werkstaetten/<int:workshop_pk>/bericht.<slug:format>", views_docs.report, name="report"),
    path("werkstaetten/<int:workshop_pk>/in-den-plan/", views_docs.into_plan, name="into_plan"),
    path("werkstaetten/<int:workshop_pk>/fotos/", views_docs.photos, name="photos"),
    path("werkstaetten/<int:workshop_pk>/fotos/<int:photo_pk>/bild", views_docs.photo_image, name="photo_image"),
    path(
        "werkstaetten/<int:workshop_pk>/fotos/<int:photo_pk>/vorschau",
        views_docs.photo_thumbnail,
        name="photo_thumbnail",
    ),
    path("werkstaetten/<int:workshop_pk>/fotos/<int:photo_pk>/loeschen", views_docs.photo_delete, name="photo_delete"),
]
