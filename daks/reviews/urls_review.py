from django.urls import path

from . import views

# /kommunen/<municipality_slug>/prozesse/<pk>/zwischenbilanz/… (namespace "reviews")
urlpatterns = [
    path("bilanzen/", views.review_list, name="reviews"),
    path("bilanzen/neuer-zyklus/", views.start_cycle, name="next_cycle"),
    path("bilanzen/<int:review_pk>/", views.review_detail, name="review"),
    path("bilanzen/<int:review_pk>/bearbeiten/", views.review_edit, name="review_edit"),
    path("bilanzen/<int:review_pk>/loeschen/", views.review_delete, name="review_delete"),
    path("bilanzen/<int:review_pk>/bilanztreffen/", views.review_meeting, name="review_meeting"),
    path("bilanzen/<int:review_pk>/bericht.<str:fmt>", views.review_report, name="review_report"),
    path("bilanzen/<int:review_pk>/fortschritt/", views.review_progress, name="review_progress"),
    path("bilanzen/<int:review_pk>/fortschritt/status/", views.review_snapshot, name="review_snapshot"),
    path("bilanzen/<int:review_pk>/fortschritt/ziele/<int:goal_pk>/", views.goal_review, name="goal_review"),
    path(
        "bilanzen/<int:review_pk>/fortschritt/massnahmen/<int:measure_pk>/",
        views.measure_check,
        name="measure_check",
    ),
    path("bilanzen/<int:review_pk>/faktoren/", views.review_factors, name="review_factors"),
    path("bilanzen/<int:review_pk>/faktoren/<int:factor_pk>/", views.factor_edit, name="factor_edit"),
    path("bilanzen/<int:review_pk>/faktoren/<int:factor_pk>/loeschen/", views.factor_delete, name="factor_delete"),
    path("bilanzen/<int:review_pk>/anpassungen/", views.review_adjustments, name="review_adjustments"),
    path("bilanzen/<int:review_pk>/anpassungen/fassung/", views.adjustments_version, name="adjustments_version"),
    path(
        "bilanzen/<int:review_pk>/anpassungen/<int:adjustment_pk>/anwenden/",
        views.adjustment_apply,
        name="adjustment_apply",
    ),
    path(
        "bilanzen/<int:review_pk>/anpassungen/<int:adjustment_pk>/loeschen/",
        views.adjustment_delete,
        name="adjustment_delete",
    ),
    path("bilanzen/<int:review_pk>/verstetigung/", views.review_consolidation, name="review_consolidation"),
]
