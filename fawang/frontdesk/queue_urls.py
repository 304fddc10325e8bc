"""The queue's public pages, mounted at /queue/ (namespace ``queue``): kiosk, ticket, phone page, hall display."""

from django.urls import path

from . import queue_public

app_name = "queue"

urlpatterns = [
    path("kiosk/<int:pk>/", queue_public.kiosk, name="kiosk"),
    path("t/<str:token>/", queue_public.ticket_page, name="ticket"),
    path("t/<str:token>/status/", queue_public.ticket_status, name="ticket_status"),
    path("t/<str:token>/print/", queue_public.ticket_print, name="print"),
    path("hall/<str:token>/", queue_public.display, name="display"),
    path("hall/<str:token>/board/", queue_public.board, name="board"),
]
