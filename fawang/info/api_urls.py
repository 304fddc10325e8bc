"""Public information endpoints of REST API v1 (guides, directory, publicity); fawang/api/urls.py includes them in
the ``api`` namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("guides/", api.GuideList.as_view(), name="guides"),
    path("guides/<slug:code>/", api.GuideDetail.as_view(), name="guide"),
    path("directory/units/", api.DirectoryUnitList.as_view(), name="directory_units"),
    path("directory/practitioners/", api.PractitionerList.as_view(), name="practitioners"),
    path("directory/practitioners/<int:pk>/", api.PractitionerDetail.as_view(), name="practitioner"),
    path("publicity/", api.ArticleList.as_view(), name="articles"),
    path("publicity/categories/", api.ArticleCategories.as_view(), name="article_categories"),
    path("publicity/<int:pk>/", api.ArticleDetail.as_view(), name="article"),
]
