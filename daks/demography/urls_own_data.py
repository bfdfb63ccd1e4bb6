from django.urls import path

from . import views_own_data as views
from . import views_scenarios

app_name = "own_data"

# A Kommune's own statistics (uploads), under /kommunen/<municipality_slug>/daten/.
urlpatterns = [
    path("", views.dataset_list, name="list"),
    path("hochladen/", views.dataset_upload, name="upload"),
    path("<int:pk>/", views.dataset_detail, name="detail"),
    path("<int:pk>/csv/", views.dataset_download, name="download"),
    path("<int:pk>/loeschen/", views.dataset_delete, name="delete"),
]

# The Kommune's projection scenarios (presets read-only, own ones with background computation).
urlpatterns += [
    path("szenarien/", views_scenarios.scenario_list, name="scenarios"),
    path("szenarien/neu/", views_scenarios.scenario_create, name="scenario_create"),
    path("szenarien/<int:pk>/", views_scenarios.scenario_edit, name="scenario_edit"),
    path("szenarien/<int:pk>/loeschen/", views_scenarios.scenario_delete, name="scenario_delete"),
    path("szenarien/<int:pk>/status/", views_scenarios.scenario_status, name="scenario_status"),
]
