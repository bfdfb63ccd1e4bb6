from django.urls import path

from . import views_inventory as views

# Included from daks.profile.urls (namespace "profile"): /kommunen/<municipality_slug>/prozesse/<pk>/<step_slug>/…
urlpatterns = [
    path("bestandsaufnahme/", views.inventory, name="inventory"),
    path("bestandsaufnahme/neu/", views.inventory_create, name="inventory_create"),
    path("bestandsaufnahme/<int:item_pk>/", views.inventory_detail, name="inventory_detail"),
    path("bestandsaufnahme/<int:item_pk>/bearbeiten/", views.inventory_edit, name="inventory_edit"),
    path("bestandsaufnahme/<int:item_pk>/loeschen/", views.inventory_delete, name="inventory_delete"),
    path("bestandsaufnahme/<int:item_pk>/dokument/", views.inventory_document, name="inventory_document"),
    path("interviews/", views.interviews, name="interviews"),
    path("interviews/neu/", views.interview_create, name="interview_create"),
    path("interviews/<int:interview_pk>/bearbeiten/", views.interview_edit, name="interview_edit"),
    path("interviews/<int:interview_pk>/loeschen/", views.interview_delete, name="interview_delete"),
]
