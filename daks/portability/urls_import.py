"""The import of a workspace archive; included in config/urls.py BEFORE ``kommunen/`` (whose ``<slug>/`` would
otherwise take "importieren" for the address of a Kommune)::

    path("kommunen/importieren/", include("daks.portability.urls_import")),
"""

from django.urls import path

from . import views

app_name = "portability_import"

urlpatterns = [
    path("", views.import_form, name="form"),
]
