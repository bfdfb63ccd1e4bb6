"""URLs of the network (``/netzwerk/``): directory and map, portraits, contact form, groups, network office."""

from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("kommunen/<slug:municipality_slug>/", views.portrait, name="portrait"),
    path("kommunen/<slug:municipality_slug>/bild/", views.portrait_image, name="portrait_image"),
    path("kommunen/<slug:municipality_slug>/kontakt/", views.contact, name="contact"),
    path("gruppen/", views.group_list, name="groups"),
    path("gruppen/neu/", views.group_create, name="group_create"),
    path("gruppen/<slug:slug>/", views.group_detail, name="group"),
    path("gruppen/<slug:slug>/bearbeiten/", views.group_edit, name="group_edit"),
    path("gruppen/<slug:slug>/loeschen/", views.group_delete, name="group_delete"),
    path("gruppen/<slug:slug>/synopse.<str:format>", views.group_export, name="group_export"),
    path("netzwerkbuero/", views.office, name="office"),
]
