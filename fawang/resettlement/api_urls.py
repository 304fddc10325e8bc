"""Resettlement endpoints of REST API v1 (fawang/api/urls.py includes them in the ``api`` namespace)."""

from django.urls import path

from . import api

urlpatterns = [path("resettlement/release-notices/", api.ReleaseNotices.as_view(), name="release_notices")]
