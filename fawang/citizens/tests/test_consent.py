"""Issue 14, item 15: consent under 个人信息保护法. Sign-up shows the 个人信息处理规则 and records the consent with its
version and time (第十三条第一款第（一）项, 第十四条); the ID number needs a separate consent (第二十九条); the person
reads the rules again and withdraws either consent at /me/privacy/ (第十五条), which erases what it covered."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.matters.tests.base import id_number

from ..consent import NOTICE_VERSION, do_give_consent
from ..models import Consent, PhoneCode, Profile
from .base import CitizenTestCase

PHONE = "13712340015"


class SignUpConsentTestCase(CitizenTestCase):
    def test_the_sign_in_page_shows_the_rules_and_asks_for_the_explicit_agreement(self) -> None:
        page = self.client.get(reverse("me:login"))
        self.assertContains(page, f'href="{reverse("me:privacy")}"')
        self.assertContains(page, "《个人信息处理规则》")
        self.assertContains(page, f'name="agree" value="{NOTICE_VERSION}"')
        self.assertContains(page, "同意并获取验证码")

    def test_without_the_agreement_no_code_is_sent(self) -> None:
        r = self.client.post(reverse("me:login"), {"phone": PHONE}, REMOTE_ADDR=self.ip)
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "请阅读《个人信息处理规则》，同意后点击“同意并获取验证码”。", status_code=400)
        self.assertFalse(PhoneCode.objects.filter(phone=PHONE).exists())
        # An outdated version is no agreement to the rules as they stand.
        r = self.client.post(reverse("me:login"), {"phone": PHONE, "agree": "2020-01"}, REMOTE_ADDR=self.ip)
        self.assertEqual(r.status_code, 400)
        self.assertFalse(PhoneCode.objects.filter(phone=PHONE).exists())

    def test_signing_up_records_the_consent_with_its_version_and_time(self) -> None:
        before = timezone.now()
        user = self.sign_in_by_phone(PHONE)
        consent = Consent.objects.get(user=user)
        self.assertEqual(consent.purpose, Consent.Purpose.PERSONAL)
        self.assertEqual(consent.notice_version, NOTICE_VERSION)
        self.assertGreaterEqual(consent.given_at, before)
        self.assertIsNone(consent.withdrawn_at)
        # Signing in again to the same rules is no second consent.
        self.client.logout()
        PhoneCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
        self.sign_in_by_phone(PHONE)
        self.assertEqual(Consent.objects.filter(user=user).count(), 1)


class SensitiveConsentTestCase(CitizenTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.citizen)

    def test_the_id_number_needs_its_own_consent(self) -> None:
        page = self.client.get(reverse("me:profile"))
        self.assertContains(page, "身份证号码是敏感个人信息，登记前须您单独同意（个人信息保护法 第二十九条）")
        number = id_number(seq="654")
        r = self.client.post(reverse("me:profile"), {"name": "王小明", "id_number": number})
        self.assertContains(r, "登记身份证号码须您单独同意处理这一敏感个人信息", status_code=400)
        self.assertFalse(Profile.objects.filter(user=self.citizen).exclude(id_number_hash="").exists())
        self.assertFalse(
            Consent.objects.filter(user=self.citizen, purpose=Consent.Purpose.SENSITIVE).exists()
        )
        r = self.client.post(
            reverse("me:profile"), {"name": "王小明", "id_number": number, "agree_sensitive": "on"}
        )
        self.assertRedirects(r, reverse("me:home"))
        self.assertEqual(Profile.objects.get(user=self.citizen).id_number, number)
        consent = Consent.objects.get(user=self.citizen, purpose=Consent.Purpose.SENSITIVE)
        self.assertEqual(consent.notice_version, NOTICE_VERSION)
        # Given once, it is not asked again.
        self.assertNotContains(self.client.get(reverse("me:profile")), 'name="agree_sensitive"')

    def test_a_wrong_number_is_said_together_with_the_missing_consent(self) -> None:
        wrong = id_number(seq="654")[:-1] + ("0" if id_number(seq="654")[-1] != "0" else "1")
        r = self.client.post(reverse("me:profile"), {"name": "王小明", "id_number": wrong})
        self.assertContains(r, "身份证号码校验位不正确，请核对后重新输入。", status_code=400)
        self.assertContains(r, "登记身份证号码须您单独同意处理这一敏感个人信息", status_code=400)

    def test_a_refused_id_number_records_no_consent(self) -> None:
        r = self.client.post(
            reverse("me:profile"),
            {"name": "王小明", "id_number": "350203198005011230", "agree_sensitive": "on"},
        )
        self.assertEqual(r.status_code, 400)
        self.assertFalse(
            Consent.objects.filter(user=self.citizen, purpose=Consent.Purpose.SENSITIVE).exists()
        )


class PrivacyPageTestCase(CitizenTestCase):
    def test_anyone_can_read_the_rules_with_their_legal_basis(self) -> None:
        page = self.client.get(reverse("me:privacy"))
        self.assertEqual(page.status_code, 200)
        for text in (
            f"版本 {NOTICE_VERSION}",
            "您的同意（第十三条第一款第（一）项）",
            "登记前取得您的单独同意（第二十九条）",
            "撤回同意（第十五条）",
            "拨打 12348 公共法律服务热线",
        ):
            self.assertContains(page, text)
        self.assertNotContains(page, "我的同意记录")

    def consented(self) -> User:
        user = self.make_citizen("13712340016")
        do_give_consent(user.pk, purpose=Consent.Purpose.PERSONAL)
        do_give_consent(user.pk, purpose=Consent.Purpose.SENSITIVE)
        self.client.force_login(user)
        return user

    def test_the_person_sees_their_records_and_withdraws_the_id_number_consent(self) -> None:
        user = self.consented()
        page = self.client.get(reverse("me:privacy"))
        self.assertContains(page, "我的同意记录")
        self.assertContains(page, f"（规则版本 {NOTICE_VERSION}）")
        self.assertContains(page, "敏感个人信息（身份证号码）处理")
        self.assertContains(self.client.get(reverse("me:home")), reverse("me:privacy"))
        r = self.client.post(reverse("me:withdraw_consent"), {"purpose": "sensitive"})
        self.assertRedirects(r, reverse("me:privacy"))
        profile = Profile.objects.get(user=user)
        self.assertEqual((profile.id_number, profile.id_number_hash), ("", ""))
        self.assertIsNotNone(Consent.objects.get(user=user, purpose=Consent.Purpose.SENSITIVE).withdrawn_at)
        self.assertIsNone(Consent.objects.get(user=user, purpose=Consent.Purpose.PERSONAL).withdrawn_at)
        self.assertContains(self.client.get(reverse("me:privacy")), "已于")
        # Real-name services ask again, with the consent box.
        self.assertContains(self.client.get(reverse("me:profile")), 'name="agree_sensitive"')

    def test_withdrawing_everything_erases_the_real_name_and_signs_out(self) -> None:
        user = self.consented()
        r = self.client.post(reverse("me:withdraw_consent"), {"purpose": "personal"})
        self.assertRedirects(r, reverse("portal:home"))
        self.assertNotIn("_auth_user_id", self.client.session)
        user.refresh_from_db()
        self.assertEqual(user.display_name, "")
        self.assertEqual(Profile.objects.get(user=user).id_number, "")
        self.assertFalse(Consent.objects.filter(user=user, withdrawn_at__isnull=True).exists())
        self.assertEqual(Consent.objects.filter(user=user).count(), 2)  # the record stays

    def test_withdrawing_needs_a_signed_in_person(self) -> None:
        r = self.client.post(reverse("me:withdraw_consent"), {"purpose": "personal"})
        self.assertEqual(r.status_code, 302)
        self.assertIn(reverse("me:login"), r["Location"])
