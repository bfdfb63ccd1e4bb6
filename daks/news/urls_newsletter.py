"""URLs of the newsletter (namespace ``newsletter``) under ``/newsletter/``."""

from django.urls import path

from . import views_newsletter as views

app_name = "newsletter"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("danke/", views.thanks, name="thanks"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("archiv/", views.archive, name="archive"),
    path("archiv/<int:pk>/", views.archive_detail, name="archive_detail"),
    path("redaktion/", views.editorial_index, name="editorial_index"),
    path("redaktion/neu/", views.editorial_create, name="editorial_create"),
    path("redaktion/<int:pk>/", views.editorial_issue, name="editorial_issue"),
    path("redaktion/<int:pk>/senden/", views.editorial_send, name="editorial_send"),
]
