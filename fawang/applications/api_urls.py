"""Online application endpoints of REST API v1 (fawang/api/urls.py includes them in the ``api`` namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("me/applications/", api.ApplicationList.as_view(), name="me_applications"),
    path("me/applications/<int:pk>/", api.ApplicationDetail.as_view(), name="me_application"),
    *(
        path(f"me/applications/<int:pk>/{code}/", view.as_view(), name=f"me_application_{code}")
        for code, view in api.STEP_VIEWS.items()
    ),
    path(
        "me/applications/<int:pk>/materials/", api.MaterialUpload.as_view(), name="me_application_materials"
    ),
    path(
        "me/applications/<int:pk>/materials/<int:file_id>/",
        api.MaterialDelete.as_view(),
        name="me_application_material",
    ),
    path("me/applications/<int:pk>/submit/", api.Submit.as_view(), name="me_application_submit"),
]
