"""URLs of the toolbox inside a strategy process (toolbox_process).

Included at the step prefix ``/kommunen/<municipality_slug>/prozesse/<pk>/<step_slug>/``; each view answers only
under its own step (``werkzeuge/`` under kommunalprofil, ``massnahmen/…/werkzeuge/`` under werkstattplan).
"""

from django.urls import path

from . import views_workspace as views

app_name = "toolbox_process"

urlpatterns = [
    path("werkzeuge/", views.recommendations, name="recommendations"),
    path("massnahmen/<int:measure_pk>/werkzeuge/", views.measure_tools, name="measure_tools"),
    path("massnahmen/<int:measure_pk>/werkzeuge/verknuepfen/", views.measure_tool_link, name="measure_tool_link"),
    path(
        "massnahmen/<int:measure_pk>/werkzeuge/<int:tool_pk>/entfernen/",
        views.measure_tool_unlink,
        name="measure_tool_unlink",
    ),
]
