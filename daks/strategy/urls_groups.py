from django.urls import path

from . import group_views

# /kommunen/<municipality_slug>/prozesse/arbeitsgruppen/… (namespace "strategy")
urlpatterns = [
    path("", group_views.group_list, name="groups"),
    path("neu/", group_views.group_create, name="group_create"),
    path("<int:pk>/", group_views.group_detail, name="group_detail"),
    path("<int:pk>/bearbeiten/", group_views.group_edit, name="group_edit"),
    path("<int:pk>/loeschen/", group_views.group_delete, name="group_delete"),
]
