"""Mounted at /console/applications/ (namespace ``applications_console``); declared in the role matrix
(fawang/console/tests/test_role_matrix.py)."""

from django.urls import path

from . import console_views

app_name = "applications_console"

urlpatterns = [path("<int:pk>/reveal/", console_views.reveal, name="reveal")]
