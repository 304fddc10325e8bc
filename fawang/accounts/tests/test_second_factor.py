"""The second factor: a bound user must give a valid code; a unit can make binding compulsory."""

from __future__ import annotations

import datetime as dt

import pyotp

from fawang.accounts.models import SignInThrottle, User
from fawang.orgs.models import Membership, Unit

from .helpers import HOME, LOCKED, LOGIN, SETUP, T0, TIMED_OUT, VERIFY, SignInTestCase, clock

WRONG_CODE = "动态口令不正确或已使用过，请输入验证器中当前显示的口令。"


class VerifyTests(SignInTestCase):
    def setUp(self) -> None:
        self.secret = self.bind(self.sm_clerk)

    def test_bound_user_must_give_a_valid_code(self) -> None:
        with clock(T0):
            r = self.sign_in("sm_clerk", next="/accounts/password/")
            self.assertRedirects(r, VERIFY, fetch_redirect_response=False)
            self.assertIsNone(self.signed_in_as())
            # Half-way is not signed in: staff pages still send the user to the sign-in page.
            self.assertRedirects(
                self.client.get("/accounts/password/"),
                f"{LOGIN}?next=/accounts/password/",
                fetch_redirect_response=False,
            )
            page = self.client.get(VERIFY)
            self.assertContains(page, "动态口令验证")
            self.assertContains(page, 'autocomplete="one-time-code"')
            self.assertIn("no-store", page.headers["Cache-Control"])
            r = self.client.post(VERIFY, {"code": self.code(self.secret, T0)})
        self.assertRedirects(r, "/accounts/password/", fetch_redirect_response=False)
        self.assertEqual(self.signed_in_as(), self.sm_clerk.pk)
        self.assertNotIn("pending_2fa", self.client.session)

    def test_code_from_the_step_before_is_accepted(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
            r = self.client.post(VERIFY, {"code": self.code(self.secret, T0, steps=-1)})
        self.assertRedirects(r, HOME, fetch_redirect_response=False)

    def test_wrong_code_is_refused_and_counted(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
            good = self.code(self.secret, T0)
            bad = f"{(int(good) + 1) % 1_000_000:06d}"
            r = self.client.post(VERIFY, {"code": bad})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.context["form"].errors["code"], [WRONG_CODE])
        self.assertIsNone(self.signed_in_as())
        self.assertEqual(SignInThrottle.objects.get(username="sm_clerk|127.0.0.1").failures, 1)

    def test_code_that_is_not_six_digits_is_refused_before_checking(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
            r = self.client.post(VERIFY, {"code": "12ab"})
        self.assertEqual(r.context["form"].errors["code"], ["请输入 6 位数字动态口令。"])

    def test_code_may_be_typed_with_a_space(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
            code = self.code(self.secret, T0)
            r = self.client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}"})
        self.assertRedirects(r, HOME, fetch_redirect_response=False)

    def test_the_same_code_cannot_sign_in_twice(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
            code = self.code(self.secret, T0)
            self.client.post(VERIFY, {"code": code})
            self.client.logout()
            self.sign_in("sm_clerk")
            r = self.client.post(VERIFY, {"code": code})
            self.assertEqual(r.context["form"].errors["code"], [WRONG_CODE])
            self.assertIsNone(self.signed_in_as())
        later = T0 + dt.timedelta(seconds=30)
        with clock(later):
            r = self.client.post(VERIFY, {"code": self.code(self.secret, later)})
        self.assertRedirects(r, HOME, fetch_redirect_response=False)

    def test_five_wrong_codes_lock_the_account(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
            for _ in range(4):
                self.client.post(VERIFY, {"code": "000000"})
            r = self.client.post(VERIFY, {"code": "000000"}, follow=True)
            self.assertRedirects(r, LOGIN)
            self.assertContains(r, LOCKED)
            self.assertNotIn("pending_2fa", self.client.session)
            # Neither the right password nor, then, a right code gets in.
            self.assertEqual(self.errors(self.sign_in("sm_clerk")), [LOCKED])
            self.assertRedirects(
                self.client.post(VERIFY, {"code": self.code(self.secret, T0)}),
                LOGIN,
                fetch_redirect_response=False,
            )
        self.assertIsNone(self.signed_in_as())

    def test_entering_the_password_again_does_not_reset_the_code_count(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
            for _ in range(4):
                self.client.post(VERIFY, {"code": "000000"})
            self.assertRedirects(self.sign_in("sm_clerk"), VERIFY, fetch_redirect_response=False)
            r = self.client.post(VERIFY, {"code": "000000"}, follow=True)
        self.assertContains(r, LOCKED)

    def test_a_complete_sign_in_clears_the_count(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
            self.client.post(VERIFY, {"code": "000000"})
            self.client.post(VERIFY, {"code": self.code(self.secret, T0)})
        self.assertEqual(self.signed_in_as(), self.sm_clerk.pk)
        self.assertFalse(SignInThrottle.objects.filter(username="sm_clerk|127.0.0.1").exists())

    def test_pending_state_expires_after_five_minutes(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
        with clock(T0 + dt.timedelta(minutes=4, seconds=59)):
            self.assertEqual(self.client.get(VERIFY).status_code, 200)
        late = T0 + dt.timedelta(minutes=5, seconds=1)
        with clock(late):
            r = self.client.post(VERIFY, {"code": self.code(self.secret, late)}, follow=True)
        self.assertRedirects(r, LOGIN)
        self.assertContains(r, TIMED_OUT)
        self.assertIsNone(self.signed_in_as())
        self.assertNotIn("pending_2fa", self.client.session)

    def test_pending_state_dies_with_a_password_change(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
            user = User.objects.get(pk=self.sm_clerk.pk)
            user.set_password("a-new-password-2026")
            user.save()
            r = self.client.post(VERIFY, {"code": self.code(self.secret, T0)})
        self.assertRedirects(r, LOGIN, fetch_redirect_response=False)
        self.assertIsNone(self.signed_in_as())

    def test_verify_without_a_password_first_goes_back_to_sign_in(self) -> None:
        r = self.client.post(VERIFY, {"code": "123456"}, follow=True)
        self.assertRedirects(r, LOGIN)
        self.assertContains(r, TIMED_OUT)

    def test_session_key_changes_at_both_steps(self) -> None:
        session = self.client.session
        session["planted"] = 1
        session.save()
        keys = [session.session_key]
        with clock(T0):
            self.sign_in("sm_clerk")
            keys.append(self.client.session.session_key)
            self.client.post(VERIFY, {"code": self.code(self.secret, T0)})
            keys.append(self.client.session.session_key)
        self.assertEqual(len(set(keys)), 3)

    def test_password_alone_cannot_bind_a_new_device(self) -> None:
        # Someone who knows only the password tries the binding page instead of the code page.
        with clock(T0):
            self.sign_in("sm_clerk")
            self.assertRedirects(self.client.get(SETUP), VERIFY, fetch_redirect_response=False)
            attacker = pyotp.random_base32()
            self.client.post(SETUP, {"code": self.code(attacker, T0)})
        self.assertEqual(User.objects.get(pk=self.sm_clerk.pk).totp_secret, self.secret)
        self.assertIsNone(self.signed_in_as())


class UnitRequires2faTests(SignInTestCase):
    """A unit admin turns on 要求双因素登录 for the unit; its staff must bind a device at their next sign-in."""

    def setUp(self) -> None:
        self.unit_of_clerk = Membership.objects.filter(user=self.sm_clerk, is_active=True).first().unit  # type: ignore[union-attr]
        # Stands for the unit edit page (orgs), which saves the same field.
        Unit.objects.filter(pk=self.unit_of_clerk.pk).update(require_2fa=True)

    def pending_secret(self) -> str:
        return str(self.client.session["totp_setup"]["secret"])

    def test_staff_of_the_unit_are_sent_to_binding(self) -> None:
        r = self.sign_in("sm_clerk", next="/accounts/password/")
        self.assertRedirects(r, SETUP, fetch_redirect_response=False)
        self.assertIsNone(self.signed_in_as())
        page = self.client.get(SETUP)
        self.assertContains(page, "您的岗位或所在单位要求登录时使用动态口令")
        self.assertContains(page, "腾讯身份验证器")
        self.assertContains(page, '<svg role="img" aria-label="动态口令绑定二维码"')
        secret = self.pending_secret()
        self.assertContains(page, " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)))
        self.assertNotContains(page, 'class="sidenav"')

    def test_binding_stores_the_secret_and_signs_in(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk", next="/accounts/password/")
            self.client.get(SETUP)
            secret = self.pending_secret()
            wrong = self.client.post(SETUP, {"code": "000000"})
            self.assertEqual(
                wrong.context["form"].errors["code"], ["动态口令不正确，请确认手机时间准确后重试。"]
            )
            self.assertEqual(User.objects.get(pk=self.sm_clerk.pk).totp_secret, "")
            r = self.client.post(SETUP, {"code": self.code(secret, T0)})
        # The recovery codes are shown once, with the way on to where the sign-in was going.
        self.assertTemplateUsed(r, "accounts/recovery_codes.html")
        self.assertEqual(r.context["next_url"], "/accounts/password/")
        self.assertEqual(len(r.context["codes"]), 10)
        self.assertEqual(self.signed_in_as(), self.sm_clerk.pk)
        user = User.objects.get(pk=self.sm_clerk.pk)
        self.assertEqual(user.totp_secret, secret)
        self.assertEqual(user.totp_confirmed_at, T0)
        self.assertTrue(user.has_totp)
        self.assertNotIn("totp_setup", self.client.session)

    def test_after_binding_the_next_sign_in_asks_for_a_code(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
            self.client.get(SETUP)
            secret = self.pending_secret()
            self.client.post(SETUP, {"code": self.code(secret, T0)})
            self.client.logout()
            self.assertRedirects(self.sign_in("sm_clerk"), VERIFY, fetch_redirect_response=False)
            # The code used for binding cannot also be used to sign in.
            r = self.client.post(VERIFY, {"code": self.code(secret, T0)})
            self.assertEqual(r.context["form"].errors["code"], [WRONG_CODE])

    def test_staff_of_other_units_are_not_affected(self) -> None:
        self.assertFalse(Membership.objects.filter(user=self.hl_clerk, unit__require_2fa=True).exists())
        self.assertRedirects(self.sign_in("hl_clerk"), HOME, fetch_redirect_response=False)

    def test_binding_page_expires_with_the_pending_sign_in(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
            self.client.get(SETUP)
            secret = self.pending_secret()
        late = T0 + dt.timedelta(minutes=6)
        with clock(late):
            r = self.client.post(SETUP, {"code": self.code(secret, late)}, follow=True)
        self.assertContains(r, TIMED_OUT)
        self.assertEqual(User.objects.get(pk=self.sm_clerk.pk).totp_secret, "")


class ManageDeviceTests(SignInTestCase):
    """Signed-in staff bind a device of their own accord, or replace one (which needs a code from the old one)."""

    def test_signed_in_user_binds_a_first_device(self) -> None:
        self.client.force_login(self.hl_clerk)
        with clock(T0):
            page = self.client.get(SETUP)
            self.assertContains(page, "绑定动态口令")
            self.assertNotContains(page, "原验证器的动态口令")
            secret = str(self.client.session["totp_setup"]["secret"])
            r = self.client.post(SETUP, {"code": self.code(secret, T0)})
        self.assertContains(r, "动态口令已绑定：请保存恢复码")
        self.assertEqual(r.context["next_url"], SETUP)
        self.assertEqual(User.objects.get(pk=self.hl_clerk.pk).totp_secret, secret)

    def test_replacing_a_device_needs_the_old_code(self) -> None:
        old = self.bind(self.hl_clerk)
        self.client.force_login(self.hl_clerk)
        with clock(T0):
            page = self.client.get(SETUP)
            self.assertContains(page, "更换动态口令设备")
            new = str(self.client.session["totp_setup"]["secret"])
            r = self.client.post(SETUP, {"code": self.code(new, T0)})
            self.assertEqual(r.context["form"].errors["current_code"], ["这个字段是必填项。"])
            r = self.client.post(SETUP, {"code": self.code(new, T0), "current_code": "000000"})
            self.assertEqual(
                r.context["form"].errors["current_code"], ["原验证器的动态口令不正确或已使用过。"]
            )
            self.assertEqual(SignInThrottle.objects.get(username="hl_clerk|127.0.0.1").failures, 1)
            self.assertEqual(User.objects.get(pk=self.hl_clerk.pk).totp_secret, old)
            r = self.client.post(SETUP, {"code": self.code(new, T0), "current_code": self.code(old, T0)})
        self.assertTemplateUsed(r, "accounts/recovery_codes.html")
        self.assertEqual(User.objects.get(pk=self.hl_clerk.pk).totp_secret, new)

    def test_public_user_has_no_binding_page(self) -> None:
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get(SETUP).status_code, 404)


class ResetDeviceTests(SignInTestCase):
    def test_admin_resets_a_lost_device_and_the_next_sign_in_binds_a_new_one(self) -> None:
        self.bind(self.sm_clerk)
        unit = Membership.objects.filter(user=self.sm_clerk, is_active=True).first().unit  # type: ignore[union-attr]
        Unit.objects.filter(pk=unit.pk).update(require_2fa=True)
        self.client.force_login(self.sysadmin)
        r = self.client.post(
            "/admin/accounts/user/",
            {"action": "reset_totp", "_selected_action": [self.sm_clerk.pk]},
            follow=True,
        )
        self.assertContains(r, "已重置 1 个账号的动态口令。")
        user = User.objects.get(pk=self.sm_clerk.pk)
        self.assertEqual((user.totp_secret, user.totp_confirmed_at, user.totp_last_step), ("", None, None))
        self.client.logout()
        self.assertRedirects(self.sign_in("sm_clerk"), SETUP, fetch_redirect_response=False)
