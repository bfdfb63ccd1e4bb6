from django.urls import path

from . import views, views_activity

# /kommunen/<municipality_slug>/prozesse/…
urlpatterns = [
    path("", views.process_list, name="list"),
    path("neu/", views.process_create, name="create"),
    path("<int:pk>/", views.process_overview, name="overview"),
    path("<int:pk>/bearbeiten/", views.process_edit, name="edit"),
    path("<int:pk>/loeschen/", views.process_delete, name="delete"),
    path("<int:pk>/aktivitaet/", views_activity.process_activity, name="activity"),
    path("<int:pk>/<slug:step_slug>/", views.step_detail, name="step"),
    path("<int:pk>/<slug:step_slug>/status/", views.step_status, name="step_status"),
    path("<int:pk>/<slug:step_slug>/checkliste/", views.checklist_toggle, name="checklist_toggle"),
    path(
        "<int:pk>/<slug:step_slug>/vorlagen/<slug:identifier>.<str:extension>",
        views.document_download,
        name="document",
    ),
]
