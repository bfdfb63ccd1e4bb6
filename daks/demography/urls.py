from django.urls import path, register_converter

from . import views

app_name = "demography"


class RegionKeyConverter:
    """Official region keys: ``DG`` (Deutschland) or 2 to 12 digits."""

    regex = "DG|[0-9]{2,12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RegionKeyConverter, "region_key")

urlpatterns = [
    path("", views.search, name="search"),
    path("suche/", views.search_results, name="search_results"),
    path("<region_key:key>/", views.region, name="region"),
    path("<region_key:key>/<slug:chart>.csv", views.region_csv, name="region_csv"),
]
