"""Shared helpers for the public-account tests: signing in through the real code flow."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from fawang.accounts.models import User
from fawang.matters.tests.base import MatterTestCase, id_number
from fawang.notify.models import Message

from .. import actions
from ..consent import NOTICE_VERSION


class CitizenTestCase(MatterTestCase):
    ip = "203.0.113.9"

    def ask_code(self, phone: str, ip: str | None = None) -> Any:
        # "同意并获取验证码": the button carries the version of the rules agreed to.
        return self.client.post(
            reverse("me:login"), {"phone": phone, "agree": NOTICE_VERSION}, REMOTE_ADDR=ip or self.ip
        )

    def last_code(self, phone: str) -> str:
        body = Message.objects.filter(kind="otp.login", phone=phone).latest("pk").body
        found = re.search(r"验证码 (\d{6})", body)
        assert found, body
        return found.group(1)

    def enter_code(self, code: str) -> Any:
        return self.client.post(reverse("me:verify"), {"code": code})

    def sign_in_by_phone(self, phone: str) -> User:
        self.assertEqual(self.ask_code(phone).status_code, 302)
        self.assertEqual(self.enter_code(self.last_code(phone)).status_code, 302)
        return User.objects.get(pk=self.client.session["_auth_user_id"])

    def make_citizen(self, phone: str, name: str = "林晓燕", seq: str = "456") -> User:
        user = User.objects.create_user(f"public-{phone}", kind=User.Kind.PUBLIC, phone=phone)
        actions.do_update_profile(user.pk, name=name, id_number=id_number(seq=seq))
        user.refresh_from_db()
        return user
