"""The network office's surveys under /netzwerk/umfragen/."""

from django.urls import path

from . import views_network as views

app_name = "network_surveys"

urlpatterns = [
    path("", views.office, name="office"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/schliessen/", views.close, name="close"),
    # The questionnaire, edited with the survey builder of step 5
    path("<int:pk>/fragebogen/", views.questionnaire, name="questionnaire"),
    path("<int:pk>/fragebogen/abschnitte/neu/", views.section_add, name="section_add"),
    path("<int:pk>/fragebogen/abschnitte/<int:section_pk>/bearbeiten/", views.section_edit, name="section_edit"),
    path("<int:pk>/fragebogen/abschnitte/<int:section_pk>/verschieben/", views.section_move, name="section_move"),
    path("<int:pk>/fragebogen/abschnitte/<int:section_pk>/loeschen/", views.section_delete, name="section_delete"),
    path("<int:pk>/fragebogen/fragen/neu/", views.question_create, name="question_create"),
    path("<int:pk>/fragebogen/fragen/<int:question_pk>/bearbeiten/", views.question_edit, name="question_edit"),
    path("<int:pk>/fragebogen/fragen/<int:question_pk>/verschieben/", views.question_move, name="question_move"),
    path("<int:pk>/fragebogen/fragen/<int:question_pk>/loeschen/", views.question_delete, name="question_delete"),
]
