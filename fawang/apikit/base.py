"""The base classes of API endpoints: who may call (authentication, permission) and how often (throttle).

- PublicView / PublicListView: anyone, no authentication, per-address limit;
- StaffView: a staff account (token or session), per-user limit; ``fawang.orgs.web.staff_user(request)``;
- CitizenView: a public account (token or the /me/ session), per-user limit;
  ``fawang.accounts.public.citizen_user(request)``.
"""

from __future__ import annotations

from typing import Any

from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from .auth import IsPublicUser, IsStaff
from .throttles import CitizenThrottle, PublicThrottle, StaffThrottle


class PublicView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]


class PublicListView(generics.ListAPIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]


class StaffView(APIView):
    permission_classes = [IsStaff]
    throttle_classes = [StaffThrottle]


class CitizenView(APIView):
    """Base of every endpoint a signed-in citizen calls: public-account token (or the /me/ session)."""

    permission_classes = [IsPublicUser]
    throttle_classes = [CitizenThrottle]
