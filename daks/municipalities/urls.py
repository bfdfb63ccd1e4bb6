from django.urls import path

from . import views, views_audit, views_deletion

app_name = "municipalities"

urlpatterns = [
    path("neu/", views.municipality_create, name="create"),
    path("einladung/<str:token>/", views.invitation_accept, name="invitation"),
    path("beitreten/<slug:municipality_slug>/", views.join_request_create, name="join"),
    path("<slug:municipality_slug>/", views.municipality_detail, name="detail"),
    path("<slug:municipality_slug>/einstellungen/", views.municipality_settings, name="settings"),
    path("<slug:municipality_slug>/loeschen/", views_deletion.deletion_request, name="delete"),
    path("<slug:municipality_slug>/loeschen/abbrechen/", views_deletion.deletion_cancel, name="deletion_cancel"),
    path("<slug:municipality_slug>/verlassen/", views.membership_leave, name="leave"),
    path("<slug:municipality_slug>/protokoll/", views_audit.audit_log, name="audit_log"),
    path("<slug:municipality_slug>/protokoll/csv/", views_audit.audit_log_csv, name="audit_log_csv"),
    path("<slug:municipality_slug>/team/", views.team, name="team"),
    path("<slug:municipality_slug>/team/einladen/", views.invitation_create, name="invite"),
    path("<slug:municipality_slug>/team/uebergeben/", views.coordination_hand_over, name="hand_over"),
    path(
        "<slug:municipality_slug>/team/einladungen/<int:pk>/erneut-senden/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<slug:municipality_slug>/team/einladungen/<int:pk>/widerrufen/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:municipality_slug>/team/mitglieder/<int:pk>/rolle/", views.membership_change_role, name="member_role"),
    path("<slug:municipality_slug>/team/mitglieder/<int:pk>/entfernen/", views.membership_remove, name="member_remove"),
    path("<slug:municipality_slug>/team/anfragen/<int:pk>/", views.join_request_decide, name="join_request_decide"),
]
