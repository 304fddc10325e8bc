"""Mounted at /console/applications/ (namespace ``applications_console``); swept by the permission sweep."""

from django.urls import path

from . import console_views

app_name = "applications_console"

urlpatterns = [path("<int:pk>/reveal/", console_views.reveal, name="reveal")]
