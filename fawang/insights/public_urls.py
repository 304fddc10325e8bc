"""The public statistics page (网上监督), mounted at stats/ (namespace ``stats``)."""

from django.urls import path

from . import reports

app_name = "stats"

urlpatterns = [
    path("", reports.public_stats, name="index"),
    path("r/<str:code>/", reports.public_region, name="region"),
]
