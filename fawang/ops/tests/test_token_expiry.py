"""API tokens expire: a citizen's after 30 days unused or 180 days in all, a staff token after 90 and 365."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fawang.accounts.models import User
from fawang.api.tests.base import ApiTestCase
from fawang.apikit.models import ApiToken


class TokenExpiryTestCase(ApiTestCase):
    def client_with(self, user: User, *, created_days_ago: float, used_days_ago: float | None) -> APIClient:
        token, raw = ApiToken.issue(user, "测试 APP")
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(
            created_at=now - dt.timedelta(days=created_days_ago),
            last_used_at=None if used_days_ago is None else now - dt.timedelta(days=used_days_ago),
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client

    def status(self, user: User, url: str, created: float, used: float | None) -> int:
        return int(self.client_with(user, created_days_ago=created, used_days_ago=used).get(url).status_code)

    def test_a_citizens_token(self) -> None:
        url = reverse("api:me")
        self.assertEqual(self.status(self.citizen, url, created=100, used=29), 200)
        self.assertEqual(self.status(self.citizen, url, created=100, used=31), 401)  # idle
        self.assertEqual(self.status(self.citizen, url, created=181, used=0.1), 401)  # too old
        self.assertEqual(self.status(self.citizen, url, created=29, used=None), 200)
        self.assertEqual(self.status(self.citizen, url, created=31, used=None), 401)  # never used for 30 days
        r = self.client_with(self.citizen, created_days_ago=100, used_days_ago=31).get(url)
        self.assertError(r, 401, "not_authenticated", "访问令牌已过期，请重新登录。")

    def test_a_staff_token(self) -> None:
        url = reverse("api:matters")
        self.assertEqual(self.status(self.sm_clerk, url, created=200, used=60), 200)
        self.assertEqual(self.status(self.sm_clerk, url, created=200, used=91), 401)
        self.assertEqual(self.status(self.sm_clerk, url, created=366, used=1), 401)
