"""Workshop list, settings, idea board, clusters, moderation queue and presentation mode.

Mounted under /kommunen/<municipality_slug>/prozesse/<pk>/<step_slug>/ (step_slug "zukunftswerkstatt").
"""

from django.urls import path

from . import views

W = "werkstaetten/<int:workshop_pk>/"

urlpatterns = [
    path("werkstaetten/", views.workshop_list, name="list"),
    path("werkstaetten/neu/", views.workshop_create, name="create"),
    path(W, views.board, name="board"),
    path(W + "bearbeiten/", views.workshop_edit, name="edit"),
    path(W + "loeschen/", views.workshop_delete, name="delete"),
    path(W + "phase/", views.phase_set, name="phase"),
    path(W + "ideen/neu/", views.idea_add, name="idea_add"),
    path(W + "ideen/<int:idea_pk>/bearbeiten/", views.idea_edit, name="idea_edit"),
    path(W + "ideen/<int:idea_pk>/loeschen/", views.idea_delete, name="idea_delete"),
    path(W + "ideen/<int:idea_pk>/verschieben/", views.idea_move, name="idea_move"),
    path(W + "ideen/<int:idea_pk>/cluster/", views.idea_set_cluster, name="idea_cluster"),
    path(W + "ideen/<int:idea_pk>/unterstuetzen/", views.idea_support, name="idea_support"),
    path(W + "ideen/<int:idea_pk>/moderieren/", views.idea_moderate, name="idea_moderate"),
    path(W + "cluster/neu/", views.cluster_add, name="cluster_add"),
    path(W + "cluster/<int:cluster_pk>/bearbeiten/", views.cluster_edit, name="cluster_edit"),
    path(W + "cluster/<int:cluster_pk>/loeschen/", views.cluster_delete, name="cluster_delete"),
    path(W + "moderation/", views.moderation, name="moderation"),
    path(W + "praesentation/", views.presentation, name="presentation"),
    path(W + "praesentation/live/", views.presentation_live, name="presentation_live"),
]
