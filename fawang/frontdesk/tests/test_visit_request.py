"""上门服务申请 from the portal: a signed-in person (or their relative) asks for a home visit; it becomes a matter in
我的事项 routed by the place, waiting (待安排) until staff schedule it; then the visit is recorded on the matter.
Bad input is said in Chinese and keeps what was typed; a resend does not make a second request."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fawang.matters.models import Matter

from ..actions import visits
from ..models import HomeVisit
from .base import FrontdeskTestCase

FORM = {
    "group": "disabled",
    "asked_by": "relative",
    "visitee_name": "林阿婆",
    "region": "350203001",
    "address": "厦港街道沙坡尾 12 号 3 楼",
    "description": "母亲行动不便，想咨询房屋赠与给子女要办什么手续。",
    "key": "hv1",
}


class VisitRequestTestCase(FrontdeskTestCase):
    def test_from_the_portal_to_the_visit_record(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("homevisit:new")), "上门服务申请")
        response = self.client.post(reverse("homevisit:new"), FORM)
        visit = HomeVisit.objects.select_related("matter").get()
        matter = visit.matter
        self.assertRedirects(response, reverse("me:matter", args=[matter.pk]), fetch_redirect_response=False)
        self.assertEqual(
            (visit.status, visit.group, visit.asked_by, visit.visitee_name),
            ("requested", "disabled", "relative", "林阿婆"),
        )
        self.assertEqual((matter.channel, matter.status), ("web", Matter.Status.SUBMITTED))
        self.assertIn("上门服务申请", matter.description)
        # The same form sent again returns the first request.
        self.client.post(reverse("homevisit:new"), FORM)
        self.assertEqual(HomeVisit.objects.count(), 1)
        mine = self.client.get(reverse("me:matter", args=[matter.pk]))
        self.assertContains(mine, "房屋赠与")
        # Staff of the unit it was routed to see the request and schedule it, then record the visit.
        self.client.force_login(self.sm_clerk)
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "待安排")
        self.assertContains(page, "安排上门")
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        visitor = visits.visitors_for(matter)[0]
        from fawang.accounts.models import User

        visits.do_schedule_visit(
            matter.pk,
            actor=User.objects.get(pk=visitor),
            group=visit.group,
            asked_by=visit.asked_by,
            address=visit.address,
            scheduled_on=tomorrow,
            visitor=User.objects.get(pk=visitor),
        )
        visits.do_record_visit(
            matter.pk, actor=User.objects.get(pk=visitor), record="上门讲解赠与合同和过户手续。"
        )
        visit.refresh_from_db()
        self.assertEqual((visit.status, visit.scheduled_on), ("visited", tomorrow))
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "上门讲解赠与合同和过户手续。")

    def test_bad_input_is_said_and_kept(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(reverse("homevisit:new"), {**FORM, "visitee_name": ""})
        self.assertContains(response, "亲属代为申请的，请填写需要上门服务的人的姓名。", status_code=400)
        self.assertContains(response, "房屋赠与给子女", status_code=400)
        response = self.client.post(reverse("homevisit:new"), {**FORM, "address": ""})
        self.assertContains(response, "请填写上门地址。", status_code=400)
        self.assertFalse(HomeVisit.objects.exists())

    def test_for_the_public_only_and_signed_in(self) -> None:
        response = self.client.get(reverse("homevisit:new"))
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.sm_clerk)
        self.assertNotEqual(self.client.get(reverse("homevisit:new")).status_code, 200)
