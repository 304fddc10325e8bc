"""A citizen's online applications: /me/applications/ ... ; mounted in fawang/urls.py, namespace ``applications``."""

from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/<slug:code>/", views.start, name="start"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/materials/upload/", views.upload, name="upload"),
    path("<int:pk>/materials/<int:file_id>/", views.download, name="download"),
    path("<int:pk>/materials/<int:file_id>/delete/", views.remove, name="remove"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/<slug:step>/", views.step_view, name="step"),
]
