"""The project's URLs plus a staff app the role matrix has never heard of."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from fawang.urls import urlpatterns as project_urlpatterns


def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return HttpResponse(str(case_id))


urlpatterns = [
    *project_urlpatterns,
    path("casework/", include(([path("<int:case_id>/", case_detail, name="case_detail")], "casework"))),
]
