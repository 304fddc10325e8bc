"""The person's own page (H5): the daily location report. Nothing of any file is public."""

from django.urls import path

from . import public_views

app_name = "corrections_me"

urlpatterns = [path("check-in/", public_views.check_in, name="check_in")]
