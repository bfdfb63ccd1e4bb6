"""URLs of the toolbox in the workspace of a Kommune (toolbox_municipality), under
``/kommunen/<municipality_slug>/werkzeugkoffer/``."""

from django.urls import path

from . import views_workspace as views

app_name = "toolbox_municipality"

urlpatterns = [
    path("einreichen/", views.submit, name="submit"),
    path("einreichungen/", views.submissions, name="submissions"),
]
