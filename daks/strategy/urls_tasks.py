from django.urls import path

from . import task_views

# /kommunen/<municipality_slug>/prozesse/aufgaben/… (namespace "strategy")
urlpatterns = [
    path("", task_views.task_list, name="tasks"),
    path("neu/", task_views.task_create, name="task_create"),
    path("<int:pk>/", task_views.task_edit, name="task_edit"),
    path("<int:pk>/status/", task_views.task_status, name="task_status"),
    path("<int:pk>/loeschen/", task_views.task_delete, name="task_delete"),
]
