"""URLs of the news (namespace ``news``) under ``/aktuelles/``."""

from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("", views.news_list, name="list"),
    path("feed/rss/", views.feed_rss, name="feed_rss"),
    path("feed/atom/", views.feed_atom, name="feed_atom"),
    path("redaktion/", views.editorial_index, name="editorial_index"),
    path("redaktion/neu/", views.editorial_create, name="editorial_create"),
    path("redaktion/<int:pk>/", views.editorial_edit, name="editorial_edit"),
    path("redaktion/<int:pk>/veroeffentlichen/", views.editorial_publish, name="editorial_publish"),
    path("redaktion/<int:pk>/zurueckziehen/", views.editorial_unpublish, name="editorial_unpublish"),
    path("redaktion/<int:pk>/ablehnen/", views.editorial_reject, name="editorial_reject"),
    path("einreichen/", views.submit_choose, name="submit_choose"),
    path("kommunen/<slug:municipality_slug>/einreichen/", views.submit, name="submit"),
    path("kommunen/<slug:municipality_slug>/", views.submissions, name="submissions"),
    path("<slug:slug>/", views.news_detail, name="detail"),
    path("<slug:slug>/dokument/", views.news_document, name="document"),
]
