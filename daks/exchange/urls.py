"""URLs of the exchange (/austausch/…)."""

from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.board, name="board"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/meldungen/<int:pk>/", views.moderate_report, name="moderate_report"),
    path("moderation/fragen/<int:pk>/", views.moderate_question, name="moderate_question"),
    path("moderation/antworten/<int:pk>/", views.moderate_answer, name="moderate_answer"),
    path("fragen/<int:pk>/", views.question_detail, name="question"),
    path("fragen/<int:pk>/bearbeiten/", views.question_edit, name="question_edit"),
    path("fragen/<int:pk>/antworten/", views.answer_create, name="answer_create"),
    path("fragen/<int:pk>/annehmen/", views.answer_accept, name="accept"),
    path("fragen/<int:pk>/folgen/", views.follow_toggle, name="follow"),
    path("fragen/<int:pk>/melden/", views.report_question, name="report_question"),
    path("antworten/<int:pk>/bearbeiten/", views.answer_edit, name="answer_edit"),
    path("antworten/<int:pk>/melden/", views.report_answer, name="report_answer"),
    path("<slug:topic_slug>/", views.topic_board, name="topic"),
    path("<slug:topic_slug>/neue-frage/", views.question_create, name="question_create"),
]
