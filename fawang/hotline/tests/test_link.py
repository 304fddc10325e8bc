"""联动: a matter handed over to 12345 (the matters app's hand-over, our clock stops) and the outside hotline's
system posting its ticket number and outcome back through the signed API."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from fawang.matters import actions as matter_actions
from fawang.matters.models import Matter, MatterEvent
from fawang.orgs.models import Unit

from .. import actions
from ..models import CtiSystem
from .base import CALLER, HotlineTestCase


class LinkBase(HotlineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.h12345 = Unit.objects.get(kind=Unit.Kind.HOTLINE, hotline_number="12345")
        self.h12315 = Unit.objects.get(kind=Unit.Kind.HOTLINE, hotline_number="12315")
        self.link, self.link_token, self.link_secret = actions.do_create_system(
            actor=None, unit=self.h12345, name="12345 工单系统", purpose=CtiSystem.Purpose.LINK
        )
        self.matter = self.submit(
            self.consultation,
            actor=self.xm_agent,
            intake_unit=self.xm_centre,
            channel="hotline",
            person=self.person(phone=CALLER, id_number=""),
            description="小区噪音扰民，物业不管。",
        )
        self.assertIsNotNone(self.reload(self.matter).due_at)
        matter_actions.do_hand_over(
            self.matter.pk, actor=self.xm_agent, hotline=self.h12345, reason="属城市管理事项，转 12345 办理。"
        )

    def send(self, data: dict[str, Any], *, token: str | None = None, secret: str | None = None) -> Any:
        body = json.dumps(data).encode()
        headers = self.signed_headers(body, self.link_secret if secret is None else secret)
        url = reverse("api:hotline_link", args=[token or self.link_token])
        return self.pbx.post(url, body, content_type="application/json", **headers)


class LinkTestCase(LinkBase):
    def test_the_clock_stops_and_the_outcome_comes_back(self) -> None:
        matter = self.reload(self.matter)
        self.assertIsNone(matter.due_at)  # our clock stopped at the hand-over
        self.assertEqual(matter.status, Matter.Status.SUBMITTED)
        ticket = {"event": "ticket", "trackingNo": matter.tracking_no, "ticketNo": "12345-2026-000123"}
        response = self.send(ticket)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertFalse(response.json()["duplicate"])
        handover = matter.handovers.get()
        self.assertEqual(handover.ticket_no, "12345-2026-000123")
        self.assertTrue(self.send(ticket).json()["duplicate"])
        self.assertEqual(MatterEvent.objects.filter(matter=matter, action="outside_reply").count(), 1)
        outcome = {
            "event": "outcome",
            "trackingNo": matter.tracking_no,
            "outcome": "已联系物业整改，噪音已停止。",
        }
        response = self.send(outcome)
        self.assertEqual(response.json()["matterStatus"], "completed")
        matter = self.reload(self.matter)
        self.assertEqual(matter.status, Matter.Status.COMPLETED)
        self.assertIn("工单号 12345-2026-000123", matter.result)
        self.assertIn("已联系物业整改", matter.result)
        # The same outcome again is a resend; another one is refused.
        self.assertTrue(self.send(outcome).json()["duplicate"])
        response = self.send({**outcome, "outcome": "另一个结果"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(self.reload(self.matter).result, matter.result)

    def test_only_the_hotline_handed_to_may_answer(self) -> None:
        _other, token, secret = actions.do_create_system(
            actor=None, unit=self.h12315, name="12315", purpose=CtiSystem.Purpose.LINK
        )
        data = {"event": "outcome", "trackingNo": self.matter.tracking_no, "outcome": "已处理"}
        response = self.send(data, token=token, secret=secret)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.send({**data, "trackingNo": "FW000000NOSUCH0"}).status_code, 404)
        self.assertEqual(self.reload(self.matter).status, Matter.Status.SUBMITTED)

    def test_bad_signatures_and_wrong_tokens_change_nothing(self) -> None:
        data = {"event": "outcome", "trackingNo": self.matter.tracking_no, "outcome": "已处理"}
        self.assertEqual(self.send(data, secret="forged").status_code, 401)
        # A telephone system's token is no ticket system's.
        self.assertEqual(self.send(data, token=self.token).status_code, 401)
        self.assertEqual(self.send({"event": "closed", "trackingNo": "x"}).status_code, 400)
        self.assertEqual(
            self.send({"event": "outcome", "trackingNo": self.matter.tracking_no}).status_code, 400
        )
        self.assertEqual(self.reload(self.matter).status, Matter.Status.SUBMITTED)
        self.assertFalse(self.matter.handovers.exclude(outcome="").exists())

    def test_a_link_system_belongs_to_an_outside_hotline(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            actions.do_create_system(
                actor=None, unit=self.xm_centre, name="x", purpose=CtiSystem.Purpose.LINK
            )

    def test_supervisors_see_the_hand_overs_waiting_for_a_reply(self) -> None:
        self.client.force_login(self.xm_agent)
        page = self.client.get(reverse("hotline:handovers"))
        self.assertContains(page, self.matter.tracking_no)
        self.assertContains(page, "12345")
        self.send({"event": "outcome", "trackingNo": self.matter.tracking_no, "outcome": "已办结"})
        self.assertNotContains(self.client.get(reverse("hotline:handovers")), self.matter.tracking_no)
        self.client.force_login(self.sm_clerk)
        self.assertEqual(self.client.get(reverse("hotline:handovers")).status_code, 403)


class DispatchTestCase(LinkBase):
    def test_a_ticket_dispatched_by_12345_becomes_a_matter_and_our_reply_goes_back(self) -> None:
        data = {
            "event": "dispatch",
            "ticketNo": "12345-2026-000200",
            "name": "苏明辉",
            "phone": "13700001234",
            "description": "咨询劳动合同到期不续签能否要求经济补偿。",
            "region": "350203001",
            "item": "consultation",
        }
        response = self.send(data)
        self.assertEqual(response.status_code, 201, response.content)
        tracking_no = response.json()["trackingNo"]
        matter = Matter.objects.get(tracking_no=tracking_no)
        self.assertEqual((matter.channel, matter.person.name), ("hotline", "苏明辉"))
        self.assertIn("12345-2026-000200", matter.description)
        self.assertIsNotNone(matter.unit_id)  # routed like any other matter
        again = self.send(data)
        self.assertEqual((again.status_code, again.json()["trackingNo"]), (200, tracking_no))
        self.assertEqual(Matter.objects.filter(person__name="苏明辉").count(), 1)
        # Their system reads our reply, signed over the query string.
        query = "ticketNo=12345-2026-000200"
        url = reverse("api:hotline_link", args=[self.link_token]) + "?" + query
        reply = self.pbx.get(url, **self.signed_headers(query.encode(), self.link_secret))
        self.assertEqual(reply.json()["status"], "submitted")
        self.assertEqual(reply.json()["result"], "")
        matter_actions.do_accept(matter.pk, actor=None)
        matter_actions.do_complete(matter.pk, actor=None, result="已电话解答：可要求经济补偿。")
        reply = self.pbx.get(url, **self.signed_headers(query.encode(), self.link_secret))
        self.assertEqual(
            (reply.json()["status"], reply.json()["result"]), ("completed", "已电话解答：可要求经济补偿。")
        )
        self.assertEqual(
            self.pbx.get(url, **self.signed_headers(b"other", self.link_secret)).status_code, 401
        )
        # Another hotline's system does not see 12345's tickets.
        _other, token, secret = actions.do_create_system(
            actor=None, unit=self.h12315, name="12315", purpose=CtiSystem.Purpose.LINK
        )
        other_url = reverse("api:hotline_link", args=[token]) + "?" + query
        self.assertEqual(
            self.pbx.get(other_url, **self.signed_headers(query.encode(), secret)).status_code, 404
        )

    def test_a_dispatch_missing_fields_is_refused(self) -> None:
        response = self.send({"event": "dispatch", "ticketNo": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("派单缺少必填字段：name、description", response.json()["detail"])
        bad = self.send(
            {"event": "dispatch", "ticketNo": "y", "name": "甲", "description": "乙", "item": "nope"}
        )
        self.assertIn("未知的服务事项", bad.json()["detail"])
