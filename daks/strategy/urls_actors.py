from django.urls import path

from . import actor_views

# /kommunen/<municipality_slug>/prozesse/akteure/… (namespace "strategy")
urlpatterns = [
    path("", actor_views.actor_list, name="actors"),
    path("neu/", actor_views.actor_create, name="actor_create"),
    path("matrix/", actor_views.actor_matrix, name="actor_matrix"),
    path("import/", actor_views.actor_import, name="actor_import"),
    path("export.<str:extension>", actor_views.actor_export, name="actor_export"),
    path("<int:pk>/", actor_views.actor_edit, name="actor_edit"),
    path("<int:pk>/loeschen/", actor_views.actor_delete, name="actor_delete"),
    # page of the step registry (kwargs municipality_slug, pk = the process, step_slug)
    path("prozess/<int:pk>/<slug:step_slug>/", actor_views.actors_for_step, name="actors_for_step"),
]
