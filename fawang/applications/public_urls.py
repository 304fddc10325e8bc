"""网上办事 at /apply/: the services offered online (public); namespace ``apply``."""

from django.urls import path

from . import views

app_name = "apply"

urlpatterns = [path("", views.index, name="index")]
