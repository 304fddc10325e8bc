"""A follow-up question (追问) by the person on their own online matter: ``do_comment`` with a public actor
writes an event visible to both sides, tells the handling unit, and shows in the staff detail."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fawang.accounts.models import User
from fawang.notify.models import Message

from .. import actions
from ..models import MatterEvent
from .base import MatterTestCase


class PublicFollowUpTestCase(MatterTestCase):
    def setUp(self) -> None:
        super().setUp()
        request = actions.MatterRequest(
            service_item=self.consultation,
            description="公司拖欠工资怎么办？",
            region=self.region("350203001"),
        )
        self.matter = actions.do_submit(
            actor=self.citizen,
            person=actions.PersonData(name="王小明", phone=self.citizen.phone),
            requests=[request],
            channel="web",
        ).matters[0]

    def test_the_owner_follows_up_and_the_unit_is_told(self) -> None:
        self.assertEqual(self.matter.unit, self.sm_centre)
        event = actions.do_comment(self.matter.pk, actor=self.citizen, text="还需要准备什么材料？")
        self.assertEqual(event.action, MatterEvent.Action.COMMENT)
        self.assertEqual(event.actor, self.citizen)
        self.assertTrue(event.visible_to_person)
        self.assertEqual(event.payload, {"by_person": True})
        # No handler yet: the centre's staff are told: its 法律咨询岗 and the demo's handler (who holds a role there).
        sent = Message.objects.filter(kind="matter.comment", related_id=str(self.matter.pk))
        consultant = User.objects.get(username="sm_consultant")
        self.assertEqual({m.user for m in sent}, {self.sm_clerk, self.sm_agent, self.sm_handler, consultant})
        for message in sent:
            self.assertIn("服务对象留言：还需要准备什么材料？", message.body)

    def test_it_shows_in_the_staff_detail(self) -> None:
        actions.do_comment(self.matter.pk, actor=self.citizen, text="还需要准备什么材料？<i>急</i>")
        self.client.force_login(self.sm_clerk)
        page = self.client.get(reverse("matters:detail", args=[self.matter.pk]))
        self.assertContains(page, "还需要准备什么材料？&lt;i&gt;急&lt;/i&gt;")

    def test_someone_elses_matter_is_refused(self) -> None:
        other = User.objects.create_user("public-other", kind=User.Kind.PUBLIC, phone="13600001111")
        with self.assertRaisesMessage(PermissionDenied, "您只能办理本人的事项。"):
            actions.do_comment(self.matter.pk, actor=other, text="你好")
        self.assertFalse(self.matter.events.filter(note="你好").exists())

    def test_an_empty_follow_up_is_refused(self) -> None:
        with self.assertRaisesMessage(Exception, "请填写留言内容。"):
            actions.do_comment(self.matter.pk, actor=self.citizen, text="  ")
