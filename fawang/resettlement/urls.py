"""Staff pages of 安置帮教, mounted at /console/resettlement/ (namespace ``resettlement``); declared in the role
matrix (fawang/resettlement/tests/matrix.py)."""

from django.urls import path

from . import views

app_name = "resettlement"

urlpatterns = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/connect/", views.connect, name="connect"),
    path("files/", views.file_list, name="files"),
    path("files/<int:pk>/", views.file_detail, name="file"),
    path("files/<int:pk>/help/", views.add_help, name="help"),
    path("files/<int:pk>/place/", views.place, name="place"),
    path("files/<int:pk>/plan/", views.set_plan, name="plan"),
    path("files/<int:pk>/reoffence/", views.record_reoffence, name="reoffence"),
    path("rates/", views.rates, name="rates"),
]
