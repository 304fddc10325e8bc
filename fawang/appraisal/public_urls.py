"""The public list of appraisal institutions and their categories, at /appraisal/ (namespace
``appraisal_public``)."""

from django.urls import path

from . import views

app_name = "appraisal_public"

urlpatterns = [path("", views.public_list, name="institutions")]
