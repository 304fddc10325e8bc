"""Referral endpoints of REST API v1 (fawang/api/urls.py includes them in the ``api`` namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("mediation/referrals/", api.Referrals.as_view(), name="mediation_referrals"),
    path("mediation/referrals/<str:reference>/", api.ReferralOutcome.as_view(), name="mediation_referral"),
]
