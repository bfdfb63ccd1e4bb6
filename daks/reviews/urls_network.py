"""The network office's surveys under /netzwerk/umfragen/."""

from django.urls import path

from . import views_network as views

app_name = "network_surveys"

urlpatterns = [
    path("", views.office, name="office"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/schliessen/", views.close, name="close"),
]
