from django.urls import path

from . import views

app_name = "portability"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("starten/", views.start, name="start"),
    path("<int:pk>/", views.status, name="status"),
    path("<int:pk>/herunterladen/", views.download, name="download"),
]
