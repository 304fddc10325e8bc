"""Real-name details: the name and an 18-digit ID number checked by birth date and check digit, stored
encrypted, shown masked."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.urls import reverse

from fawang.accounts.models import User
from fawang.matters.tests.base import id_number

from ..models import Profile
from .base import CitizenTestCase


class ProfileTestCase(CitizenTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.citizen)

    def post(self, name: str, number: str) -> Any:
        return self.client.post(
            reverse("me:profile"), {"name": name, "id_number": number, "agree_sensitive": "on"}
        )

    def test_it_saves_the_name_and_the_encrypted_id_number(self) -> None:
        number = id_number(seq="321")
        response = self.post("王小明", number.lower())
        self.assertRedirects(response, reverse("me:home"))
        profile = Profile.objects.get(user=self.citizen)
        self.assertEqual(profile.id_number, number.upper())
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number FROM citizens_profile WHERE id = %s", [profile.pk])
            raw = cursor.fetchone()[0]
        self.assertNotIn(number[6:14], raw)  # encrypted at rest
        page = self.client.get(reverse("me:home"))
        self.assertContains(page, profile.id_number_masked)
        self.assertNotContains(page, number)

    def test_errors_are_in_chinese_and_nothing_is_saved(self) -> None:
        valid = id_number()
        wrong_check = valid[:17] + ("0" if valid[17] != "0" else "1")
        cases = [
            ("王小明", "35020319800501", "身份证号码应为 18 位，最后一位可以是数字或 X。"),
            ("王小明", id_number(born="19801332"), "身份证号码中的出生日期无效。"),
            ("王小明", id_number(born="29990101"), "身份证号码中的出生日期无效。"),
            ("王小明", wrong_check, "身份证号码校验位不正确，请核对后重新输入。"),
            ("", valid, "请填写真实姓名。"),
            ("王小明", "", "请填写身份证号码。"),
        ]
        for name, number, message in cases:
            with self.subTest(message=message, number=number):
                response = self.post(name, number)
                self.assertContains(response, message, status_code=400)
        self.assertFalse(Profile.objects.exists())
        self.assertEqual(User.objects.get(pk=self.citizen.pk).display_name, "王小明")

    def test_a_number_another_account_stated_is_saved_without_telling_so(self) -> None:
        # Refusing it told anyone which ID numbers have an account (issue 13); what counts is the proven link
        # of the person record to an account (test_id_claim).
        other = self.make_citizen("13611112222", seq="777")
        response = self.post("王小明", Profile.objects.get(user=other).id_number)
        self.assertRedirects(response, reverse("me:home"))
        self.assertEqual(Profile.objects.filter(id_number_hash=other.profile.id_number_hash).count(), 2)

    def test_html_in_the_name_is_escaped(self) -> None:
        self.post("<b>王</b>", id_number(seq="322"))
        page = self.client.get(reverse("me:home"))
        self.assertContains(page, "&lt;b&gt;王&lt;/b&gt;")
        self.assertNotContains(page, "<b>王</b>")

    def test_it_needs_a_public_sign_in(self) -> None:
        self.client.logout()
        self.assertRedirects(
            self.client.get(reverse("me:profile")), reverse("me:login") + "?next=%2Fme%2Fprofile%2F"
        )
