from django.urls import path, re_path, register_converter

from . import views

app_name = "pages"

# The legal pages and the page in Leichte Sprache have short addresses of their own (/impressum/, /datenschutz/,
# /barrierefreiheit/, /leichte-sprache/); pages added later by the editorial office live under /seiten/<slug>/.
# A catch-all "<slug>/" at the root would swallow the addresses of other apps. Both patterns share the name
# "pages:page", so {% url "pages:page" slug %} always gives the right address.
LEGAL_PAGES = ("impressum", "datenschutz", "barrierefreiheit", "leichte-sprache")


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
    # The feedback mechanism of the accessibility statement (BITV 2.0 § 7 Abs. 1 Satz 2 Nr. 2).
    path("barrierefreiheit/barriere-melden/", views.barrier_report, name="barrier_report"),
    path("barrierefreiheit/barriere-melden/danke/", views.barrier_report_thanks, name="barrier_report_thanks"),
]
