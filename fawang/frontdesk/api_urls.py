"""Appointment endpoints of REST API v1 (fawang/api/urls.py includes them in the ``api`` namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("service-points/<int:pk>/booking/", api.BookingInfo.as_view(), name="point_booking"),
    path("service-points/<int:pk>/slots/", api.SlotList.as_view(), name="point_slots"),
    path("me/appointments/", api.MyAppointments.as_view(), name="me_appointments"),
    path("me/appointments/<int:pk>/", api.MyAppointment.as_view(), name="me_appointment"),
    path("me/appointments/<int:pk>/cancel/", api.MyCancel.as_view(), name="me_appointment_cancel"),
    path(
        "me/appointments/<int:pk>/reschedule/", api.MyReschedule.as_view(), name="me_appointment_reschedule"
    ),
    path("me/remote-visits/", api.MyRemoteVisits.as_view(), name="me_remote_visits"),
    path("frontdesk/appointments/", api.DeskDay.as_view(), name="desk_appointments"),
    path("frontdesk/appointments/<int:pk>/", api.DeskAppointment.as_view(), name="desk_appointment"),
    *(
        path(
            f"frontdesk/appointments/<int:pk>/{name}/", view.as_view(), name=f"desk_{name.replace('-', '_')}"
        )
        for name, view in api.DESK_ACTIONS.items()
    ),
]
