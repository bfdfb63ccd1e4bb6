from django.urls import include, path

app_name = "reviews"

# /kommunen/<municipality_slug>/prozesse/<pk>/<step_slug>/… (step_slug is the review step's slug)
urlpatterns = [
    path("", include("daks.reviews.urls_surveys")),
    path("", include("daks.reviews.urls_results")),
    path("", include("daks.reviews.urls_review")),
]
