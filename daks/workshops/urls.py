from django.urls import include, path

app_name = "workshops"

# /kommunen/<municipality_slug>/prozesse/<pk>/<step_slug>/… (step_slug is the workshop step's slug)
urlpatterns = [
    path("", include("daks.workshops.urls_board")),
    path("", include("daks.workshops.urls_participation")),
    path("", include("daks.workshops.urls_docs")),
]
