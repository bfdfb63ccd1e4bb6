from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from daks.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The language switch of every page, without a CSRF token so that public pages set no cookie; switching the
    # display language is not a state change worth protecting.
    path("sprache/", csrf_exempt(set_language), name="language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("konto/", include("daks.accounts.urls")),
    path("kommunen/importieren/", include("daks.portability.urls_import")),
    path("kommunen/", include("daks.municipalities.urls")),
    path("kommunen/<slug:municipality_slug>/daten/", include("daks.demography.urls_own_data")),
    path("kommunen/<slug:municipality_slug>/prozesse/", include("daks.strategy.urls")),
    path("kommunen/<slug:municipality_slug>/prozesse/<int:pk>/<slug:step_slug>/", include("daks.profile.urls")),
    path("kommunen/<slug:municipality_slug>/prozesse/<int:pk>/<slug:step_slug>/", include("daks.plans.urls")),
    path("kommunen/<slug:municipality_slug>/prozesse/<int:pk>/<slug:step_slug>/", include("daks.workshops.urls")),
    path("kommunen/<slug:municipality_slug>/prozesse/<int:pk>/<slug:step_slug>/", include("daks.reviews.urls")),
    path("kommunen/<slug:municipality_slug>/prozesse/<int:pk>/<slug:step_slug>/", include("daks.toolbox.urls_process")),
    path("kommunen/<slug:municipality_slug>/werkzeugkoffer/", include("daks.toolbox.urls_municipality")),
    path("kommunen/<slug:municipality_slug>/portrait/", include("daks.network.urls_municipality")),
    path("kommunen/<slug:municipality_slug>/treffen/", include("daks.meetings.urls")),
    path("kommunen/<slug:municipality_slug>/kommentare/", include("daks.comments.urls")),
    path("benachrichtigungen/", include("daks.comments.urls_notifications")),
    path("", include("daks.meetings.urls_public")),
    path("plaene/", include("daks.plans.urls_public")),
    path("mitmachen/", include("daks.workshops.urls_public")),
    path("umfrage/", include("daks.reviews.urls_public")),
    path("werkzeugkoffer/redaktion/", include("daks.toolbox.urls_editorial")),
    path("werkzeugkoffer/", include("daks.toolbox.urls")),
    path("netzwerk/umfragen/", include("daks.reviews.urls_network")),
    path("netzwerk/", include("daks.network.urls")),
    path("veranstaltungen/", include("daks.events.urls")),
    path("aktuelles/", include("daks.news.urls")),
    path("newsletter/", include("daks.news.urls_newsletter")),
    path("austausch/", include("daks.exchange.urls")),
    path("regionen/", include("daks.demography.urls")),
    path("api/v1/", include("daks.api.urls")),
    path("api/", include("daks.api.urls_pages")),
    path("konto/api-tokens/", include("daks.api.urls_tokens")),
    path("offene-daten/", include("daks.opendata.urls")),
    path("kommunen/<slug:municipality_slug>/datenmitnahme/", include("daks.portability.urls")),
    path("", include("daks.pages.urls")),
    path("", include("daks.core.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "daks.core.views.page_not_found"
handler500 = "daks.core.views.server_error"
handler403 = "daks.core.views.permission_denied"
