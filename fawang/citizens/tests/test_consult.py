"""Online consultation: asked at /me/consult/new/, routed like any matter, answered by staff in the workbench,
seen by the citizen in the thread, followed up and rated."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fawang.matters import actions as matter_actions
from fawang.matters.models import Matter, MatterEvent
from fawang.notify.models import Message
from fawang.orgs.models import Speciality

from .base import CitizenTestCase

QUESTION = "公司拖欠我三个月工资，应该怎么办？<script>alert(1)</script>"


class ConsultTestCase(CitizenTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.make_citizen("13711113333")
        self.client.force_login(self.user)

    def ask(self, key: str = "k1", **extra: str) -> Any:
        data = {"question": QUESTION, "region": "350203001", "key": key, **extra}
        return self.client.post(reverse("me:ask"), data)

    def test_it_submits_a_consultation_routed_to_the_district_centre(self) -> None:
        topic = Speciality.objects.order_by("order").first()
        assert topic is not None
        response = self.ask(topic=str(topic.pk))
        matter = Matter.objects.get(submitted_by=self.user)
        self.assertRedirects(response, reverse("me:matter", args=[matter.pk]))
        self.assertEqual(matter.service_item.code, "consultation")
        self.assertEqual(matter.channel, "web")
        self.assertEqual(matter.status, Matter.Status.SUBMITTED)
        self.assertEqual(matter.unit, self.sm_centre)
        self.assertEqual(matter.region_id, "350203001")
        self.assertEqual(matter.topic, topic)
        self.assertEqual(matter.person.user, self.user)
        self.assertEqual(matter.person.name, "林晓燕")
        self.assertEqual(matter.person.phone, "13711113333")
        self.assertEqual(matter.idempotency_key, f"me:{self.user.pk}:consult:k1")
        page = self.client.get(reverse("me:matter", args=[matter.pk]))
        self.assertContains(page, "思明区公共法律服务中心")
        self.assertContains(page, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(page, "<script>alert(1)</script>")
        # It is in the unit's queue in the staff workbench.
        self.client.force_login(self.sm_clerk)
        self.assertContains(self.client.get(reverse("matters:unit_queue")), matter.tracking_no[:8])

    def test_a_resent_form_makes_no_second_matter(self) -> None:
        first = self.ask(key="same")
        again = self.ask(key="same")
        matter = Matter.objects.get(submitted_by=self.user)
        self.assertEqual(first["Location"], again["Location"])
        self.assertEqual(Matter.objects.filter(submitted_by=self.user).count(), 1)
        self.ask(key="other")
        self.assertEqual(Matter.objects.filter(submitted_by=self.user).count(), 2)
        # Another account sending the same key gets its own matter, never this one.
        other = self.make_citizen("13711114444", name="郑敏", seq="888")
        self.client.force_login(other)
        self.ask(key="same")
        self.assertEqual(Matter.objects.filter(submitted_by=other).exclude(pk=matter.pk).count(), 1)

    def test_missing_fields_get_chinese_errors(self) -> None:
        response = self.client.post(reverse("me:ask"), {"question": " ", "region": "", "key": "x"})
        self.assertContains(response, "请填写您要咨询的问题。", status_code=400)
        self.assertContains(response, "请选择所在地区。", status_code=400)
        response = self.client.post(reverse("me:ask"), {"question": "问题", "region": "35", "key": "x"})
        self.assertContains(response, "请选择到县（市、区）一级。", status_code=400)
        self.assertFalse(Matter.objects.filter(submitted_by=self.user).exists())

    def test_the_region_picker_works_without_javascript(self) -> None:
        data = {"question": QUESTION, "region_1": "35", "region_2": "3502", "region__next": "1", "key": "n"}
        response = self.client.post(reverse("me:ask"), data)
        self.assertContains(response, "县（市、区）")  # the next level is offered, the question kept
        self.assertContains(response, "公司拖欠我三个月工资")
        self.assertNotContains(response, "请选择所在地区。")
        self.assertFalse(Matter.objects.filter(submitted_by=self.user).exists())

    def test_it_asks_for_real_name_first(self) -> None:
        self.client.force_login(self.citizen)  # no ID number on file
        response = self.client.get(reverse("me:ask"))
        self.assertRedirects(
            response, reverse("me:profile") + "?next=%2Fme%2Fconsult%2Fnew%2F", fetch_redirect_response=False
        )

    def test_staff_answer_follow_up_and_rating(self) -> None:
        self.ask()
        matter = Matter.objects.get(submitted_by=self.user)
        # The window clerk of the centre answers, visible to the person.
        matter_actions.do_comment(
            matter.pk, actor=self.sm_clerk, text="可向劳动保障监察大队投诉，或申请劳动仲裁。", visible=True
        )
        matter_actions.do_comment(matter.pk, actor=self.sm_clerk, text="内部备注：已电话联系", visible=False)
        page = self.client.get(reverse("me:matter", args=[matter.pk]))
        self.assertContains(page, "可向劳动保障监察大队投诉，或申请劳动仲裁。")
        self.assertNotContains(page, "内部备注")

        response = self.client.post(reverse("me:follow_up", args=[matter.pk]), {"text": "仲裁需要哪些材料？"})
        self.assertRedirects(response, reverse("me:matter", args=[matter.pk]))
        event = MatterEvent.objects.filter(matter=matter, action=MatterEvent.Action.COMMENT).latest("pk")
        self.assertEqual(
            (event.actor, event.note, event.visible_to_person), (self.user, "仲裁需要哪些材料？", True)
        )
        self.assertTrue(Message.objects.filter(kind="matter.comment", related_id=str(matter.pk)).exists())
        self.assertContains(
            self.client.post(reverse("me:follow_up", args=[matter.pk]), {"text": ""}),
            "请填写追问内容。",
            status_code=400,
        )

        # The clerk's answer took it in (咨询答复即受理); a handler of the centre (the demo's sm_handler holds that
        # role; window clerks and hotline agents may answer but not complete) completes it; the person rates it.
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, Matter.Status.ACCEPTED)
        matter_actions.do_complete(matter.pk, actor=self.sm_handler, result="已答复：可申请劳动仲裁。")
        page = self.client.get(reverse("me:matter", args=[matter.pk]))
        self.assertContains(page, "已答复：可申请劳动仲裁。")
        self.assertContains(page, reverse("track:result_pdf", args=[matter.tracking_no]))
        response = self.client.post(reverse("me:rate", args=[matter.pk]), {"level": "5", "comment": "很及时"})
        self.assertRedirects(response, reverse("me:matter", args=[matter.pk]))
        self.assertContains(self.client.get(reverse("me:matter", args=[matter.pk])), "您已评价：非常满意")
        self.assertContains(
            self.client.post(reverse("me:rate", args=[matter.pk]), {"level": "5"}),
            "该事项已经评价过，每个事项只能评价一次。",
            status_code=400,
        )
