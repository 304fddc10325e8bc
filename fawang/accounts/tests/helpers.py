"""Shared steps of the sign-in tests: post the password form, read the pending secret, move the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pyotp
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.test import BaseTestCase
from fawang.testing.world import PASSWORD

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
SETUP = reverse("accounts:totp_setup")
HOME = reverse("console:home")
INVALID = "用户名或密码不正确。"
LOCKED = "连续登录失败次数过多，该账号在当前网络已暂停登录（最长 15 分钟），请稍后再试或联系本单位管理员。"
TIMED_OUT = "登录已超时，请重新输入用户名和密码。"
# A fixed instant, 5 seconds into a 30-second code step, so that "the same code twice" and "five minutes
# later" do not depend on the wall clock. Near the real time because session rows carry real expiry dates.
_now = dt.datetime.now(dt.UTC).replace(microsecond=0)
T0 = _now - dt.timedelta(seconds=_now.second % 30 - 5)


@contextmanager
def clock(at: dt.datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


@override_settings(LOGIN_MAX_FAILURES=5, LOGIN_LOCKOUT_MINUTES=15, SESSION_IDLE_MINUTES=30)
class SignInTestCase(BaseTestCase):
    def sign_in(self, username: str, password: str = PASSWORD, **extra: Any) -> Any:
        return self.client.post(LOGIN, {"username": username, "password": password, **extra})

    def signed_in_as(self) -> int | None:
        value = self.client.session.get("_auth_user_id")
        return int(value) if value else None

    def errors(self, response: Any) -> list[str]:
        return list(response.context["form"].non_field_errors())

    @staticmethod
    def bind(user: User) -> str:
        secret = pyotp.random_base32()
        User.objects.filter(pk=user.pk).update(totp_secret=secret, totp_confirmed_at=timezone.now())
        return secret

    @staticmethod
    def code(secret: str, at: dt.datetime, steps: int = 0) -> str:
        return pyotp.TOTP(secret).at(at + dt.timedelta(seconds=30 * steps))
