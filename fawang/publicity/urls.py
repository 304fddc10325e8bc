"""Console pages of legal publicity, mounted at /console/publicity/ (namespace ``publicity``); every URL is declared
in fawang/publicity/tests/matrix.py."""

from django.urls import path

from . import views

app_name = "publicity"

urlpatterns = [
    path("sites/", views.sites, name="sites"),
    path("sites/new/", views.site_new, name="site_new"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
    path("sites/<int:pk>/photos/", views.site_photo, name="site_photo"),
    path("sites/<int:pk>/display/", views.display_add, name="display_add"),
    path("activities/", views.activities, name="activities"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/photos/", views.activity_photo, name="activity_photo"),
    path("activities/<int:pk>/record/", views.activity_record, name="activity_record"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/add/", views.survey_add, name="survey_add"),
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<int:pk>/decide/", views.booking_decide, name="booking_decide"),
]
