from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("datenlexikon/", views.data_dictionary, name="dictionary"),
    path("datapackage.json", views.datapackage_json, name="datapackage"),
    path("dateien/<str:filename>", views.download, name="file"),
]
