from django.urls import path

from . import views

# /kommunen/<municipality_slug>/prozesse/<pk>/werkstattplan/…
urlpatterns = [
    path("plan/", views.document, name="document"),
    path("plan/text/", views.text_edit, name="text_edit"),
    path("ziele/", views.goals, name="goals"),
    path("ziele/neu/", views.goal_create, name="goal_create"),
    path("ziele/<int:goal_pk>/bearbeiten/", views.goal_edit, name="goal_edit"),
    path("ziele/<int:goal_pk>/loeschen/", views.goal_delete, name="goal_delete"),
    path("ziele/<int:goal_pk>/verschieben/", views.goal_move, name="goal_move"),
    path("massnahmen/", views.measures, name="measures"),
    path("massnahmen/neu/", views.measure_create, name="measure_create"),
    path("massnahmen/filter/", views.saved_filter_create, name="saved_filter_create"),
    path("massnahmen/filter/<int:filter_pk>/loeschen/", views.saved_filter_delete, name="saved_filter_delete"),
    path("massnahmen/<int:measure_pk>/", views.measure_detail, name="measure_detail"),
    path("massnahmen/<int:measure_pk>/bearbeiten/", views.measure_edit, name="measure_edit"),
    path("massnahmen/<int:measure_pk>/loeschen/", views.measure_delete, name="measure_delete"),
    path("massnahmen/<int:measure_pk>/verschieben/", views.measure_move, name="measure_move"),
    path("massnahmen/<int:measure_pk>/status/", views.measure_status, name="measure_status"),
    path("massnahmen/<int:measure_pk>/meilensteine/", views.milestone_add, name="milestone_add"),
    path(
        "massnahmen/<int:measure_pk>/meilensteine/<int:milestone_pk>/erreicht/",
        views.milestone_toggle,
        name="milestone_toggle",
    ),
    path(
        "massnahmen/<int:measure_pk>/meilensteine/<int:milestone_pk>/loeschen/",
        views.milestone_delete,
        name="milestone_delete",
    ),
    path("kanban/", views.kanban, name="kanban"),
    path("meine-massnahmen/", views.my_measures, name="my_measures"),
]
