from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("finder/", views.finder, name="finder"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("elder/", views.elder_toggle, name="elder_toggle"),
]
