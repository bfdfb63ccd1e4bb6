from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("loeschen/", views.account_delete, name="delete"),
    path("loeschung-geplant/", views.deletion_scheduled, name="deletion_scheduled"),
    path("loeschung-abbrechen/<str:token>/", views.deletion_cancel, name="deletion_cancel"),
]
