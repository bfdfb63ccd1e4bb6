from django.urls import include, path

app_name = "plans"

# /kommunen/<municipality_slug>/prozesse/<pk>/<step_slug>/… (step_slug is the plan step's slug)
urlpatterns = [
    path("", include("daks.plans.urls_plan")),
    path("", include("daks.plans.urls_versions")),
    path("", include("daks.plans.urls_monitoring")),
]
