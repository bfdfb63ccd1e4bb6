from django.urls import include, path

from . import views

app_name = "meetings"

# /kommunen/<municipality_slug>/treffen/…
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("neu/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.meeting_edit, name="edit"),
    path("<int:pk>/loeschen/", views.meeting_delete, name="delete"),
    path("<int:pk>/termin.ics", views.meeting_ics_download, name="ics"),
    path("<int:pk>/tagesordnung/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/tagesordnung/<int:item_pk>/entfernen/", views.agenda_remove, name="agenda_remove"),
    path("<int:pk>/tagesordnung/<int:item_pk>/verschieben/", views.agenda_move, name="agenda_move"),
    path("<int:pk>/einladen/", views.invite, name="invite"),
    path("<int:pk>/einladungen/<int:invitation_pk>/entfernen/", views.invitation_remove, name="invitation_remove"),
    path("<int:pk>/einladungen/senden/", views.invitations_send, name="invitations_send"),
    path("<int:pk>/anwesenheit/", views.attendance, name="attendance"),
    path("<int:pk>/protokoll/", views.minutes, name="minutes"),
    path("", include("daks.meetings.urls_export")),
]
