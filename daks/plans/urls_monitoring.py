from django.urls import path

from . import views_monitoring as views

# /kommunen/<municipality_slug>/prozesse/<pk>/werkstattplan/… ("export/" belongs to the profile's URLs)
urlpatterns = [
    path("monitoring/", views.monitoring_dashboard, name="monitoring"),
    path("zeitplan/", views.timeline_page, name="timeline"),
    path("exporte/", views.export_page, name="export"),
    path("exporte/<slug:fmt>/", views.export_start, name="export_start"),
    path("exporte/auftrag/<str:token>/", views.export_job, name="export_job"),
    path("exporte/auftrag/<str:token>/datei/", views.export_download, name="export_download"),
    path("veroeffentlichung/", views.publishing_page, name="publishing"),
    path("veroeffentlichung/zuruecknehmen/", views.unpublish, name="unpublish"),
]
