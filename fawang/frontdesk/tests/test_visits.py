"""上门服务: a home visit goes from request (a matter taken in for someone who cannot come) to a scheduled visit
with a date and a visitor, to the visit record with a photo attached, all on the matter."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fawang.matters.models import Attachment, MatterEvent
from fawang.matters.tests.base import MatterTestCase

from ..actions import visits
from ..models import HomeVisit

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


class HomeVisitTestCase(MatterTestCase):
    def test_from_request_to_record_through_the_matter_page(self) -> None:
        matter = self.submit(
            self.consultation, channel="visit", description="八旬老人卧床，想咨询遗嘱怎么立。"
        )
        self.client.force_login(self.sm_clerk)
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "安排上门")
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        response = self.client.post(
            reverse("matters:act", args=[matter.pk]),
            {
                "action": "schedule_visit",
                "schedule_visit-group": "elderly",
                "schedule_visit-asked_by": "relative",
                "schedule_visit-address": "厦港街道沙坡尾 8 号",
                "schedule_visit-scheduled_on": tomorrow.isoformat(),
                "schedule_visit-visitor": self.sm_clerk.pk,
            },
        )
        self.assertEqual(response.status_code, 302)
        visit = HomeVisit.objects.get(matter=matter)
        self.assertEqual(
            (visit.status, visit.scheduled_on, visit.visitor, visit.asked_by),
            ("scheduled", tomorrow, self.sm_clerk, "relative"),
        )
        self.client.post(
            reverse("matters:attachment_upload", args=[matter.pk]),
            {"file": SimpleUploadedFile("签名.png", PNG, content_type="image/png")},
        )
        self.assertEqual(Attachment.objects.filter(matter=matter).count(), 1)
        self.client.post(
            reverse("matters:act", args=[matter.pk]),
            {
                "action": "record_visit",
                "record_visit-record": "上门讲解遗嘱形式，当场代书。",
                "record_visit-follow_up": "一周后回访。",
            },
        )
        visit.refresh_from_db()
        self.assertEqual((visit.status, visit.follow_up), ("visited", "一周后回访。"))
        notes = list(
            MatterEvent.objects.filter(matter=matter, action="comment").values_list("note", flat=True)
        )
        self.assertEqual(len(notes), 2)
        self.assertTrue(notes[1].startswith("上门服务记录：上门讲解遗嘱形式"))
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "一周后回访。")
        self.assertContains(page, "厦港街道沙坡尾 8 号")

    def test_a_past_date_or_an_outside_visitor_is_refused(self) -> None:
        matter = self.submit(self.consultation, channel="visit")
        with self.assertRaises(ValidationError) as caught:
            visits.do_schedule_visit(
                matter.pk,
                actor=self.sm_clerk,
                group="ill",
                asked_by="village",
                address="",
                scheduled_on=timezone.localdate() - dt.timedelta(days=1),
                visitor=self.hl_clerk,
            )
        self.assertEqual(
            caught.exception.message_dict,
            {
                "scheduled_on": ["上门日期不能早于今天。"],
                "visitor": ["请选择本事项办理机构或受理点的工作人员。"],
                "address": ["请填写上门地址。"],
            },
        )
        self.assertFalse(HomeVisit.objects.exists())
