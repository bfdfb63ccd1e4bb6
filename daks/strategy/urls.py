from django.urls import include, path

app_name = "strategy"

# /kommunen/<municipality_slug>/prozesse/…
urlpatterns = [
    path("", include("daks.strategy.urls_process")),
    path("aufgaben/", include("daks.strategy.urls_tasks")),
    path("akteure/", include("daks.strategy.urls_actors")),
    path("arbeitsgruppen/", include("daks.strategy.urls_groups")),
]
