"""Issue 13, deliver 5: /me/devices/ lists where the account is signed in, and signs an app out."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.apikit.models import ApiToken
from fawang.audit.models import AuditEvent
from fawang.test import BaseTestCase

from ..consent import NOTICE_VERSION
from ..models import BrowserSession, PhoneCode
from .base import CitizenTestCase


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


class BrowserSessionTests(CitizenTestCase):
    """Issue 13, deliver 5: /me/devices/ lists the browsers signed in, and signs any of them out."""

    def sign_in_browser(self, agent: str) -> Client:
        client = Client(HTTP_USER_AGENT=agent)
        client.post(
            reverse("me:login"), {"phone": "13955556666", "agree": NOTICE_VERSION}, REMOTE_ADDR=self.ip
        )
        PhoneCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
        response = client.post(
            reverse("me:verify"), {"code": self.last_code("13955556666")}, REMOTE_ADDR=self.ip
        )
        self.assertEqual(response.status_code, 302)
        return client

    def test_each_browser_is_listed_and_one_signs_another_out(self) -> None:
        laptop = self.sign_in_browser("Mozilla/5.0 (Windows NT 10.0) 笔记本浏览器")
        phone = self.sign_in_browser("Mozilla/5.0 (iPhone) 手机浏览器")
        user = User.objects.get(kind=User.Kind.PUBLIC, phone="13955556666")
        page = laptop.get(reverse("me:devices"))
        self.assertContains(page, "本浏览器")
        self.assertContains(page, "手机浏览器")
        self.assertNotContains(page, "笔记本浏览器")  # this browser is named 本浏览器
        self.assertContains(page, self.ip)
        row = BrowserSession.objects.get(user=user, user_agent__contains="手机浏览器")
        response = laptop.post(reverse("me:browser_sign_out", args=[row.pk]), follow=True)
        self.assertContains(response, "已退出该浏览器上的登录")
        self.assertNotContains(response, "手机浏览器")
        # The phone's browser is signed out at once; the laptop stays signed in.
        self.assertRedirects(phone.get(reverse("me:home")), reverse("me:login") + "?next=%2Fme%2F")
        self.assertEqual(laptop.get(reverse("me:home")).status_code, 200)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="citizens.sign_out_browser", actor=user, target_id=str(row.pk)
            ).exists()
        )

    def test_signing_this_browser_out_from_the_list_and_signing_out_end_the_row(self) -> None:
        laptop = self.sign_in_browser("笔记本浏览器")
        user = User.objects.get(kind=User.Kind.PUBLIC, phone="13955556666")
        here = BrowserSession.objects.get(user=user)
        self.assertRedirects(
            laptop.post(reverse("me:browser_sign_out", args=[here.pk])), reverse("portal:home")
        )
        self.assertEqual(laptop.get(reverse("me:home")).status_code, 302)
        here.refresh_from_db()
        self.assertIsNotNone(here.ended_at)
        phone = self.sign_in_browser("手机浏览器")
        phone.post(reverse("me:logout"))
        self.assertFalse(BrowserSession.objects.filter(user=user, ended_at__isnull=True).exists())

    def test_nobody_signs_out_someone_elses_browser(self) -> None:
        theirs = self.sign_in_browser("别人的浏览器")
        row = BrowserSession.objects.get(user_agent="别人的浏览器")
        self.client.force_login(self.citizen)
        response = self.client.post(reverse("me:browser_sign_out", args=[row.pk]), follow=True)
        self.assertContains(response, "该浏览器已经退出登录")
        self.assertEqual(theirs.get(reverse("me:home")).status_code, 200)
        self.assertNotContains(self.client.get(reverse("me:devices")), "别人的浏览器")
