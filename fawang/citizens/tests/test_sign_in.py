"""Sign-up and sign-in by mobile number and a one-time code from the notify outbox."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.notify.models import Message

from .. import actions
from ..consent import NOTICE_VERSION
from ..models import PhoneCode
from .base import CitizenTestCase

PHONE = "13712345678"


class SignInTestCase(CitizenTestCase):
    def test_first_sign_in_creates_a_public_account_and_asks_for_real_name(self) -> None:
        response = self.ask_code(PHONE)
        self.assertRedirects(response, reverse("me:verify"))
        message = Message.objects.get(kind="otp.login", phone=PHONE)
        self.assertEqual(message.channel, "sms")
        code = self.last_code(PHONE)
        row = PhoneCode.objects.get(phone=PHONE)
        self.assertNotIn(code, row.code_hash)  # only a keyed hash is kept
        self.assertEqual(row.ip, self.ip)
        self.assertAlmostEqual(
            (row.expires_at - row.created_at).total_seconds(), dt.timedelta(minutes=10).total_seconds()
        )
        page = self.client.get(reverse("me:verify"))
        self.assertContains(page, "验证码已发送至 137****5678，10 分钟内有效。")
        self.assertNotContains(page, code)  # not in development mode: the code is never on the page

        response = self.enter_code(code)
        self.assertRedirects(
            response, reverse("me:profile") + "?next=%2Fme%2F", fetch_redirect_response=False
        )
        user = User.objects.get(phone=PHONE)
        self.assertEqual(user.kind, User.Kind.PUBLIC)
        self.assertFalse(user.has_usable_password())
        self.assertEqual(int(self.client.session["_auth_user_id"]), user.pk)
        self.assertContains(self.client.get(reverse("me:home")), "137****5678")

    def test_an_existing_account_signs_in_again(self) -> None:
        user = self.sign_in_by_phone(self.citizen.phone)
        self.assertEqual(user, self.citizen)
        self.assertEqual(User.objects.filter(phone=self.citizen.phone).count(), 1)

    def test_next_is_kept_and_foreign_targets_are_dropped(self) -> None:
        self.client.post(
            reverse("me:login"),
            {"phone": self.citizen.phone, "next": "/me/matters/", "agree": NOTICE_VERSION},
        )
        response = self.enter_code(self.last_code(self.citizen.phone))
        self.assertRedirects(response, reverse("me:matters"))
        self.client.logout()
        PhoneCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
        self.client.post(
            reverse("me:login"),
            {"phone": self.citizen.phone, "next": "https://evil.example/", "agree": NOTICE_VERSION},
        )
        response = self.enter_code(self.last_code(self.citizen.phone))
        self.assertRedirects(response, reverse("me:home"))

    def test_next_survives_a_mistyped_number_but_a_foreign_one_is_not_echoed(self) -> None:
        response = self.client.post(
            reverse("me:login"), {"phone": "123", "next": "/me/matters/", "agree": NOTICE_VERSION}
        )
        self.assertContains(response, '<input type="hidden" name="next" value="/me/matters/">', html=True)
        response = self.client.get(reverse("me:login"), {"next": "https://evil.example/"})
        self.assertNotContains(
            response, '<input type="hidden" name="next" value="https://evil.example/">', html=True
        )

    def test_a_wrong_code_is_refused_and_counted(self) -> None:
        self.ask_code(PHONE)
        code = self.last_code(PHONE)
        wrong = f"{(int(code) + 1) % 1000000:06d}"
        response = self.enter_code(wrong)
        self.assertContains(response, "验证码不正确，还可以再试 4 次。")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(PhoneCode.objects.get(phone=PHONE).attempts, 1)
        self.assertFalse(User.objects.filter(phone=PHONE).exists())
        self.assertContains(self.enter_code("12345"), "请输入短信中的 6 位数字验证码。")

    def test_an_expired_code_is_refused(self) -> None:
        self.ask_code(PHONE)
        code = self.last_code(PHONE)
        PhoneCode.objects.filter(phone=PHONE).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        self.assertContains(self.enter_code(code), "验证码已过期，请重新获取。")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_five_wrong_tries_void_the_code(self) -> None:
        self.ask_code(PHONE)
        code = self.last_code(PHONE)
        wrong = f"{(int(code) + 1) % 1000000:06d}"
        for left in (4, 3, 2, 1):
            self.assertContains(self.enter_code(wrong), f"还可以再试 {left} 次")
        self.assertContains(self.enter_code(wrong), "验证码错误次数过多，请重新获取验证码。")
        # Even the right code no longer works.
        self.assertContains(self.enter_code(code), "验证码错误次数过多，请重新获取验证码。")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_code_works_once(self) -> None:
        self.ask_code(PHONE)
        code = self.last_code(PHONE)
        self.assertEqual(self.enter_code(code).status_code, 302)
        self.client.logout()
        with self.assertRaisesMessage(Exception, "该验证码已经使用过，请重新获取。"):
            actions.verify_sign_in_code(PHONE, code)

    def test_codes_are_rate_limited_per_number(self) -> None:
        self.assertEqual(self.ask_code(PHONE).status_code, 302)
        response = self.ask_code(PHONE)
        self.assertContains(response, "获取验证码过于频繁，请 60 秒后再试。", status_code=429)
        self.assertEqual(PhoneCode.objects.filter(phone=PHONE).count(), 1)
        now = timezone.now()
        for minute in range(2, 10, 2):  # four more, each after the 60-second interval, from other addresses
            actions.request_sign_in_code(
                PHONE, ip=f"198.51.100.{minute}", now=now + dt.timedelta(minutes=minute)
            )
        with self.assertRaisesMessage(actions.RateLimited, "获取验证码次数过多，请一小时后再试。"):
            actions.request_sign_in_code(PHONE, ip="198.51.100.99", now=now + dt.timedelta(minutes=12))
        # An hour after the first, one more is allowed.
        actions.request_sign_in_code(PHONE, ip="198.51.100.99", now=now + dt.timedelta(minutes=61))

    def test_codes_are_rate_limited_per_address(self) -> None:
        now = timezone.now()
        for i in range(10):
            actions.request_sign_in_code(f"1390000{i:04d}", ip=self.ip, now=now + dt.timedelta(minutes=2 * i))
        with self.assertRaisesMessage(actions.RateLimited, "获取验证码次数过多，请一小时后再试。"):
            actions.request_sign_in_code("13600000000", ip=self.ip, now=now + dt.timedelta(minutes=21))
        # Two people behind one address, half a minute apart: the second is not made to wait.
        actions.request_sign_in_code("13600000001", ip="192.0.2.1", now=now)
        actions.request_sign_in_code("13600000002", ip="192.0.2.1", now=now + dt.timedelta(seconds=30))
        self.assertEqual(PhoneCode.objects.filter(ip="192.0.2.1").count(), 2)

    def test_an_invalid_number_gets_a_chinese_error_and_no_code(self) -> None:
        for bad in ("1234567890", "23812345678", "138123456789", "abc"):
            response = self.ask_code(bad)
            self.assertContains(response, "请输入正确的 11 位手机号码。")
        self.assertContains(self.ask_code(""), "请输入手机号码。")
        self.assertFalse(PhoneCode.objects.exists())
        self.assertFalse(Message.objects.filter(kind="otp.login").exists())

    def test_spaces_and_country_code_are_accepted(self) -> None:
        self.ask_code("+86 137 1234 5678")
        self.assertTrue(PhoneCode.objects.filter(phone=PHONE).exists())

    def test_a_staff_members_number_never_signs_in_the_staff_account(self) -> None:
        User.objects.filter(pk=self.sm_clerk.pk).update(phone=PHONE)
        user = self.sign_in_by_phone(PHONE)
        self.assertNotEqual(user.pk, self.sm_clerk.pk)
        self.assertEqual(user.kind, User.Kind.PUBLIC)
        # The public account opens nothing of the console.
        self.assertEqual(self.client.get(reverse("console:home")).status_code, 404)
        self.assertEqual(self.client.get(reverse("matters:unit_queue")).status_code, 404)

    def test_a_staff_session_is_sent_to_the_public_sign_in(self) -> None:
        self.client.force_login(self.sm_clerk)
        response = self.client.get(reverse("me:matters"))
        self.assertRedirects(response, reverse("me:login") + "?next=%2Fme%2Fmatters%2F")

    def test_the_staff_sign_in_refuses_public_accounts(self) -> None:
        self.sign_in_by_phone(PHONE)
        self.client.logout()
        # A public account has no usable password, and the staff form refuses public accounts anyway.
        response = self.client.post(
            reverse("accounts:login"), {"username": f"public-{PHONE}", "password": "any-password-2026"}
        )
        self.assertContains(response, "用户名或密码不正确。")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_disabled_account_cannot_sign_in(self) -> None:
        User.objects.filter(pk=self.citizen.pk).update(is_active=False)
        self.ask_code(self.citizen.phone)
        response = self.enter_code(self.last_code(self.citizen.phone))
        self.assertContains(response, "该账号已停用")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_sign_out(self) -> None:
        self.sign_in_by_phone(self.citizen.phone)
        self.assertRedirects(self.client.post(reverse("me:logout")), reverse("portal:home"))
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(self.client.get(reverse("me:logout")).status_code, 405)

    @override_settings(NOTIFY_SHOW_CODES_IN_DEV=True)
    def test_the_code_is_on_the_page_in_development_only(self) -> None:
        self.ask_code(PHONE)
        page = self.client.get(reverse("me:verify"))
        self.assertContains(page, f'<strong class="dev-code">{self.last_code(PHONE)}</strong>')
        self.enter_code(self.last_code(PHONE))
        self.assertNotIn("me_dev_code", self.client.session)
        self.assertNotIn("me_phone", self.client.session)

    def test_verify_without_a_number_goes_back_to_step_one(self) -> None:
        self.assertRedirects(self.client.get(reverse("me:verify")), reverse("me:login"))
