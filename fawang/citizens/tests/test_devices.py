"""Issue 13, deliver 5: /me/devices/ lists where the account is signed in, and signs an app out."""

from __future__ import annotations

from django.urls import reverse

from fawang.apikit.models import ApiToken
from fawang.audit.models import AuditEvent
from fawang.test import BaseTestCase


class DevicesTests(BaseTestCase):
    def test_the_account_sees_its_apps_and_signs_one_out(self) -> None:
        phone_app, raw = ApiToken.issue(self.citizen, "移动端 APP")
        ApiToken.issue(self.sm_clerk, "别人的令牌")
        self.client.force_login(self.citizen)
        page = self.client.get(reverse("me:devices"))
        self.assertContains(page, "移动端 APP")
        self.assertNotContains(page, "别人的令牌")
        self.assertNotContains(page, raw)
        # The token works until it is signed out, then not.
        api = reverse("api:me_matters")
        self.assertEqual(self.client_class().get(api, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code, 200)
        r = self.client.post(reverse("me:device_sign_out", args=[phone_app.pk]), follow=True)
        self.assertContains(r, "已退出该设备上的登录")
        self.assertNotContains(r, "<strong>移动端 APP</strong>")
        self.assertEqual(self.client_class().get(api, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code, 401)
        self.assertTrue(
            AuditEvent.objects.filter(action="citizens.sign_out_device", actor=self.citizen).exists()
        )

    def test_nobody_signs_out_someone_elses_app(self) -> None:
        theirs, _raw = ApiToken.issue(self.sm_clerk, "别人的令牌")
        other_citizen = type(self.citizen).objects.create_user(
            "citizen2", password="x-Long-pass-2026", kind=self.citizen.kind, phone="13800000001"
        )
        self.client.force_login(other_citizen)
        self.client.post(reverse("me:device_sign_out", args=[theirs.pk]))
        theirs.refresh_from_db()
        self.assertIsNone(theirs.revoked_at)

    def test_signing_out_needs_post(self) -> None:
        token, _raw = ApiToken.issue(self.citizen, "小程序")
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get(reverse("me:device_sign_out", args=[token.pk])).status_code, 405)
