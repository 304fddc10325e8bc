"""上门服务申请 by a signed-in member of the public, mounted at /me/home-visits/ (namespace ``homevisit``)."""

from django.urls import path

from . import visit_views

app_name = "homevisit"

urlpatterns = [path("new/", visit_views.request_visit, name="new")]
