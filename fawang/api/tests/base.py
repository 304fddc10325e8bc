"""Shared set-up for the API tests: tokens for the demo personas and a JSON client."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from rest_framework.test import APIClient

from fawang.accounts.models import User
from fawang.apikit.models import ApiToken
from fawang.matters.tests.base import MatterTestCase


class ApiTestCase(MatterTestCase):
    client_class = APIClient
    client: APIClient

    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # throttle counts live in the cache

    def token_for(self, user: User, name: str = "测试 APP") -> str:
        return ApiToken.issue(user, name)[1]

    def as_user(self, user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {self.token_for(user)}")
        return client

    @staticmethod
    def post(client: APIClient, url: str, data: Any, key: str | None = None, **extra: Any) -> Any:
        return client.post(url, data, format="json", HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex, **extra)

    def assertError(
        self, response: Any, status: int, code: str, message: str | None = None
    ) -> dict[str, Any]:
        self.assertEqual(response.status_code, status, response.content.decode())
        error = response.json()["error"]
        self.assertEqual(set(error), {"code", "message", "fields"})
        self.assertEqual(error["code"], code)
        if message is not None:
            self.assertIn(message, error["message"])
        return error
