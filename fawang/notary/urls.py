"""Staff posts of the notary line, mounted at /console/notary/ (namespace ``notary``). Every URL is declared in
fawang/notary/tests/matrix.py."""

from django.urls import path

from . import views

app_name = "notary"

urlpatterns = [
    path("matters/<int:pk>/prereview/", views.prereview, name="prereview"),
    path("matters/<int:pk>/appointment/", views.book, name="book"),
]
