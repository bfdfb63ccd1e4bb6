from django.urls import path

from . import views_monitoring as views

app_name = "plans_public"

# /plaene/… (no login): the published version of a Werkstattplan and its open data
urlpatterns = [
    path("<slug:municipality_slug>/<int:process_pk>/", views.public_plan, name="plan"),
    path("<slug:municipality_slug>/<int:process_pk>/daten.json", views.public_data, name="data"),
]
