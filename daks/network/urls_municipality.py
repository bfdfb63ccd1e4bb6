"""URLs of the portrait in the workspace (``/kommunen/<municipality_slug>/portrait/``)."""

from django.urls import path

from . import views_municipality as views

app_name = "network_municipality"

urlpatterns = [
    path("", views.edit, name="edit"),
    path("kontaktperson/", views.consent, name="consent"),
]
