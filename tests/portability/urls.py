"""The site's URLs with the import page in front (as config/urls.py includes it once the lead has wired it)."""

from django.urls import include, path

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("kommunen/importieren/", include("daks.portability.urls_import")),
    *[pattern for pattern in site_urlpatterns if getattr(pattern, "namespace", None) != "portability_import"],
]
