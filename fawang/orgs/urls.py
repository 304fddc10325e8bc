"""The organisation pages (fawang/orgs/views.py), included by fawang/console/urls.py under the ``console``
namespace: their names stay ``console:unit_list`` and so on. Every URL must be declared in the role matrix."""

from django.urls import path

from . import views

urlpatterns = [
    path("regions/", views.region_list, name="region_list"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/windows/", views.unit_window_add, name="unit_window_add"),
    path("units/<int:pk>/credit/", views.unit_credit_add, name="unit_credit_add"),
    path("windows/<int:window_id>/active/", views.window_set_active, name="window_set_active"),
    path("practitioners/", views.practitioner_list, name="practitioner_list"),
    path("practitioners/<int:pk>/", views.practitioner_detail, name="practitioner_detail"),
    path("practitioners/<int:pk>/credit/", views.practitioner_credit_add, name="practitioner_credit_add"),
    path("advisors/", views.advisor_list, name="advisor_list"),
    path("advisors/<str:code>/appoint/", views.advisor_appoint, name="advisor_appoint"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/roles/", views.staff_grant, name="staff_grant"),
    path("memberships/<int:membership_id>/revoke/", views.membership_revoke, name="membership_revoke"),
    path(
        "memberships/<int:membership_id>/active/", views.membership_set_active, name="membership_set_active"
    ),
]
