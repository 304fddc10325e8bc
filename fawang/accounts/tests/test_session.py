"""Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_COOKIE_AGE after signing in."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from .helpers import LOGIN, T0, SignInTestCase, clock

PAGE = "/accounts/password/"  # any page that needs a signed-in user
IDLE = "您长时间未操作，已自动退出登录，请重新登录。"


class SessionExpiryTests(SignInTestCase):
    def test_idle_session_is_signed_out_with_a_message(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
        with clock(T0 + dt.timedelta(minutes=29)):
            self.assertEqual(self.client.get(PAGE).status_code, 200)
        # 29 minutes later again: activity in between keeps the session alive.
        with clock(T0 + dt.timedelta(minutes=58)):
            self.assertEqual(self.client.get(PAGE).status_code, 200)
        with clock(T0 + dt.timedelta(minutes=58 + 31)):
            r = self.client.get(PAGE, follow=True)
        self.assertRedirects(r, f"{LOGIN}?next={PAGE}")
        self.assertContains(r, IDLE)
        self.assertIsNone(self.signed_in_as())

    def test_idle_limit_reads_last_seen_from_the_session(self) -> None:
        self.sign_in("sm_clerk")
        session = self.client.session
        session["last_seen"] -= settings.SESSION_IDLE_MINUTES * 60 + 1
        session.save()
        r = self.client.get(PAGE, follow=True)
        self.assertContains(r, IDLE)
        self.assertIsNone(self.signed_in_as())

    def test_no_sign_in_outlasts_the_working_day(self) -> None:
        with clock(T0):
            self.sign_in("sm_clerk")
        # Busy all day: a request every 20 minutes.
        minutes = 20
        while minutes <= 8 * 60:
            with clock(T0 + dt.timedelta(minutes=minutes)):
                self.assertEqual(self.client.get(PAGE).status_code, 200, minutes)
            minutes += 20
        with clock(T0 + dt.timedelta(hours=8, minutes=10)):
            r = self.client.get(PAGE, follow=True)
        self.assertContains(r, "本次登录已超过 8 小时，为保障安全已自动退出，请重新登录。")
        self.assertIsNone(self.signed_in_as())
