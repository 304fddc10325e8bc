"""Referral and staff endpoints of REST API v1 (fawang/api/urls.py includes them in the ``api`` namespace)."""

from django.urls import path

from . import api, staff_api

urlpatterns = [
    path("mediation/referrals/", api.Referrals.as_view(), name="mediation_referrals"),
    path("mediation/referrals/<str:reference>/", api.ReferralOutcome.as_view(), name="mediation_referral"),
]

# The staff's endpoints (fawang/mediation/staff_api.py), in the role matrix (tests/matrix.py).
urlpatterns += [
    path("mediation/cases/", staff_api.Cases.as_view(), name="mediation_cases"),
    path("mediation/cases/<int:pk>/", staff_api.CaseDetail.as_view(), name="mediation_case"),
    path("mediation/cases/<int:pk>/consent/", staff_api.CaseConsent.as_view(), name="mediation_case_consent"),
    path(
        "mediation/cases/<int:pk>/sessions/", staff_api.CaseSession.as_view(), name="mediation_case_session"
    ),
    path(
        "mediation/cases/<int:pk>/terminate/",
        staff_api.CaseTerminate.as_view(),
        name="mediation_case_terminate",
    ),
    path("mediation/screenings/", staff_api.Screenings.as_view(), name="mediation_screenings"),
    path("mediation/screenings/new/", staff_api.ScreeningRecord.as_view(), name="mediation_screening_new"),
    path("mediation/warnings/", staff_api.Warnings.as_view(), name="mediation_warnings"),
    path("mediation/warnings/new/", staff_api.WarningRaise.as_view(), name="mediation_warning_new"),
    path("mediation/warnings/<int:pk>/", staff_api.WarningDetail.as_view(), name="mediation_warning"),
    path(
        "mediation/warnings/<int:pk>/check/", staff_api.WarningCheck.as_view(), name="mediation_warning_check"
    ),
    path("mediation/warnings/<int:pk>/case/", staff_api.WarningCase.as_view(), name="mediation_warning_case"),
    path(
        "mediation/warnings/<int:pk>/lower/", staff_api.WarningLower.as_view(), name="mediation_warning_lower"
    ),
]
