"""Public pages of the advisors' work, mounted at /advisors/ (namespace ``advisors_public``)."""

from django.urls import path

from . import public_views

app_name = "advisors_public"

urlpatterns = [
    path("confirm/<str:ref>/", public_views.confirm, name="confirm"),
    path("rooms/<int:pk>/", public_views.room, name="room"),
    path("rooms/<int:pk>/photo/", public_views.photo, name="photo"),
]
