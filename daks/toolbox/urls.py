from django.urls import path

from . import views

app_name = "toolbox"

urlpatterns = [
    path("", views.search, name="search"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/anhaenge/<int:attachment_pk>/", views.attachment, name="attachment"),
]
