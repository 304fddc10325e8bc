"""Citizens on the API: a mobile number and a one-time code give the app a token of the person's public account;
the token reaches /api/v1/me/ and nothing of the staff endpoints; sign-out revokes it."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from fawang.accounts.models import User
from fawang.apikit.models import ApiToken
from fawang.citizens.models import PhoneCode, Profile
from fawang.notify.models import Message

from .base import ApiTestCase

PHONE = "13912345678"
ID_NUMBER = "35020319900101123X"


class CitizenSignInTestCase(ApiTestCase):
    def code_from_outbox(self, phone: str = PHONE) -> str:
        message = Message.objects.filter(phone=phone, kind="otp.login").latest("pk")
        match = re.search(r"验证码 (\d{6})", message.body)
        assert match, message.body
        return match.group(1)

    def sign_in(self, phone: str = PHONE, device: str = "微信小程序") -> dict[str, object]:
        sent = self.post(self.client, reverse("api:me_sign_in_code"), {"phone": phone})
        self.assertEqual(sent.status_code, 200, sent.content)
        r = self.client.post(
            reverse("api:me_sign_in_token"),
            {"phone": phone, "code": self.code_from_outbox(phone), "device": device},
            format="json",
        )
        self.assertEqual(r.status_code, 200, r.content)
        return dict(r.json())

    def bearer(self, token: object) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    def test_first_sign_in_creates_the_account_and_a_token_named_after_the_device(self) -> None:
        out = self.sign_in()
        self.assertTrue(out["created"])
        user = User.objects.get(kind=User.Kind.PUBLIC, phone=PHONE)
        self.assertEqual(
            out["user"],
            {
                "id": user.pk,
                "phone": PHONE,
                "name": "",
                "id_number": "",
                "real_name": False,
                "claimed": False,
            },
        )
        token = ApiToken.objects.get(user=user)
        self.assertEqual(token.name, "微信小程序")
        self.assertTrue(str(out["token"]).startswith(token.prefix))
        # Only the hash is kept.
        self.assertNotEqual(token.token_hash, out["token"])
        self.assertFalse(ApiToken.objects.filter(token_hash=out["token"]).exists())
        # The second sign-in (a minute later: codes are at most one a minute) finds the same account.
        PhoneCode.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))
        again = self.sign_in(device="")
        self.assertFalse(again["created"])
        self.assertEqual(User.objects.filter(phone=PHONE, kind=User.Kind.PUBLIC).count(), 1)
        self.assertEqual(ApiToken.objects.filter(user=user).latest("pk").name, "公众用户应用")

    def test_the_sms_says_what_the_code_is_for_and_the_answer_masks_the_number(self) -> None:
        r = self.post(self.client, reverse("api:me_sign_in_code"), {"phone": PHONE})
        self.assertEqual(r.json()["phone"], "139****5678")
        self.assertNotIn("code", r.json())  # no code in the answer outside development
        self.assertIn("您正在登录 12348 法网", Message.objects.get(phone=PHONE).body)

    @override_settings(NOTIFY_SHOW_CODES_IN_DEV=True, DEBUG=True)
    def test_development_shows_the_code_in_the_answer(self) -> None:
        r = self.post(self.client, reverse("api:me_sign_in_code"), {"phone": PHONE})
        self.assertEqual(r.json()["code"], self.code_from_outbox())

    def test_bad_numbers_and_codes_get_chinese_errors(self) -> None:
        r = self.post(self.client, reverse("api:me_sign_in_code"), {"phone": "12345"})
        self.assertError(r, 400, "invalid_mobile", "手机号码")
        self.post(self.client, reverse("api:me_sign_in_code"), {"phone": PHONE})
        r = self.client.post(reverse("api:me_sign_in_token"), {"phone": PHONE, "code": "12"}, format="json")
        self.assertError(r, 400, "bad_code_format", "6 位数字验证码")
        wrong = "000000" if self.code_from_outbox() != "000000" else "111111"
        r = self.client.post(reverse("api:me_sign_in_token"), {"phone": PHONE, "code": wrong}, format="json")
        self.assertError(r, 400, "wrong", "验证码不正确")
        self.assertFalse(ApiToken.objects.exists())

    def test_a_used_code_cannot_sign_in_twice(self) -> None:
        self.post(self.client, reverse("api:me_sign_in_code"), {"phone": PHONE})
        code = self.code_from_outbox()
        body = {"phone": PHONE, "code": code}
        self.assertEqual(
            self.client.post(reverse("api:me_sign_in_token"), body, format="json").status_code, 200
        )
        r = self.client.post(reverse("api:me_sign_in_token"), body, format="json")
        self.assertError(r, 400, "used", "已经使用过")
        self.assertEqual(ApiToken.objects.count(), 1)

    def test_asking_for_codes_too_often_is_a_429(self) -> None:
        self.post(self.client, reverse("api:me_sign_in_code"), {"phone": PHONE})
        r = self.post(self.client, reverse("api:me_sign_in_code"), {"phone": PHONE})
        self.assertError(r, 429, "too_soon")
        self.assertEqual(Message.objects.filter(phone=PHONE).count(), 1)

    def test_a_resent_code_request_sends_one_sms(self) -> None:
        first = self.post(self.client, reverse("api:me_sign_in_code"), {"phone": PHONE}, key="k-1")
        again = self.post(self.client, reverse("api:me_sign_in_code"), {"phone": PHONE}, key="k-1")
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(again.json(), first.json())
        self.assertEqual(Message.objects.filter(phone=PHONE).count(), 1)

    def test_real_name_details_are_checked_and_shown_masked(self) -> None:
        client = self.bearer(self.sign_in()["token"])
        r = client.put(
            reverse("api:me"), {"name": "陈建华", "id_number": "350203199001011234"}, format="json"
        )
        error = self.assertError(r, 400, "invalid")
        self.assertIn("id_number", error["fields"])
        self.assertFalse(Profile.objects.exclude(id_number_hash="").exists())
        r = client.put(reverse("api:me"), {"name": "陈建华", "id_number": ID_NUMBER}, format="json")
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["id_number"], "350203********123X")
        self.assertTrue(r.json()["real_name"])
        self.assertEqual(client.get(reverse("api:me")).json()["name"], "陈建华")
        profile = Profile.objects.get(user__phone=PHONE)
        self.assertEqual(profile.id_number, ID_NUMBER)  # decrypted on read, encrypted at rest (lib.crypto)

    def test_the_token_reaches_me_but_no_staff_endpoint_and_staff_tokens_do_not_reach_me(self) -> None:
        client = self.bearer(self.sign_in()["token"])
        self.assertEqual(client.get(reverse("api:me")).status_code, 200)
        self.assertError(client.get(reverse("api:matters")), 404, "not_found")
        staff = self.as_user(self.sm_clerk)
        self.assertError(staff.get(reverse("api:me")), 404, "not_found")
        r = APIClient().get(reverse("api:me"))
        self.assertError(r, 401, "not_authenticated", "请先登录")

    def test_sign_out_revokes_the_token(self) -> None:
        client = self.bearer(self.sign_in()["token"])
        self.assertEqual(client.post(reverse("api:me_sign_out")).status_code, 204)
        self.assertIsNotNone(ApiToken.objects.get().revoked_at)
        self.assertError(client.get(reverse("api:me")), 401, "not_authenticated", "已被吊销")
