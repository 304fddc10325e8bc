"""转值班律师 of a matter (the seam's action: the matter page and the API), and from the desk's screen pop; the
on-duty person's queue (值班待办) and what they record there."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fawang.accounts.models import User
from fawang.apikit.models import ApiToken
from fawang.matters.models import Matter, MatterEvent
from fawang.orgs.models import Membership, Speciality

from .. import actions
from ..models import DutyReferral, DutyShift
from .base import HotlineTestCase

TZ = timezone.get_default_timezone()
MONDAY_10 = dt.datetime(2025, 3, 3, 10, 0, tzinfo=TZ)
MONDAY_13 = dt.datetime(2025, 3, 3, 13, 0, tzinfo=TZ)  # between the morning and the afternoon slot


class ReferMatterTestCase(HotlineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.labour, self.family = list(Speciality.objects.order_by("order", "code")[:2])
        self.zheng = self.lawyer("郑律师")
        self.cai = self.lawyer("蔡律师")
        self.s_zheng = DutyShift.objects.create(
            unit=self.xm_centre, person=self.zheng, day=MONDAY_10.date(), slot="morning"
        )
        self.s_zheng.topics.set([self.labour])
        self.s_cai = DutyShift.objects.create(
            unit=self.xm_centre, person=self.cai, day=MONDAY_10.date(), slot="morning"
        )
        self.s_cai.topics.set([self.family])
        self.matter = self.submit(
            self.consultation,
            actor=self.xm_agent,
            channel="hotline",
            intake_unit=self.xm_centre,
            description="公司拖欠工资，想咨询。",
            topic=self.labour,
        )

    def lawyer(self, name: str) -> User:
        user = User.objects.create_user(f"duty-{name}", kind=User.Kind.STAFF, display_name=name)
        Membership.objects.create(user=user, unit=self.xm_centre, role=Membership.Role.HANDLER)
        return user

    def notes(self, matter: Matter) -> list[str]:
        return list(
            MatterEvent.objects.filter(matter=matter, action="comment")
            .order_by("pk")
            .values_list("note", flat=True)
        )

    def test_a_matter_goes_to_the_lawyer_on_duty_for_its_topic(self) -> None:
        referral = actions.do_refer_matter_to_duty(
            self.matter.pk, actor=self.xm_agent, note="急", now=MONDAY_10
        )
        self.assertEqual(
            (referral.shift, referral.unit, referral.matter, referral.topic, referral.status),
            (self.s_zheng, self.xm_centre, self.matter, self.labour, "open"),
        )
        self.assertEqual(self.notes(self.matter), ["转值班律师：郑律师（领域匹配）\n急"])
        event = MatterEvent.objects.get(matter=self.matter, action="comment")
        self.assertEqual((event.actor, event.visible_to_person), (self.xm_agent, False))
        # Another topic, given by the agent, goes to the one who takes it.
        DutyReferral.objects.all().delete()
        other = actions.do_refer_matter_to_duty(
            self.matter.pk, actor=self.xm_agent, topic=self.family, now=MONDAY_10
        )
        self.assertEqual(other.shift, self.s_cai)

    def test_with_nobody_on_duty_it_waits_for_the_next_one(self) -> None:
        referral = actions.do_refer_matter_to_duty(self.matter.pk, actor=self.xm_agent, now=MONDAY_13)
        self.assertIsNone(referral.shift)
        self.assertEqual(
            self.notes(self.matter),
            ["转值班律师：厦门市公共法律服务中心当前无人值班，已排入值班待办，由下一位值班人员接手。"],
        )
        # Nobody's queue at 13:00; at 10:00 everyone on duty at the centre sees it, and the first to record
        # what they did takes it.
        self.assertFalse(DutyReferral.objects.for_duty(self.cai, MONDAY_13).exists())
        self.assertEqual(list(DutyReferral.objects.for_duty(self.cai, MONDAY_10)), [referral])
        self.assertEqual(list(DutyReferral.objects.for_duty(self.zheng, MONDAY_10)), [referral])
        with self.assertRaises(PermissionDenied):
            actions.do_close_referral(referral.pk, actor=self.cai, note="已回电", now=MONDAY_13)
        done = actions.do_close_referral(referral.pk, actor=self.cai, note="已回电解答", now=MONDAY_10)
        self.assertEqual((done.shift, done.status, done.handled_note), (self.s_cai, "done", "已回电解答"))
        self.assertEqual(self.notes(self.matter)[-1], "值班律师蔡律师处理情况：已回电解答")
        with self.assertRaises(ValidationError):
            actions.do_close_referral(referral.pk, actor=self.cai, note="再次", now=MONDAY_10)

    def test_refused_twice_and_without_the_front_desk_role(self) -> None:
        actions.do_refer_matter_to_duty(self.matter.pk, actor=self.xm_agent, now=MONDAY_10)
        with self.assertRaises(ValidationError) as ctx:
            actions.do_refer_matter_to_duty(self.matter.pk, actor=self.xm_agent, now=MONDAY_10)
        self.assertEqual(ctx.exception.messages, ["该事项已转值班律师，尚待处理。"])
        huli_agent = User.objects.get(username="hl_agent")
        with self.assertRaises(PermissionDenied):
            actions.do_refer_matter_to_duty(self.matter.pk, actor=huli_agent, now=MONDAY_10)
        with self.assertRaises(PermissionDenied):
            actions.do_close_referral(DutyReferral.objects.get().pk, actor=self.cai, note="不是我的")

    def test_from_the_matter_page_and_the_api(self) -> None:
        page = Client()
        page.force_login(self.xm_agent)
        detail = page.get(reverse("matters:detail", args=[self.matter.pk]))
        self.assertContains(detail, 'id="action-refer_to_duty"')
        response = page.post(
            reverse("matters:act", args=[self.matter.pk]),
            {"action": "refer_to_duty", "refer_to_duty-note": "<b>请尽快</b>"},
        )
        self.assertEqual(response.status_code, 302)
        referral = DutyReferral.objects.get(matter=self.matter)
        self.assertEqual(referral.note, "<b>请尽快</b>")
        detail = page.get(reverse("matters:detail", args=[self.matter.pk]))
        self.assertContains(detail, "转值班律师")
        self.assertNotContains(detail, "<b>请尽快</b>")  # escaped on the timeline
        # The API's endpoint from the same definition: a window's matter goes to its own centre's roster.
        window = self.submit(
            self.consultation, actor=self.xm_agent, intake_unit=self.xm_centre, description="婚姻咨询"
        )
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(self.xm_agent, 'test')[1]}")
        answer = api.post(
            f"/api/v1/matters/{window.pk}/actions/refer-to-duty/",
            {"topic": self.family.pk, "note": "API"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="refer-1",
        )
        self.assertEqual(answer.status_code, 200, answer.content)
        made = DutyReferral.objects.get(matter=window)
        self.assertEqual((made.topic, made.note, made.unit), (self.family, "API", self.xm_centre))
        bad = api.post(
            f"/api/v1/matters/{window.pk}/actions/refer-to-duty/",
            {"dialect": "klingon"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="refer-2",
        )
        self.assertEqual(bad.status_code, 400)

    def test_the_queue_page_and_recording_what_was_done(self) -> None:
        referral = actions.do_refer_matter_to_duty(
            self.matter.pk, actor=self.xm_agent, note="欠薪", now=MONDAY_10
        )
        lawyer = Client()
        lawyer.force_login(self.zheng)
        page = lawyer.get(reverse("hotline:duty_queue"))
        self.assertContains(page, self.matter.tracking_no)
        self.assertContains(page, "欠薪")
        # Someone else's referral is not theirs to record: the same 404 as a missing one.
        other = Client()
        other.force_login(self.cai)
        self.assertNotContains(other.get(reverse("hotline:duty_queue")), self.matter.tracking_no)
        url = reverse("hotline:referral_done", args=[referral.pk])
        self.assertEqual(other.post(url, {"note": "x"}).status_code, 404)
        # An empty note is refused with a message; nothing changes.
        response = lawyer.post(url, {"note": " "}, follow=True)
        self.assertContains(response, "请填写处理情况。")
        self.assertEqual(DutyReferral.objects.get().status, "open")
        response = lawyer.post(url, {"note": "已电话解答，建议劳动仲裁。"}, follow=True)
        self.assertContains(response, "已登记处理情况。")
        self.assertEqual(DutyReferral.objects.get().handled_note, "已电话解答，建议劳动仲裁。")
        self.assertIn("值班律师郑律师处理情况：已电话解答，建议劳动仲裁。", self.notes(self.matter))
        log = Client()
        log.force_login(self.xm_agent)
        self.assertContains(log.get(reverse("hotline:duty_log")), "已电话解答，建议劳动仲裁。")

    def test_from_the_screen_pop_the_call_and_its_matter(self) -> None:
        self.ring("rm1")
        self.answer("rm1", seconds=3)
        call = self.call("rm1")
        call.matters.add(self.matter)
        desk = Client()
        desk.force_login(self.xm_agent)
        desk.post(reverse("hotline:sign_in"), {"extension": "8001", "queue": ""})
        self.assertContains(desk.get(reverse("hotline:pop")), reverse("hotline:refer", args=[call.pk]))
        # Today nobody is on the roster (the shifts are on 2025-03-03): a live call cannot wait, so it is refused
        # with the reason, back on the desk.
        response = desk.post(
            reverse("hotline:refer", args=[call.pk]), {"note": "来电转", "next": "desk"}, follow=True
        )
        self.assertRedirects(response, reverse("hotline:desk"))
        self.assertContains(response, "当前时段没有值班人员，请登记事项或转入回拨。")
        self.assertFalse(DutyReferral.objects.exists())
        referral = actions.do_refer_to_duty(call.pk, actor=self.xm_agent, topic=None, now=MONDAY_10)
        self.assertEqual((referral.call, referral.matter, referral.unit), (call, self.matter, self.xm_centre))
        self.assertIn("来电转值班：", self.notes(self.matter)[-1])
