"""Participation links and dot voting of a workshop (workspace side).

Mounted under /kommunen/<municipality_slug>/prozesse/<pk>/<step_slug>/ (step_slug "zukunftswerkstatt").
"""

from django.urls import path

from . import views_participation as views

W = "werkstaetten/<int:workshop_pk>/"
L = W + "beteiligung/<int:link_pk>/"
V = W + "abstimmung/"

urlpatterns = [
    path(W + "beteiligung/", views.links, name="participation_links"),
    path(L, views.link_detail, name="participation_link"),
    path(L + "anzeige/", views.link_present, name="participation_link_present"),
    path(L + "schliessen/", views.link_close, name="participation_link_close"),
    path(V, views.voting, name="voting"),
    path(V + "status/", views.voting_toggle, name="voting_toggle"),
    path(V + "<int:idea_pk>/punkt/", views.member_vote_add, name="member_vote_add"),
    path(V + "<int:idea_pk>/punkt-zuruecknehmen/", views.member_vote_remove, name="member_vote_remove"),
    path(V + "ergebnisse/", views.results_fragment, name="vote_results_fragment"),
    path(V + "ergebnisse/export/<str:fmt>/", views.results_export, name="vote_results_export"),
]
