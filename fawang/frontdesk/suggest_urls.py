"""便民箱 of a service point, public, mounted at /suggest/ (namespace ``suggest``)."""

from django.urls import path

from . import queue_public

app_name = "suggest"

urlpatterns = [path("<int:pk>/", queue_public.suggest, name="box")]
