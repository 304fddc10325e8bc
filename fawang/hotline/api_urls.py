"""Hotline endpoints of REST API v1 (fawang/api/urls.py includes them in the ``api`` namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("hotline/cti/<str:token>/", api.cti_event, name="hotline_cti"),
    path("hotline/link/<str:token>/", api.link_event, name="hotline_link"),
]
