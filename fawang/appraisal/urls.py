"""Console pages of the appraisal line, mounted at /console/appraisal/ (namespace ``appraisal``). Every URL is
declared in fawang/appraisal/tests/matrix.py."""

from django.urls import path

from . import views

app_name = "appraisal"

urlpatterns = [
    path("institutions/", views.institutions, name="institutions"),
    path("institutions/<int:pk>/", views.institution, name="institution"),
    path("institutions/<int:pk>/save/", views.institution_save, name="institution_save"),
    path("matters/<int:pk>/entrust/", views.entrust, name="entrust"),
]
