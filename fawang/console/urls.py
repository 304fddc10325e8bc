from django.urls import include, path

from . import audit_views, views

app_name = "console"

# Every URL here must be declared in the role matrix (tests/test_role_matrix.py), or the matrix fails. The
# organisation pages live in fawang/orgs and keep their names under this namespace (console:unit_list ...).
urlpatterns = [
    path("", views.home, name="home"),
    path("switch-unit/", views.switch_unit, name="switch_unit"),
    path("", include("fawang.orgs.urls")),
    path("audit/", audit_views.audit_list, name="audit_list"),
]
