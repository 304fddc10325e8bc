"""Issue 14, item 18: a window clerk or hotline agent answers a walk-in or phone consultation on the spot and
completes it at intake (当场答复办结); the answer is on the record (the result, the completing event, the
notice), the one who answered is its handler of record, and no clock runs. Through the console and the API."""

from __future__ import annotations

import uuid
from typing import Any

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from fawang.apikit.models import ApiToken
from fawang.consult import threads

from ..models import Matter, MatterEvent
from .base import MatterTestCase, id_number

ANSWER = "拖欠工资可以向劳动保障监察大队投诉，也可以在一年内申请劳动仲裁；仲裁不收费。"
QUESTION = "公司拖欠两个月工资，我该找哪个部门？"


class AnswerAtIntakeTestCase(MatterTestCase):
    url = reverse("matters:intake")

    def console(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def data(self, *requests: dict[str, Any], **person: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "idempotency_key": uuid.uuid4().hex,
            "channel": "window",
            "name": "陈美玲",
            "phone": "13912345678",
            "id_number": id_number(),
            "address": "",
            "region": "350203001",
            "req-TOTAL_FORMS": str(len(requests)),
            "req-INITIAL_FORMS": "0",
            "req-MIN_NUM_FORMS": "1",
            "req-MAX_NUM_FORMS": "10",
        }
        data.update(person)
        for i, req in enumerate(requests):
            for key, value in req.items():
                data[f"req-{i}-{key}"] = value
        return data

    def assertAnsweredOnTheSpot(self, matter: Matter, by: Any) -> None:
        matter = self.reload(matter)
        self.assertEqual(matter.status, Matter.Status.COMPLETED)
        self.assertEqual(matter.result, ANSWER)
        self.assertEqual(matter.handler, by)
        self.assertEqual(matter.first_responder, by)
        self.assertIsNone(matter.due_at)
        self.assertEqual(self.events(matter), ["submit", "accept", "complete"])
        complete = MatterEvent.objects.get(matter=matter, action="complete")
        self.assertEqual(complete.note, ANSWER)
        self.assertTrue(complete.visible_to_person)
        self.assertEqual(complete.actor, by)
        self.assertEqual(complete.payload, {"at_intake": True, "handler": by.pk, "handler_of_record": True})
        accept = MatterEvent.objects.get(matter=matter, action="accept")
        self.assertEqual((accept.note, accept.payload), ("当场答复，即予受理。", {"at_intake": True}))
        # The consultation's thread shows the answer, once, and the person is told it.
        self.assertEqual([row.note for row in threads.thread(matter).answers], [ANSWER])
        self.assertEqual(threads.thread(matter).state, threads.ThreadState.ANSWERED)
        told = self.messages(matter, "matter.completed")
        self.assertTrue(told)
        self.assertIn(ANSWER, told[0].body)

    def test_clerk_answers_a_walk_in_consultation_on_the_spot(self) -> None:
        client = self.console(self.sm_clerk)
        form = client.get(self.url)
        self.assertContains(form, "当场答复办结（一般咨询）")
        data = self.data({"service_item": self.consultation.pk, "description": QUESTION, "answer": ANSWER})
        response = client.post(self.url, data)
        receipt = reverse("matters:intake_receipt") + f"?key={data['idempotency_key']}"
        self.assertRedirects(response, receipt)
        matter = Matter.objects.latest("pk")
        self.assertEqual((matter.unit, matter.channel), (self.sm_centre, "window"))
        self.assertAnsweredOnTheSpot(matter, self.sm_clerk)
        page = client.get(receipt)
        self.assertContains(page, "已当场答复办结")
        self.assertContains(page, reverse("matters_pdf:result", args=[matter.pk]))
        # Sent again (a double click): nothing answered twice.
        self.assertRedirects(client.post(self.url, data), receipt)
        self.assertEqual(self.events(matter), ["submit", "accept", "complete"])

    def test_without_an_answer_the_consultation_waits_as_before(self) -> None:
        client = self.console(self.sm_agent)
        data = self.data(
            {"service_item": self.consultation.pk, "description": QUESTION, "answer": "  "}, channel="hotline"
        )
        client.post(self.url, data)
        matter = Matter.objects.latest("pk")
        self.assertEqual(matter.status, Matter.Status.SUBMITTED)
        self.assertIsNone(matter.handler)
        self.assertIsNotNone(matter.due_at)

    def test_an_item_the_intake_unit_does_not_handle_is_refused_and_keeps_the_input(self) -> None:
        client = self.console(self.sm_clerk)
        before = Matter.objects.count()
        response = client.post(
            self.url,
            self.data(
                {"service_item": self.legal_aid.pk, "description": "申请法律援助。", "answer": ANSWER},
            ),
        )
        self.assertContains(
            response, "“法律援助申请”须由办理机构受理办理，不能当场答复办结。", status_code=400
        )
        self.assertContains(response, ANSWER, status_code=400)
        self.assertEqual(Matter.objects.count(), before)
        # An answer with a unit chosen by hand: the answer keeps the matter here.
        response = client.post(
            self.url,
            self.data(
                {
                    "service_item": self.consultation.pk,
                    "description": QUESTION,
                    "answer": ANSWER,
                    "unit": self.sm_legal_aid.pk,
                    "unit_reason": "涉及法律援助",
                },
            ),
        )
        self.assertContains(response, "当场答复办结的事项由本机构办理", status_code=400)
        self.assertEqual(Matter.objects.count(), before)

    def test_the_action_refuses_online_channels_and_the_public(self) -> None:
        before = Matter.objects.count()
        with self.assertRaisesMessage(Exception, "不能当场答复办结，请在事项页面答复"):
            self.submit(self.consultation, channel="web", intake_unit=self.sm_centre, answer=ANSWER)
        citizen = self.make_citizen()
        with self.assertRaisesMessage(Exception, "当场答复办结须由受理的工作人员作出"):
            self.submit(self.consultation, actor=citizen, channel="web", intake_unit=None, answer=ANSWER)
        self.assertEqual(Matter.objects.count(), before)

    def make_citizen(self) -> Any:
        from fawang.accounts.models import User

        return User.objects.create_user(username="13900001111", kind=User.Kind.PUBLIC, display_name="黄丽娟")

    def test_agent_answers_a_phone_consultation_through_the_api(self) -> None:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(self.sm_agent, '热线 APP')[1]}")
        body: dict[str, Any] = {
            "channel": "hotline",
            "intake_unit": self.sm_centre.pk,
            "person": {"name": "林国华", "phone": "13812345678"},
            "requests": [
                {
                    "service_item": self.consultation.pk,
                    "description": QUESTION,
                    "region": "350203",
                    "answer": ANSWER,
                }
            ],
        }
        r = api.post("/api/v1/matters/", body, format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
        self.assertEqual(r.status_code, 201, r.content.decode())
        out = r.json()["matters"][0]
        self.assertEqual(out["status"], "completed")
        matter = Matter.objects.get(pk=out["id"])
        self.assertAnsweredOnTheSpot(matter, self.sm_agent)
        detail = api.get(f"/api/v1/matters/{matter.pk}/").json()
        self.assertEqual(detail["result"], ANSWER)
        # A legal-aid application cannot be completed at intake: a Chinese 400 naming the item, nothing made.
        before = Matter.objects.count()
        body["requests"][0].update(service_item=self.legal_aid.pk, description="申请法律援助。")
        body.update(channel="window")
        body["person"]["id_number"] = id_number()
        r = api.post("/api/v1/matters/", body, format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
        self.assertEqual(r.status_code, 400, r.content.decode())
        self.assertIn("“法律援助申请”须由办理机构受理办理，不能当场答复办结。", r.content.decode())
        self.assertEqual(Matter.objects.count(), before)
