"""Public information pages, mounted at the site root (namespace ``info``): /guides/, /directory/, /pufa/."""

from django.urls import path

from . import views

app_name = "info"

urlpatterns = [
    path("guides/", views.guide_index, name="guides"),
    path("guides/<slug:code>/", views.guide_detail, name="guide"),
    path("directory/", views.unit_list, name="units"),
    path("directory/people/", views.practitioner_list, name="practitioners"),
    path("directory/people/<int:pk>/", views.practitioner_detail, name="practitioner"),
    path("pufa/", views.article_list, name="articles"),
    path("pufa/<int:pk>/", views.article_detail, name="article"),
]
