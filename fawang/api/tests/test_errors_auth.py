"""One error format for every error class; token auth (valid, revoked, missing, a public account)."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from fawang.apikit.models import ApiToken, hash_token

from .base import ApiTestCase


class ErrorFormatTestCase(ApiTestCase):
    def test_401_without_credentials(self) -> None:
        r = self.client.get(reverse("api:matters"))
        self.assertError(r, 401, "not_authenticated", "请提供访问令牌或先登录")
        self.assertEqual(r["WWW-Authenticate"], "Token")

    def test_404_for_a_missing_matter_and_an_unknown_path(self) -> None:
        client = self.as_user(self.sm_clerk)
        self.assertError(client.get(reverse("api:matter", args=[999999])), 404, "not_found", "未找到")
        self.assertError(self.client.get("/api/v1/no-such-thing/"), 404, "not_found", "未找到")

    def test_a_post_to_an_unknown_path_with_a_stale_session_cookie_gets_the_json_404(self) -> None:
        # No CSRF cookie, a session cookie that names no session: the API's own 404, not the CSRF page.
        client = Client(enforce_csrf_checks=True)
        client.cookies[settings.SESSION_COOKIE_NAME] = "stale-session-key"
        r = client.post("/api/v1/no-such-thing/", {"a": 1}, content_type="application/json")
        self.assertError(r, 404, "not_found", "未找到")

    def test_400_with_fields_from_the_serializer(self) -> None:
        client = self.as_user(self.sm_clerk)
        r = self.post(client, reverse("api:matters"), {"channel": "window"})
        error = self.assertError(r, 400, "invalid")
        self.assertEqual(set(error["fields"]), {"intake_unit", "person", "requests"})

    def test_400_from_an_action_keeps_its_chinese_message_and_fields(self) -> None:
        client = self.as_user(self.sm_clerk)
        body = {
            "channel": "window",
            "intake_unit": self.station.pk,
            "person": {"name": "张三", "phone": "12345", "id_number": "350203198005011230"},
            "requests": [{"service_item": self.legal_aid.pk, "description": "欠薪", "region": "350203001"}],
        }
        error = self.assertError(self.post(client, reverse("api:matters"), body), 400, "invalid")
        self.assertIn("phone", error["fields"])
        self.assertIn("id_number", error["fields"])

    def test_400_invalid_transition_from_the_action(self) -> None:
        matter = self.submit()
        client = self.as_user(self.sm_handler)
        url = reverse("api:matter_complete", args=[matter.pk])
        error = self.assertError(self.post(client, url, {"result": "已办结"}), 400, "invalid_transition")
        self.assertIn("不能办结", error["message"])

    def test_403_from_the_action_role_check(self) -> None:
        matter = self.submit()
        # The window clerk may see the matter but not assign it.
        client = self.as_user(self.sm_clerk)
        url = reverse("api:matter_assign", args=[matter.pk])
        r = self.post(client, url, {"handler": self.sm_handler.pk})
        self.assertError(r, 403, "permission_denied", "无权")

    @override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"public": "2/min", "track": "2/min", "staff": "2/min"},
        }
    )
    def test_429_is_throttled_in_chinese_with_retry_after(self) -> None:
        url = reverse("api:catalogue")
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.get(url).status_code, 200)
        r = self.client.get(url)
        error = self.assertError(r, 429, "throttled", "请求过于频繁")
        self.assertIn("秒后再试", error["message"])
        self.assertGreaterEqual(int(r["Retry-After"]), 1)

    def test_unsupported_method_and_bad_json(self) -> None:
        self.assertError(self.client.delete(reverse("api:catalogue")), 405, "method_not_allowed", "不被允许")
        client = self.as_user(self.sm_clerk)
        r = client.post(
            reverse("api:matters"), "{not json", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
        )
        self.assertError(r, 400, "parse_error")

    def test_installing_drf_keeps_djangos_own_wording_for_forms(self) -> None:
        from django import forms
        from django.core.exceptions import ValidationError
        from django.utils import translation

        with translation.override("zh-hans"), self.assertRaisesMessage(ValidationError, "这个字段是必填项。"):
            forms.CharField().clean("")


class TokenAuthTestCase(ApiTestCase):
    def test_a_valid_token_sees_the_users_matters_and_is_touched(self) -> None:
        matter = self.submit()
        raw = self.token_for(self.sm_clerk)
        r = self.client.get(reverse("api:matters"), HTTP_AUTHORIZATION=f"Token {raw}")
        self.assertEqual(r.status_code, 200)
        self.assertIn(matter.tracking_no, [m["tracking_no"] for m in r.json()["results"]])
        token = ApiToken.objects.get(token_hash=hash_token(raw))
        self.assertIsNotNone(token.last_used_at)
        # Bearer works too.
        r = self.client.get(reverse("api:matters"), HTTP_AUTHORIZATION=f"Bearer {raw}")
        self.assertEqual(r.status_code, 200)

    def test_a_revoked_token_is_refused(self) -> None:
        raw = self.token_for(self.sm_clerk)
        ApiToken.objects.update(revoked_at=timezone.now())
        r = self.client.get(reverse("api:matters"), HTTP_AUTHORIZATION=f"Token {raw}")
        self.assertError(r, 401, "not_authenticated", "访问令牌无效或已被吊销")

    def test_an_unknown_or_malformed_token_is_refused(self) -> None:
        r = self.client.get(reverse("api:matters"), HTTP_AUTHORIZATION="Token fw_nope")
        self.assertError(r, 401, "not_authenticated", "访问令牌无效")
        r = self.client.get(reverse("api:matters"), HTTP_AUTHORIZATION="Token a b")
        self.assertError(r, 401, "not_authenticated", "格式有误")

    def test_a_public_account_learns_nothing_of_the_staff_endpoints(self) -> None:
        r = self.as_user(self.citizen).get(reverse("api:matters"))
        self.assertError(r, 404, "not_found")

    def test_a_browser_session_works(self) -> None:
        self.client.force_login(self.sm_clerk)
        self.assertEqual(self.client.get(reverse("api:matters")).status_code, 200)

    def test_create_api_token_prints_the_token_once_and_stores_only_its_hash(self) -> None:
        out, err = io.StringIO(), io.StringIO()
        call_command("create_api_token", "sm_clerk", "移动端 APP", stdout=out, stderr=err)
        raw = out.getvalue().strip()
        self.assertTrue(raw.startswith("fw_"))
        token = ApiToken.objects.get(name="移动端 APP")
        self.assertEqual(token.user, self.sm_clerk)
        self.assertEqual(token.token_hash, hash_token(raw))
        self.assertNotIn(raw, str(ApiToken.objects.filter(pk=token.pk).values().first()))
        self.assertIn("只显示这一次", err.getvalue())
        r = self.client.get(reverse("api:matters"), HTTP_AUTHORIZATION=f"Token {raw}")
        self.assertEqual(r.status_code, 200)

    def test_tokens_are_listed_and_revoked_in_the_admin(self) -> None:
        self.token_for(self.sm_clerk, "小程序")
        self.client.force_login(self.sysadmin)
        changelist = reverse("admin:api_apitoken_changelist")
        r = self.client.get(changelist)
        self.assertContains(r, "小程序")
        token = ApiToken.objects.get(name="小程序")
        r = self.client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
        self.assertEqual(r.status_code, 302)
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
