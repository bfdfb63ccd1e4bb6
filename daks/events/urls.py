"""URLs of the events (/veranstaltungen/): public pages, the personal registration page, calendar files and the
organisers' pages (/veranstaltungen/verwaltung/)."""

from django.urls import path

from . import views, views_organiser

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("kalender.ics", views.feed, name="feed"),
    path("anmeldung/<str:token>/", views.registration, name="registration"),
    path("verwaltung/", views_organiser.index, name="organiser_list"),
    path("verwaltung/neu/", views_organiser.create, name="create"),
    path("verwaltung/<int:pk>/", views_organiser.manage, name="manage"),
    path("verwaltung/<int:pk>/bearbeiten/", views_organiser.edit, name="edit"),
    path("verwaltung/<int:pk>/veroeffentlichen/", views_organiser.publish, name="publish"),
    path("verwaltung/<int:pk>/absagen/", views_organiser.cancel, name="cancel"),
    path("verwaltung/<int:pk>/material/", views_organiser.material, name="material"),
    path("verwaltung/<int:pk>/teilnehmende.<str:format>", views_organiser.export, name="export"),
    path("<slug:slug>.ics", views.event_ics_download, name="ics"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/folien/", views.slides, name="slides"),
]
