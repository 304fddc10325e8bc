"""Legal aid's endpoints of REST API v1 (fawang/api/urls.py includes them in the ``api`` namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("legalaid/matters/<int:pk>/assign/", api.Assign.as_view(), name="legalaid_assign"),
    path("legalaid/matters/<int:pk>/advance/", api.Advance.as_view(), name="legalaid_advance"),
    path("legalaid/notifications/", api.Notifications.as_view(), name="legalaid_notifications"),
    path(
        "legalaid/notifications/<str:reference>/",
        api.NotificationOutcome.as_view(),
        name="legalaid_notification",
    ),
]
