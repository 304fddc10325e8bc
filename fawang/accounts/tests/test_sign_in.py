"""Password sign-in: where it leads, what it refuses, and the lockout."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from fawang.accounts.models import SignInThrottle, User
from fawang.testing.world import PASSWORD

from .helpers import HOME, INVALID, LOCKED, LOGIN, T0, SignInTestCase, clock


class SignInTests(SignInTestCase):
    def test_page_is_a_calm_staff_form(self) -> None:
        r = self.client.get(LOGIN, {"next": "/console/"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "法网 · 公共法律服务平台")
        self.assertContains(r, "工作人员登录")
        self.assertContains(r, 'name="next" value="/console/"')
        self.assertContains(r, 'autocomplete="username"')
        self.assertContains(r, 'autocomplete="current-password"')
        self.assertContains(r, "csrfmiddlewaretoken")
        self.assertNotContains(r, 'class="sidenav"')
        self.assertIn("no-store", r.headers["Cache-Control"])

    def test_success_goes_to_next_on_this_site(self) -> None:
        r = self.sign_in("sm_clerk", next="/accounts/password/?x=1")
        self.assertRedirects(r, "/accounts/password/?x=1", fetch_redirect_response=False)
        self.assertEqual(self.signed_in_as(), self.sm_clerk.pk)

    def test_without_next_goes_to_console(self) -> None:
        r = self.sign_in("sm_clerk")
        self.assertRedirects(r, HOME, fetch_redirect_response=False)

    def test_external_next_is_refused(self) -> None:
        for target in (
            "https://evil.example/",
            "//evil.example/x",
            "https:evil.example",
            "javascript:alert(1)",
        ):
            self.client.logout()
            r = self.sign_in("sm_clerk", next=target)
            self.assertRedirects(r, HOME, fetch_redirect_response=False, msg_prefix=target)
        # Nor is a foreign address echoed back into the form.
        self.client.logout()
        r = self.client.get(LOGIN, {"next": "https://evil.example/"})
        self.assertContains(r, 'name="next" value=""')

    def test_session_key_changes_on_sign_in(self) -> None:
        session = self.client.session
        session["planted"] = 1
        session.save()
        before = session.session_key
        self.sign_in("sm_clerk")
        self.assertEqual(self.signed_in_as(), self.sm_clerk.pk)
        self.assertNotEqual(self.client.session.session_key, before)

    def test_wrong_password_message_is_exact(self) -> None:
        r = self.sign_in("sm_clerk", "not-the-password")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.errors(r), [INVALID])
        self.assertContains(r, INVALID)
        self.assertIsNone(self.signed_in_as())
        self.assertEqual(SignInThrottle.objects.get(username="sm_clerk|127.0.0.1").failures, 1)

    def test_unknown_name_gets_the_same_answer(self) -> None:
        wrong = self.sign_in("sm_clerk", "not-the-password")
        unknown = self.sign_in("no_such_user", "not-the-password")
        self.assertEqual(self.errors(unknown), self.errors(wrong))
        self.assertEqual(SignInThrottle.objects.get(username="no_such_user|127.0.0.1").failures, 1)

    def test_public_user_is_refused_like_a_wrong_password(self) -> None:
        r = self.sign_in("citizen", "citizen-pass-2026")
        self.assertEqual(self.errors(r), [INVALID])
        self.assertIsNone(self.signed_in_as())
        # Counted, so the right password cannot be told apart from a wrong one by the lockout either.
        self.assertEqual(SignInThrottle.objects.get(username="citizen|127.0.0.1").failures, 1)

    def test_inactive_user_is_refused(self) -> None:
        User.objects.filter(pk=self.sm_clerk.pk).update(is_active=False)
        r = self.sign_in("sm_clerk")
        self.assertEqual(self.errors(r), [INVALID])
        self.assertIsNone(self.signed_in_as())

    def test_post_without_csrf_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        r = client.post(LOGIN, {"username": "sm_clerk", "password": PASSWORD})
        self.assertEqual(r.status_code, 403)
        self.assertNotIn("_auth_user_id", client.session)

    def test_sign_out_needs_post(self) -> None:
        self.client.force_login(self.sm_clerk)
        self.assertEqual(self.client.get(reverse("accounts:logout")).status_code, 405)
        r = self.client.post(reverse("accounts:logout"), follow=True)
        self.assertRedirects(r, LOGIN)
        self.assertContains(r, "您已安全退出。")
        self.assertIsNone(self.signed_in_as())


class LockoutTests(SignInTestCase):
    def fail_times(self, username: str, times: int) -> list[list[str]]:
        return [self.errors(self.sign_in(username, f"wrong-{i}")) for i in range(times)]

    def test_five_failures_lock_even_the_right_password(self) -> None:
        answers = self.fail_times("sm_clerk", 5)
        self.assertEqual(answers[:4], [[INVALID]] * 4)
        self.assertEqual(answers[4], [LOCKED])
        r = self.sign_in("sm_clerk")
        self.assertEqual(self.errors(r), [LOCKED])
        self.assertContains(r, LOCKED)
        self.assertIsNone(self.signed_in_as())

    def test_unknown_names_lock_the_same_way(self) -> None:
        answers = self.fail_times("nobody_here", 6)
        self.assertEqual(answers, [[INVALID]] * 4 + [[LOCKED]] * 2)

    def test_a_success_before_the_limit_starts_the_count_again(self) -> None:
        self.fail_times("sm_clerk", 4)
        self.sign_in("sm_clerk")
        self.client.logout()
        self.assertEqual(self.fail_times("sm_clerk", 4), [[INVALID]] * 4)

    def test_lock_runs_out(self) -> None:
        with clock(T0):
            self.fail_times("sm_clerk", 5)
        with clock(T0 + dt.timedelta(seconds=59)):
            self.assertEqual(self.errors(self.sign_in("sm_clerk")), [LOCKED])
        with clock(T0 + dt.timedelta(seconds=61)):
            r = self.sign_in("sm_clerk")
            self.assertRedirects(r, HOME, fetch_redirect_response=False)
            self.assertEqual(self.signed_in_as(), self.sm_clerk.pk)
        self.assertFalse(SignInThrottle.objects.filter(username="sm_clerk|127.0.0.1").exists())

    def test_delays_grow_after_each_lock_up_to_the_limit(self) -> None:
        at = T0
        with clock(at):
            self.fail_times("sm_clerk", 5)
        # Each further failure after a lock runs out locks for twice as long: 2, 4, 8 minutes, then 15 at most.
        for minutes in (2, 4, 8, 15, 15):
            at += dt.timedelta(minutes=16)
            with clock(at):
                self.assertEqual(self.fail_times("sm_clerk", 1), [[LOCKED]])
            with clock(at + dt.timedelta(minutes=minutes, seconds=-2)):
                self.assertEqual(self.errors(self.sign_in("sm_clerk")), [LOCKED])
        self.assertEqual(SignInThrottle.objects.get(username="sm_clerk|127.0.0.1").failures, 10)

    def test_lock_is_per_name_and_case_blind(self) -> None:
        self.fail_times("SM_Clerk", 5)
        self.assertEqual(self.errors(self.sign_in("sm_clerk")), [LOCKED])
        r = self.sign_in("hl_clerk")
        self.assertRedirects(r, HOME, fetch_redirect_response=False)
