"""预约办理 and 我的预约 for signed-in citizens; mounted at /me/appointments/ under the namespace ``appoint``."""

from django.urls import path

from . import public_views

app_name = "appoint"

urlpatterns = [
    path("", public_views.appointment_list, name="list"),
    path("new/<int:unit_id>/", public_views.book, name="book"),
    path("<int:pk>/", public_views.appointment_detail, name="detail"),
    path("<int:pk>/cancel/", public_views.cancel, name="cancel"),
    path("<int:pk>/reschedule/", public_views.reschedule, name="reschedule"),
]
