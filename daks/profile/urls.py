from django.urls import include, path

from . import views

app_name = "profile"

# /kommunen/<municipality_slug>/prozesse/<pk>/<step_slug>/…
urlpatterns = [
    path("statistik/", views.statistics, name="statistics"),
    path("statistik/<slug:section>/", views.statistics_save, name="statistics_save"),
    path("swot/", views.swot_board, name="swot"),
    path("swot/druck/", views.swot_print, name="swot_print"),
    path("swot/neu/", views.swot_add, name="swot_add"),
    path("swot/<int:item_pk>/bearbeiten/", views.swot_edit, name="swot_edit"),
    path("swot/<int:item_pk>/loeschen/", views.swot_delete, name="swot_delete"),
    path("swot/<int:item_pk>/verschieben/", views.swot_move, name="swot_move"),
    path("handlungsfelder/", views.fields, name="fields"),
    path("handlungsfelder/neu/", views.field_create, name="field_create"),
    path("handlungsfelder/vorschlag/", views.field_suggest, name="field_suggest"),
    path("handlungsfelder/<int:field_pk>/bearbeiten/", views.field_edit, name="field_edit"),
    path("handlungsfelder/<int:field_pk>/loeschen/", views.field_delete, name="field_delete"),
    path("handlungsfelder/<int:field_pk>/verschieben/", views.field_move, name="field_move"),
    path("", include("daks.profile.urls_inventory")),
    path("", include("daks.profile.urls_export")),
]
