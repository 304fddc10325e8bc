"""Corrections endpoints of REST API v1 (fawang/api/urls.py includes them in the ``api`` namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("corrections/calls/", api.VoiceCalls.as_view(), name="corrections_calls"),
    path("corrections/device-locations/", api.DeviceLocations.as_view(), name="corrections_device_locations"),
]
