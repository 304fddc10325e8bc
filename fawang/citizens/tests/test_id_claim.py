"""Issue 13, deliver 5: an ID number that belongs to a registered person becomes an account's only on proof (a
code sent to the mobile number on that person, or staff checking the identity document), and nothing the site
answers tells whether an ID number is registered or has an account."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.matters import actions as matter_actions
from fawang.matters.models import Matter, Person
from fawang.matters.tests.base import id_number
from fawang.notify.models import Message

from .. import actions
from ..models import IdClaimCode, Profile
from .base import CitizenTestCase

REGISTERED_PHONE = "13900001111"
SENT = "如该身份证号码在本平台登记过手机号码，验证码已发送至该号码"


class IdClaimTestCase(CitizenTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.number = id_number(seq="611")
        # A person staff registered at a window, with a matter of their own.
        self.walk_in = self.submit(
            person=self.person(name="陈美玲", phone=REGISTERED_PHONE, id_number=self.number)
        )
        self.registered = self.walk_in.person
        self.claimant = User.objects.create_user(
            "public-13700007777", kind=User.Kind.PUBLIC, phone="13700007777"
        )
        self.client.force_login(self.claimant)

    def save_profile(self, number: str) -> Any:
        return self.client.post(
            reverse("me:profile"),
            {"name": "陈美玲", "id_number": number, "agree_sensitive": "on"},
            follow=True,
        )

    def claim_code(self) -> str:
        body = Message.objects.filter(kind="otp.claim").latest("pk").body
        found = re.search(r"验证码 (\d{6})", body)
        assert found, body
        return found.group(1)

    # --- the answers are the same either way ---------------------------------------------------------------

    def test_the_profile_form_answers_the_same_for_registered_unregistered_and_taken_numbers(self) -> None:
        taken = id_number(seq="612")
        other = User.objects.create_user("public-13600006666", kind=User.Kind.PUBLIC, phone="13600006666")
        actions.do_update_profile(other.pk, name="李四", id_number=taken)
        answers = []
        for number in (self.number, taken, id_number(seq="613")):
            response = self.save_profile(number)
            answers.append(
                (
                    response.status_code,
                    response.redirect_chain,
                    [str(m) for m in response.context["messages"]],
                )
            )
            self.assertNotContains(response, "已被其他账号")
            self.assertNotContains(response, "已登记")
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(answers[1], answers[2])
        self.assertEqual(answers[0][2], ["实名信息已保存。"])
        # Stating the numbers linked nothing.
        self.assertIsNone(Person.objects.get(pk=self.registered.pk).user_id)
        self.assertEqual(list(Matter.objects.of_public_user(self.claimant)), [])

    def test_the_api_answers_the_same_for_registered_and_unregistered_numbers(self) -> None:
        answers = []
        for number in (self.number, id_number(seq="614")):
            response = self.client.put(
                reverse("api:me"), {"name": "陈美玲", "id_number": number}, content_type="application/json"
            )
            self.assertEqual(response.status_code, 200)
            data = response.json()
            answers.append({k: v for k, v in data.items() if k != "id_number"})
        self.assertEqual(answers[0], answers[1])
        self.assertFalse(answers[0]["claimed"])

    def test_asking_for_a_code_answers_the_same_whether_or_not_the_number_is_registered(self) -> None:
        pages = []
        for number in (self.number, id_number(seq="615")):
            self.save_profile(number)
            response = self.client.post(reverse("me:claim"), {"send": "1"}, follow=True)
            self.assertEqual(response.status_code, 200)
            pages.append([str(m) for m in response.context["messages"]])
            self.assertNotContains(response, REGISTERED_PHONE)
            self.assertNotContains(response, REGISTERED_PHONE[-4:])
            self.client.session.flush()
            self.client.force_login(self.claimant)
            IdClaimCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
        self.assertEqual(pages[0], pages[1])
        self.assertIn(SENT, pages[0][0])
        # Only the registered person's phone got a code, and only once.
        self.assertEqual(
            list(Message.objects.filter(kind="otp.claim").values_list("phone", flat=True)), [REGISTERED_PHONE]
        )
        api = self.client.post(reverse("api:me_claim_code"))
        self.assertEqual(api.status_code, 200)
        self.assertIn(SENT, api.json()["message"])

    def test_a_wrong_code_answers_the_same_whether_or_not_a_code_was_sent(self) -> None:
        answers = []
        for number in (self.number, id_number(seq="616")):
            self.save_profile(number)
            IdClaimCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
            self.client.post(reverse("me:claim"), {"send": "1"})
            response = self.client.post(reverse("me:claim"), {"code": "000000"})
            answers.append((response.status_code, response.context["form"].errors["code"]))
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(answers[0], (400, ["验证码不正确，还可以再试 4 次。"]))

    # --- proof by a code to the registered phone ---------------------------------------------------------

    def test_the_code_sent_to_the_registered_phone_links_the_record(self) -> None:
        self.save_profile(self.number)
        self.client.post(reverse("me:claim"), {"send": "1"})
        message = Message.objects.get(kind="otp.claim")
        self.assertEqual(message.phone, REGISTERED_PHONE)
        self.assertIn(self.number[-4:], message.body)
        response = self.client.post(reverse("me:claim"), {"code": self.claim_code()}, follow=True)
        self.assertRedirects(response, reverse("me:matters"))
        self.assertContains(response, "关联成功")
        self.assertEqual(Person.objects.get(pk=self.registered.pk).user, self.claimant)
        self.assertIn(self.walk_in, Matter.objects.of_public_user(self.claimant))
        self.assertTrue(
            AuditEvent.objects.filter(action="matters.match_person", actor=self.claimant).exists()
        )
        self.assertTrue(self.client.get(reverse("api:me")).json()["claimed"])
        self.assertContains(self.client.get(reverse("me:profile")), "已与本平台的服务档案关联")

    def test_the_api_links_the_record_with_the_code(self) -> None:
        self.save_profile(self.number)
        self.assertEqual(self.client.post(reverse("api:me_claim_code")).status_code, 200)
        bad = self.client.post(
            reverse("api:me_claim_verify"), {"code": "12"}, content_type="application/json"
        )
        self.assertEqual(bad.status_code, 400)
        ok = self.client.post(
            reverse("api:me_claim_verify"), {"code": self.claim_code()}, content_type="application/json"
        )
        self.assertEqual(ok.status_code, 200)
        self.assertTrue(ok.json()["claimed"])
        self.assertEqual(Person.objects.get(pk=self.registered.pk).user, self.claimant)

    def test_a_code_for_an_earlier_number_does_not_link_after_the_number_changed(self) -> None:
        self.save_profile(self.number)
        self.client.post(reverse("me:claim"), {"send": "1"})
        code = self.claim_code()
        self.save_profile(id_number(seq="617"))
        response = self.client.post(reverse("me:claim"), {"code": code})
        self.assertEqual(response.status_code, 400)
        self.assertIsNone(Person.objects.get(pk=self.registered.pk).user_id)

    def test_a_record_linked_to_another_account_is_never_taken_over_by_code(self) -> None:
        owner = User.objects.create_user("public-13900001111", kind=User.Kind.PUBLIC, phone=REGISTERED_PHONE)
        matter_actions.do_link_account(self.registered.pk, actor=self.sm_clerk, user=owner, unit=self.station)
        self.save_profile(self.number)
        response = self.client.post(reverse("me:claim"), {"send": "1"}, follow=True)
        self.assertIn(SENT, next(str(m) for m in response.context["messages"]))
        self.assertFalse(Message.objects.filter(kind="otp.claim").exists())
        self.assertEqual(Person.objects.get(pk=self.registered.pk).user, owner)

    def test_the_codes_are_limited_and_masked_in_the_outbox(self) -> None:
        self.save_profile(self.number)
        self.client.post(reverse("me:claim"), {"send": "1"})
        again = self.client.post(reverse("me:claim"), {"send": "1"})
        self.assertEqual(again.status_code, 429)
        self.assertEqual(Message.objects.filter(kind="otp.claim").count(), 1)
        from fawang.notify.kinds import is_sensitive

        self.assertTrue(is_sensitive("otp.claim"))

    # --- proof by staff --------------------------------------------------------------------------------------

    def test_staff_confirmation_links_the_record(self) -> None:
        self.save_profile(self.number)
        self.assertIsNone(actions.claimed_person(self.claimant))
        matter_actions.do_link_account(
            self.registered.pk, actor=self.sm_clerk, user=self.claimant, unit=self.station
        )
        self.assertEqual(actions.claimed_person(self.claimant), self.registered)
        # The account's own requests now go on the record (一人一档).
        self.assertEqual(actions.own_person(self.claimant), self.registered)
        response = self.client.get(reverse("me:claim"))
        self.assertRedirects(response, reverse("me:home"))

    def test_the_claim_page_needs_real_name_details(self) -> None:
        self.assertFalse(Profile.objects.filter(user=self.claimant).exists())
        response = self.client.get(reverse("me:claim"))
        self.assertRedirects(response, reverse("me:profile") + "?next=%2Fme%2Fprofile%2Fclaim%2F")
