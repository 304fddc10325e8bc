"""Public tracking (no account needed): /track/ ... ; mounted in fawang/urls.py under the namespace ``track``."""

from django.urls import path

from . import public_views as views

app_name = "track"

urlpatterns = [
    path("", views.start, name="start"),
    path("verify/", views.verify, name="verify"),
    path("<str:tracking_no>/", views.matter_page, name="matter"),
    path("<str:tracking_no>/supply/", views.supply, name="supply"),
    path("<str:tracking_no>/rate/", views.rate, name="rate"),
    path("<str:tracking_no>/complain/", views.complain, name="complain"),
    path("<str:tracking_no>/result.pdf", views.result_pdf, name="result_pdf"),
]
