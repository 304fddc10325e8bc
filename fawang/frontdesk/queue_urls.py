"""The queue's public pages, mounted at /queue/ (namespace ``queue``): kiosk, ticket, phone page, hall display."""

from django.urls import path

from . import kiosk_views, queue_public

app_name = "queue"

urlpatterns = [
    path("kiosk/<int:pk>/", queue_public.kiosk, name="kiosk"),
    # The terminal's other services: booking, tracking, and the QR hand-off of an upload to the person's phone.
    path("kiosk/<int:pk>/book/", kiosk_views.book, name="kiosk_book"),
    path("kiosk/<int:pk>/track/", kiosk_views.track, name="kiosk_track"),
    path("handoff/<str:token>/", kiosk_views.handoff_status, name="handoff_status"),
    path("up/<str:token>/", kiosk_views.upload, name="upload"),
    path("t/<str:token>/", queue_public.ticket_page, name="ticket"),
    path("t/<str:token>/status/", queue_public.ticket_status, name="ticket_status"),
    path("t/<str:token>/print/", queue_public.ticket_print, name="print"),
    path("hall/<str:token>/", queue_public.display, name="display"),
    path("hall/<str:token>/board/", queue_public.board, name="board"),
]
