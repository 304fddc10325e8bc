"""Staff pages of the front desk, mounted at /console/frontdesk/ (namespace ``frontdesk``). Every URL here must be
declared in the role matrix (fawang/console/tests/test_role_matrix.py, ROWS), or the matrix fails. No URL sits at the root:
the console's navigation marks an entry active by URL prefix."""

from django.urls import path

from . import views

app_name = "frontdesk"

urlpatterns = [
    path("day/", views.day, name="day"),
    path("reviews/", views.reviews, name="reviews"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("appointments/<int:pk>/no-show/", views.no_show, name="no_show"),
    path("appointments/<int:pk>/cancel/", views.staff_cancel, name="cancel"),
    path("appointments/<int:pk>/review/", views.review, name="review"),
    path("appointments/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("appointments/<int:pk>/intake/", views.intake, name="intake"),
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/new/", views.schedule_new, name="schedule_new"),
    path("schedules/<int:pk>/", views.schedule_detail, name="schedule"),
    path("schedules/<int:pk>/rules/", views.rule_add, name="rule_add"),
    path("schedules/<int:pk>/exceptions/", views.exception_add, name="exception_add"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("exceptions/<int:pk>/delete/", views.exception_delete, name="exception_delete"),
]
