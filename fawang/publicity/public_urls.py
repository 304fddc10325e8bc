"""Public pages of legal publicity, mounted at /publicity/ (namespace ``publicity_public``)."""

from django.urls import path

from . import public_views

app_name = "publicity_public"

urlpatterns = [
    path("towns/<str:code>/", public_views.town, name="town"),
    path("towns/<str:code>/book/", public_views.book, name="book"),
    path("photos/<int:pk>/", public_views.photo, name="photo"),
]
