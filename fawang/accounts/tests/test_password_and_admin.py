"""Password change, password hashing, and the admin site's door."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

from fawang.accounts.models import SignInThrottle, User
from fawang.testing.world import PASSWORD

from .helpers import HOME, LOCKED, LOGIN, T0, SignInTestCase, clock

CHANGE = "/accounts/password/"
NEW = "Zhi-Fa-Wei-Min-2026"


class PasswordChangeTests(SignInTestCase):
    def test_change_sets_the_password_and_its_time(self) -> None:
        self.client.force_login(self.sm_clerk)
        page = self.client.get(CHANGE)
        self.assertContains(page, "修改密码")
        self.assertContains(page, 'autocomplete="current-password"')
        with clock(T0):
            r = self.client.post(
                CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
            )
        self.assertRedirects(r, HOME, fetch_redirect_response=False)
        user = User.objects.get(pk=self.sm_clerk.pk)
        self.assertTrue(user.check_password(NEW))
        self.assertEqual(user.password_changed_at, T0)
        # This session stays signed in; the old password no longer works.
        self.assertEqual(self.signed_in_as(), self.sm_clerk.pk)
        self.client.logout()
        self.assertEqual(self.errors(self.sign_in("sm_clerk")), ["用户名或密码不正确。"])

    def test_wrong_old_password_is_refused_and_counted(self) -> None:
        self.client.force_login(self.sm_clerk)
        r = self.client.post(CHANGE, {"old_password": "guess", "new_password1": NEW, "new_password2": NEW})
        self.assertEqual(r.context["form"].errors["old_password"], ["原密码不正确，请重新输入。"])
        self.assertIsNone(User.objects.get(pk=self.sm_clerk.pk).password_changed_at)
        self.assertEqual(SignInThrottle.objects.get(username="sm_clerk|127.0.0.1").failures, 1)

    def test_guessing_the_old_password_locks_and_signs_out(self) -> None:
        self.client.force_login(self.sm_clerk)
        for _ in range(4):
            self.client.post(CHANGE, {"old_password": "guess", "new_password1": NEW, "new_password2": NEW})
        r = self.client.post(
            CHANGE, {"old_password": "guess", "new_password1": NEW, "new_password2": NEW}, follow=True
        )
        self.assertRedirects(r, LOGIN)
        self.assertContains(r, LOCKED)
        self.assertIsNone(self.signed_in_as())

    def test_weak_new_password_is_refused(self) -> None:
        self.client.force_login(self.sm_clerk)
        r = self.client.post(
            CHANGE,
            {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].errors["new_password2"])
        self.assertTrue(User.objects.get(pk=self.sm_clerk.pk).check_password(PASSWORD))

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        self.assertRedirects(self.client.get(CHANGE), f"{LOGIN}?next={CHANGE}", fetch_redirect_response=False)


class HashingTests(SignInTestCase):
    def test_production_settings_hash_with_argon2_first(self) -> None:
        # The test run swaps in MD5 for speed, so read the settings as a server process would.
        env = {k: v for k, v in os.environ.items() if k != "FAWANG_TESTING"}
        out = subprocess.run(
            [sys.executable, "-c", "import fawang.settings as s; print(s.PASSWORD_HASHERS[0])"],
            capture_output=True,
            text=True,
            env=env,
            cwd=settings.BASE_DIR,
            check=True,
            timeout=60,
        ).stdout.strip()
        self.assertEqual(out, "django.contrib.auth.hashers.Argon2PasswordHasher")
        # And the argon2 library it needs is installed.
        hasher = Argon2PasswordHasher()
        encoded = hasher.encode("fawang", hasher.salt())
        self.assertTrue(encoded.startswith("argon2$"))
        self.assertTrue(hasher.verify("fawang", encoded))


class AdminDoorTests(SignInTestCase):
    def test_anonymous_admin_visitor_lands_on_staff_sign_in(self) -> None:
        r = self.client.get("/admin/", follow=True)
        self.assertRedirects(r, f"{LOGIN}?next=/admin/")
        self.assertContains(r, "工作人员登录")

    def test_admin_login_form_cannot_be_used_to_skip_the_sign_in_page(self) -> None:
        # sysadmin has a second factor; its password alone posted to the admin's own form must not sign in.
        self.bind(self.sysadmin)
        r = self.client.post("/admin/login/", {"username": "sysadmin", "password": PASSWORD})
        self.assertRedirects(r, f"{LOGIN}?next=/admin/", fetch_redirect_response=False)
        self.assertIsNone(self.signed_in_as())
        self.client.force_login(self.sm_clerk)
        r = self.client.post("/admin/login/", {"username": "sysadmin", "password": PASSWORD})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(self.signed_in_as(), self.sm_clerk.pk)

    def test_admin_user_passes_through(self) -> None:
        self.client.force_login(self.sysadmin)
        r = self.client.get("/admin/login/", {"next": "/admin/accounts/user/"})
        self.assertRedirects(r, "/admin/accounts/user/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_admin_password_link_leads_to_staff_page(self) -> None:
        self.client.force_login(self.sysadmin)
        self.assertRedirects(
            self.client.get("/admin/password_change/"), CHANGE, fetch_redirect_response=False
        )
