"""值班: the week view, adding shifts, and 转值班律师 by topic and dialect with the fallback rule."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.orgs.models import Membership, Speciality

from .. import actions, duty
from ..models import Call, DutyReferral, DutyShift
from .base import HotlineTestCase

TZ = timezone.get_default_timezone()
MONDAY_10 = dt.datetime(2025, 3, 3, 10, 0, tzinfo=TZ)


class DutyTestCase(HotlineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.admin = User.objects.create_user(
            "xm_centre_admin", kind=User.Kind.STAFF, display_name="centre admin"
        )
        Membership.objects.create(user=self.admin, unit=self.xm_centre, role=Membership.Role.UNIT_ADMIN)
        self.lawyers = []
        for name in ("郑律师", "王律师", "蔡律师"):
            lawyer = User.objects.create_user(f"duty-{name}", kind=User.Kind.STAFF, display_name=name)
            Membership.objects.create(user=lawyer, unit=self.xm_centre, role=Membership.Role.HANDLER)
            self.lawyers.append(lawyer)
        specialities = list(Speciality.objects.order_by("order", "code")[:2])
        self.labour, self.family = specialities
        self.zheng, self.wang, self.cai = self.lawyers
        day = MONDAY_10.date()
        self.s_zheng = actions.do_add_shift(
            actor=self.admin,
            unit=self.xm_centre,
            person=self.zheng,
            day=day,
            slot="morning",
            topics=[self.labour],
        )
        self.s_wang = actions.do_add_shift(
            actor=self.admin,
            unit=self.xm_centre,
            person=self.wang,
            day=day,
            slot="morning",
            topics=[self.labour],
            dialects=["minnan"],
        )
        self.s_cai = actions.do_add_shift(
            actor=self.admin,
            unit=self.xm_centre,
            person=self.cai,
            day=day,
            slot="morning",
            topics=[self.family],
        )
        self.ring("d1")
        self.answer("d1", seconds=3)
        self.call_obj = self.call("d1")

    def refer(self, topic: Speciality | None, dialect: str = "") -> DutyReferral:
        return actions.do_refer_to_duty(
            self.call_obj.pk, actor=self.xm_agent, topic=topic, dialect=dialect, now=MONDAY_10
        )

    def test_the_rule_topic_and_dialect_then_topic_then_anyone(self) -> None:
        self.assertEqual(self.refer(self.labour, "minnan").shift, self.s_wang)
        # Topic only: the one with the fewest referrals in the shift (郑 has none, 王 has one).
        first = self.refer(self.labour)
        self.assertEqual((first.shift, first.rule), (self.s_zheng, "领域匹配"))
        # A dialect nobody with the topic speaks: the topic still decides.
        self.assertEqual(self.refer(self.family, "puxian").shift, self.s_cai)
        other = Speciality.objects.exclude(pk__in=[self.labour.pk, self.family.pk]).first()
        fallback = self.refer(other)
        self.assertEqual(fallback.rule, "无匹配领域，转任一值班人员")
        self.assertEqual(Call.objects.get(pk=self.call_obj.pk).wrap_code, "referred")
        self.assertEqual(AuditEvent.objects.filter(action="hotline.refer").count(), 4)

    def test_nobody_on_duty(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaisesMessage(ValidationError, "当前时段没有值班人员"):
            actions.do_refer_to_duty(
                self.call_obj.pk, actor=self.xm_agent, topic=None, now=MONDAY_10.replace(hour=13)
            )
        self.assertIsNone(duty.slot_at(MONDAY_10.replace(hour=13)))
        self.assertEqual(duty.slot_at(MONDAY_10), "morning")

    def test_the_week_view_and_adding_a_shift(self) -> None:
        self.client.force_login(self.admin)
        page = self.client.get(reverse("hotline:roster"), {"week": "2025-03-05"})
        self.assertContains(page, "王律师")
        self.assertContains(page, "闽南话")
        self.assertContains(page, "3月3日")
        response = self.client.post(
            reverse("hotline:shift_add"),
            {"person": self.cai.pk, "day": "2025-03-04", "slot": "evening", "dialects": ["puxian"]},
        )
        self.assertRedirects(response, reverse("hotline:roster") + "?week=2025-03-04")
        shift = DutyShift.objects.get(person=self.cai, day="2025-03-04")
        self.assertEqual((shift.slot, shift.dialects), ("evening", ["puxian"]))
        again = self.client.post(
            reverse("hotline:shift_add"), {"person": self.cai.pk, "day": "2025-03-04", "slot": "evening"}
        )
        self.assertContains(again, "该人员在这一时段已有值班", status_code=400)
        outsider = self.sm_handler
        bad = self.client.post(
            reverse("hotline:shift_add"), {"person": outsider.pk, "day": "2025-03-04", "slot": "morning"}
        )
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(DutyShift.objects.filter(person=outsider).exists())
        # An agent sees the week but may not change it.
        self.client.force_login(self.xm_agent)
        self.assertContains(self.client.get(reverse("hotline:roster"), {"week": "2025-03-03"}), "王律师")
        self.assertEqual(
            self.client.post(
                reverse("hotline:shift_add"), {"person": self.cai.pk, "day": "2025-03-05", "slot": "evening"}
            ).status_code,
            403,
        )

    def test_referring_from_the_call_page_and_the_duty_log(self) -> None:
        self.client.force_login(self.xm_agent)
        now = timezone.localtime()
        slot = duty.slot_at(now)
        if slot is None:  # outside the duty hours the page says so
            response = self.client.post(reverse("hotline:refer", args=[self.call_obj.pk]), {}, follow=True)
            self.assertContains(response, "当前时段没有值班人员")
            return
        actions.do_add_shift(
            actor=self.admin, unit=self.xm_centre, person=self.zheng, day=now.date(), slot=slot
        )
        response = self.client.post(
            reverse("hotline:refer", args=[self.call_obj.pk]), {"note": "需要律师进一步解答"}, follow=True
        )
        self.assertContains(response, "已转值班人员 郑律师")
        log = self.client.get(reverse("hotline:duty_log"))
        self.assertContains(log, "郑律师")
        self.assertContains(log, "需要律师进一步解答")
