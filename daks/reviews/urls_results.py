from django.urls import path

from . import views_results as views

# Below /kommunen/<municipality_slug>/prozesse/<pk>/<step_slug>/ (namespace "reviews").
urlpatterns = [
    path("umfragen/<int:survey_pk>/ergebnisse/", views.survey_results, name="survey_results"),
    path(
        "umfragen/<int:survey_pk>/ergebnisse/export.<str:fmt>",
        views.survey_results_export,
        name="survey_results_export",
    ),
    path(
        "umfragen/<int:survey_pk>/ergebnisse/antworten.<str:fmt>",
        views.survey_answers_export,
        name="survey_answers_export",
    ),
    path(
        "umfragen/<int:survey_pk>/ergebnisse/antworten/<int:answer_pk>/moderation/",
        views.answer_moderate,
        name="survey_answer_moderate",
    ),
    path("umfragen/vergleich/", views.survey_compare, name="survey_compare"),
]
