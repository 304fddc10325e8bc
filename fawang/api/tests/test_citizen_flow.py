"""Issue 4 done-when (c) on the API alone, as the mobile app and a clerk's app would do it: a citizen signs in with a
one-time code, gives their real name, asks a question; a clerk of the centre it was routed to answers through the
staff API; the citizen sees the answer, follows up, gets a second answer, marks it resolved and rates it."""

from __future__ import annotations

import re

from django.urls import reverse
from rest_framework.test import APIClient

from fawang.matters.models import Evaluation, Matter, MatterEvent
from fawang.notify.models import Message
from fawang.orgs.models import Speciality

from .base import ApiTestCase

PHONE = "13966668888"
ID_NUMBER = "35020319900101123X"
QUESTION = "公司拖欠我三个月工资，老板一直说下个月发，我应该怎么维权？"
ANSWER = "可以先向劳动保障监察部门投诉，也可以在一年内申请劳动仲裁；经济困难的可以申请法律援助。"
FOLLOW_UP = "申请劳动仲裁需要准备哪些材料？"
SECOND = "仲裁申请书、身份证明、劳动合同或工资流水等证明劳动关系的材料。"


class CitizenFlowTestCase(ApiTestCase):
    def test_ask_answer_follow_up_resolve_and_rate(self) -> None:
        # 1. Sign in with the code the SMS carried (read from the outbox: no gateway here), then real name.
        app = APIClient()
        self.assertEqual(self.post(app, reverse("api:me_sign_in_code"), {"phone": PHONE}).status_code, 200)
        sms = Message.objects.filter(phone=PHONE, kind="otp.login").latest("pk").body
        code = re.search(r"验证码 (\d{6})", sms)
        assert code is not None
        r = app.post(
            reverse("api:me_sign_in_token"),
            {"phone": PHONE, "code": code.group(1), "device": "微信小程序"},
            format="json",
        )
        self.assertEqual(r.status_code, 200, r.content.decode())
        self.assertTrue(r.json()["created"])
        app.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
        r = app.put(reverse("api:me"), {"name": "黄丽娟", "id_number": ID_NUMBER}, format="json")
        self.assertTrue(r.json()["real_name"])

        # 2. Ask, with a topic and a region picked from the API's own lists.
        topic = next(
            t for t in app.get(reverse("api:me_consultation_topics")).json() if t["name"] == "劳动纠纷"
        )
        towns = APIClient().get(reverse("api:regions"), {"parent": "350203"}).json()
        town = next(t for t in towns if t["name"] == "厦港街道")
        r = self.post(
            app,
            reverse("api:me_consultations"),
            {"question": QUESTION, "topic": topic["id"], "region": town["code"], "channel": "wechat"},
        )
        self.assertEqual(r.status_code, 201, r.content.decode())
        mine = r.json()
        self.assertEqual((mine["unit"]["name"], mine["thread_state"]), ("思明区公共法律服务中心", "awaiting"))
        matter = Matter.objects.get(pk=mine["id"])
        self.assertEqual(
            (matter.channel, matter.topic, matter.person.name),
            ("wechat", Speciality.objects.get(pk=topic["id"]), "黄丽娟"),
        )

        # 3. A window clerk of the centre finds it in the staff API and answers it, visible to the person.
        clerk = self.as_user(self.sm_clerk)
        queue = clerk.get(
            reverse("api:matters"), {"status": "submitted", "item": self.consultation.pk}
        ).json()
        self.assertIn(matter.pk, [m["id"] for m in queue["results"]])
        with self.captureOnCommitCallbacks(execute=True):  # the outbox worker delivers the message
            r = self.post(
                clerk, reverse("api:matter_comment", args=[matter.pk]), {"text": ANSWER, "visible": True}
            )
        self.assertEqual(r.status_code, 200, r.content.decode())

        # 4. The citizen sees it: one new answer in the list, the answer in the thread and in the inbox.
        listed = app.get(reverse("api:me_matters"), {"kind": "consultations"}).json()["results"]
        self.assertEqual(
            [(m["id"], m["thread_state"], m["answers_unread"]) for m in listed], [(matter.pk, "answered", 1)]
        )
        inbox = app.get(reverse("api:me_messages"), {"unread": "true"}).json()
        self.assertIn(ANSWER, next(m["body"] for m in inbox["results"] if m["kind"] == "matter.answered"))
        detail = app.get(reverse("api:me_matter", args=[matter.pk])).json()
        self.assertEqual(detail["thread"][-1]["text"], ANSWER)
        self.assertEqual(detail["thread"][-1]["who"], "思明区公共法律服务中心")
        self.assertTrue(detail["can_resolve"])
        self.assertEqual(app.get(reverse("api:me_matters")).json()["results"][0]["answers_unread"], 0)

        # 5. A follow-up, which the clerk sees on the staff API and answers.
        r = self.post(app, reverse("api:me_matter_follow_up", args=[matter.pk]), {"text": FOLLOW_UP})
        self.assertEqual(r.json()["thread_state"], "awaiting")
        staff_view = clerk.get(reverse("api:matter", args=[matter.pk])).json()
        self.assertEqual(staff_view["events"][-1]["note"], FOLLOW_UP)
        with self.captureOnCommitCallbacks(execute=True):
            self.post(
                clerk, reverse("api:matter_comment", args=[matter.pk]), {"text": SECOND, "visible": True}
            )

        # 6. Resolved: the consultation is completed with the answers as its result; then rated, which closes it.
        r = self.post(app, reverse("api:me_matter_resolve", args=[matter.pk]), {})
        self.assertEqual(r.status_code, 200, r.content.decode())
        self.assertEqual(
            (r.json()["status"], r.json()["thread_state"], r.json()["can_rate"]),
            ("completed", "resolved", True),
        )
        self.assertEqual(r.json()["result"], f"{ANSWER}\n\n{SECOND}")
        r = self.post(
            app, reverse("api:me_matter_rate", args=[matter.pk]), {"level": 5, "comment": "答复及时、清楚"}
        )
        self.assertEqual(r.status_code, 200, r.content.decode())
        self.assertEqual((r.json()["status"], r.json()["evaluation"]["level_label"]), ("closed", "非常满意"))
        self.assertTrue(
            app.get(reverse("api:me_matter_result_pdf", args=[matter.pk])).content.startswith(b"%PDF")
        )

        matter.refresh_from_db()
        self.assertEqual(matter.status, Matter.Status.CLOSED)
        self.assertEqual(Evaluation.objects.get(matter=matter).level, 5)
        self.assertEqual(
            list(matter.events.order_by("created_at", "pk").values_list("action", flat=True)),
            ["submit", "accept", "comment", "comment", "comment", "complete", "rate", "close"],
        )
        self.assertEqual(
            [row["summary"] for row in r.json()["timeline"]][-3:],
            ["本人确认问题已解决，咨询办结", "已评价：非常满意", "事项已关闭"],
        )
        self.assertTrue(
            MatterEvent.objects.filter(matter=matter, action="complete", payload__resolved=True).exists()
        )
