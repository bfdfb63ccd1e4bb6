from django.urls import path

from . import views_export

# Inside the "profile" namespace: /kommunen/<municipality_slug>/prozesse/<pk>/<step_slug>/export/…
urlpatterns = [
    path("export/", views_export.export, name="export"),
    path("export/kommunalprofil.<slug:format>", views_export.export_download, name="export_download"),
]
