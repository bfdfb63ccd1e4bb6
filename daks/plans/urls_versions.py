from django.urls import path

from . import views_versions as views

# /kommunen/<municipality_slug>/prozesse/<pk>/werkstattplan/…
urlpatterns = [
    path("fassungen/", views.version_list, name="versions"),
    path("fassungen/vergleich/", views.version_compare, name="version_compare"),
    path("fassungen/<int:version_pk>/", views.version_detail, name="version_detail"),
    path("massnahmen/<int:measure_pk>/verlauf/", views.measure_history, name="measure_history"),
    path("import/", views.import_upload, name="import"),
    path("import/vorlage.<str:fmt>", views.import_template, name="import_template"),
    path("import/<str:token>/", views.import_mapping, name="import_mapping"),
]
