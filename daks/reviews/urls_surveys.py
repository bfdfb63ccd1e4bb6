from django.urls import path

from . import views_network
from . import views_surveys as views

# Survey builder and distribution under /kommunen/<slug>/prozesse/<pk>/zwischenbilanz/umfragen/…
urlpatterns = [
    path("umfragen/", views.survey_list, name="surveys"),
    path("netzwerkumfragen/", views_network.municipality_list, name="network_surveys"),
    path("netzwerkumfragen/<int:network_pk>/teilnehmen/", views_network.municipality_join, name="network_survey_join"),
    path("umfragen/neu/", views.survey_create, name="survey_create"),
    path("umfragen/<int:survey_pk>/", views.survey_detail, name="survey_detail"),
    path("umfragen/<int:survey_pk>/bearbeiten/", views.survey_edit, name="survey_edit"),
    path("umfragen/<int:survey_pk>/loeschen/", views.survey_delete, name="survey_delete"),
    path("umfragen/<int:survey_pk>/schliessen/", views.survey_close, name="survey_close"),
    path("umfragen/<int:survey_pk>/abschnitte/neu/", views.section_add, name="section_add"),
    path("umfragen/<int:survey_pk>/abschnitte/<int:section_pk>/bearbeiten/", views.section_edit, name="section_edit"),
    path("umfragen/<int:survey_pk>/abschnitte/<int:section_pk>/verschieben/", views.section_move, name="section_move"),
    path("umfragen/<int:survey_pk>/abschnitte/<int:section_pk>/loeschen/", views.section_delete, name="section_delete"),
    path("umfragen/<int:survey_pk>/fragen/neu/", views.question_create, name="question_create"),
    path("umfragen/<int:survey_pk>/fragen/<int:question_pk>/bearbeiten/", views.question_edit, name="question_edit"),
    path("umfragen/<int:survey_pk>/fragen/<int:question_pk>/verschieben/", views.question_move, name="question_move"),
    path("umfragen/<int:survey_pk>/fragen/<int:question_pk>/loeschen/", views.question_delete, name="question_delete"),
    path("umfragen/<int:survey_pk>/verteilen/", views.distribution, name="survey_distribution"),
    path("umfragen/<int:survey_pk>/verteilen/einladen/", views.invite, name="survey_invite"),
    path("umfragen/<int:survey_pk>/verteilen/erinnern/", views.remind, name="survey_remind"),
    path(
        "umfragen/<int:survey_pk>/verteilen/einladungen/<int:invitation_pk>/entfernen/",
        views.invitation_remove,
        name="survey_invitation_remove",
    ),
    path("umfragen/<int:survey_pk>/verteilen/offener-link/", views.open_link, name="survey_open_link"),
    path("umfragen/<int:survey_pk>/verteilen/offener-link/aus/", views.open_link_disable, name="survey_open_link_off"),
]
