from django.urls import path

from . import views_own_data as views

app_name = "own_data"

# A Kommune's own statistics (uploads), under /kommunen/<municipality_slug>/daten/.
urlpatterns = [
    path("", views.dataset_list, name="list"),
    path("hochladen/", views.dataset_upload, name="upload"),
    path("<int:pk>/", views.dataset_detail, name="detail"),
    path("<int:pk>/csv/", views.dataset_download, name="download"),
    path("<int:pk>/loeschen/", views.dataset_delete, name="delete"),
]
