from django.urls import path, re_path, register_converter

from . import views

app_name = "pages"

# The legal pages have short addresses of their own (/impressum/, /datenschutz/, /barrierefreiheit/);
# pages added later by the editorial office live under /seiten/<slug>/. A catch-all "<slug>/" at the
# root would swallow the addresses of other apps. Both patterns share the name "pages:page", so
# {% url "pages:page" slug %} always gives the right address.
LEGAL_PAGES = ("impressum", "datenschutz", "barrierefreiheit")


class OtherPageSlugConverter:
    """A slug that is not one of the legal pages (those have their own short address)."""

    regex = "[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        if value in LEGAL_PAGES:
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        if value in LEGAL_PAGES:
            raise ValueError(value)
        return value


register_converter(OtherPageSlugConverter, "other_page_slug")

urlpatterns = [
    re_path(r"^(?P<slug>{})/$".format("|".join(LEGAL_PAGES)), views.page, name="page"),
    path("seiten/<other_page_slug:slug>/", views.page, name="page"),
]
