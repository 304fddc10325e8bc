"""Window and hotline intake (一窗办多事): several matters for one visit, routed apart; a double submit creates
nothing twice; Chinese errors keep what was typed; the receipt lists where each matter went."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from ..models import Matter
from .base import MatterTestCase, id_number


class IntakeTestCase(MatterTestCase):
    url = reverse("matters:intake")

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def data(self, *requests: dict[str, Any], **person: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "idempotency_key": "0123456789abcdef0123456789abcdef",
            "channel": "window",
            "name": "陈美玲",
            "phone": "13912345678",
            "id_number": id_number(),
            "special_groups": ["migrant_worker"],
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

    def two_requests(self) -> list[dict[str, Any]]:
        return [
            {"service_item": self.legal_aid.pk, "description": "被拖欠工资三个月，申请法律援助。"},
            {"service_item": self.mediation.pk, "description": "与房东就押金发生纠纷，申请调解。"},
        ]

    def test_form_presets_the_channel_by_role(self) -> None:
        clerk = self.client_for(self.sm_clerk).get(self.url)
        self.assertEqual(clerk.status_code, 200)
        self.assertEqual(clerk.context["form"]["channel"].value(), "window")
        self.assertRegex(clerk.content.decode(), r'name="idempotency_key" value="[0-9a-f]{32}"')
        agent = self.client_for(self.sm_agent).get(self.url)
        self.assertEqual(agent.context["form"]["channel"].value(), "hotline")
        # The key is new for every form rendered.
        again = self.client_for(self.sm_clerk).get(self.url)
        self.assertNotEqual(
            clerk.context["form"]["idempotency_key"].value(), again.context["form"]["idempotency_key"].value()
        )
        self.assertEqual(self.client_for(self.sm_supervisor).get(self.url).status_code, 403)

    def test_one_visit_two_matters_routed_apart_and_no_double_submit(self) -> None:
        client = self.client_for(self.sm_clerk)
        before = Matter.objects.count()
        response = client.post(self.url, self.data(*self.two_requests()))
        receipt = reverse("matters:intake_receipt") + "?key=0123456789abcdef0123456789abcdef"
        self.assertRedirects(response, receipt)
        made = list(Matter.objects.order_by("-pk")[:2])[::-1]
        self.assertEqual(Matter.objects.count(), before + 2)
        self.assertEqual([m.service_item for m in made], [self.legal_aid, self.mediation])
        self.assertEqual(made[0].unit, self.sm_legal_aid)
        self.assertEqual(made[1].unit.name, "厦港街道人民调解委员会")
        self.assertEqual({m.person_id for m in made}, {made[0].person_id})
        self.assertEqual(
            {(m.channel, m.intake_unit, m.first_responder) for m in made},
            {("window", self.sm_centre, self.sm_clerk)},
        )
        self.assertEqual(made[0].person.special_groups, ["migrant_worker"])
        page = client.get(receipt)
        for m in made:
            self.assertContains(page, m.unit.name)
            self.assertContains(page, m.tracking_no[:2] + " " + m.tracking_no[2:8])
        self.assertContains(page, "陈*玲")
        self.assertNotContains(page, "陈美玲")
        self.assertContains(page, reverse("matters_pdf:receipt", args=[made[0].pk]))
        # The same form sent again (double click, resend after a timeout) creates nothing more.
        again = client.post(self.url, self.data(*self.two_requests()))
        self.assertRedirects(again, receipt)
        self.assertEqual(Matter.objects.count(), before + 2)
        # Another user cannot read this receipt by its key.
        self.assertEqual(self.client_for(self.sm_agent).get(receipt).status_code, 404)
        # Without a key: what this user took in today.
        today = client.get(reverse("matters:intake_receipt"))
        self.assertContains(today, made[0].unit.name)

    def test_errors_are_chinese_and_keep_the_input(self) -> None:
        client = self.client_for(self.sm_clerk)
        before = Matter.objects.count()
        bad_check = id_number()[:-1] + ("0" if id_number()[-1] != "0" else "1")
        response = client.post(self.url, self.data(*self.two_requests(), id_number=bad_check, phone="12345"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "身份证号码校验位不正确，请核对后重新输入。", status_code=400)
        self.assertContains(
            response,
            "请输入正确的联系电话：11 位手机号码，或带区号的固定电话，例如 0592-1234567。",
            status_code=400,
        )
        self.assertContains(response, 'value="陈美玲"', status_code=400)
        self.assertContains(response, "与房东就押金发生纠纷，申请调解。</textarea>", status_code=400)
        self.assertContains(
            response, 'name="idempotency_key" value="0123456789abcdef0123456789abcdef"', status_code=400
        )
        # Legal aid needs the ID number (the catalogue says so); the action's message lands on the field.
        response = client.post(self.url, self.data(*self.two_requests(), id_number=""))
        self.assertContains(response, "办理“法律援助申请”须登记服务对象的身份证号码。", status_code=400)
        self.assertEqual(
            response.context["form"].errors["id_number"], ["办理“法律援助申请”须登记服务对象的身份证号码。"]
        )
        response = client.post(
            self.url, self.data({"service_item": self.mediation.pk, "description": ""}, region="")
        )
        self.assertContains(response, "请填写事项描述。", status_code=400)
        self.assertContains(response, "请选择事项所涉区划。", status_code=400)
        # A manual choice of unit needs a reason.
        response = client.post(
            self.url,
            self.data({"service_item": self.mediation.pk, "description": "调解", "unit": self.sm_centre.pk}),
        )
        self.assertContains(response, "人工指定办理机构须说明理由。", status_code=400)
        self.assertEqual(Matter.objects.count(), before)

    def test_add_and_remove_a_row_without_javascript(self) -> None:
        client = self.client_for(self.sm_clerk)
        first = {"service_item": self.legal_aid.pk, "description": "第一项诉求"}
        response = client.post(self.url, {**self.data(first), "add_row": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["formset"].total_form_count(), 2)
        self.assertContains(response, "第一项诉求</textarea>")
        self.assertContains(response, "第 2 项诉求")
        self.assertNotContains(response, "errorlist")
        second = {"service_item": self.mediation.pk, "description": "第二项诉求"}
        response = client.post(self.url, {**self.data(first, second), "remove_row": "0"})
        self.assertEqual(response.context["formset"].total_form_count(), 1)
        self.assertContains(response, "第二项诉求</textarea>")
        self.assertNotContains(response, "第一项诉求")
        self.assertEqual(Matter.objects.filter(description__startswith="第").count(), 0)

    def test_manual_routing_with_a_reason(self) -> None:
        client = self.client_for(self.sm_clerk)
        response = client.post(
            self.url,
            self.data(
                {
                    "service_item": self.mediation.pk,
                    "description": "物业纠纷",
                    "unit": self.sm_centre.pk,
                    "unit_reason": "当事人要求在中心调解",
                }
            ),
        )
        self.assertEqual(response.status_code, 302)
        matter = Matter.objects.get(description="物业纠纷")
        self.assertEqual(matter.unit, self.sm_centre)
        self.assertEqual(matter.events.get(action="submit").note, "当事人要求在中心调解")

    def test_a_resent_intake_stores_one_matter_and_one_notice_each_delivered_once(self) -> None:
        # As in production, the delivery tasks are rows of this database (django_tasks_db): the notices of an
        # intake go out through a shared batch task, and a resent form still stores each matter and notice once.
        from django.test import override_settings
        from django_tasks_db.models import DBTaskResult

        from fawang.notify import actions as outbox
        from fawang.notify.models import Message

        outbox._batch_runs_at = None
        self.addCleanup(setattr, outbox, "_batch_runs_at", None)
        client = self.client_for(self.sm_clerk)
        before = Matter.objects.count()
        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
        ):
            with self.captureOnCommitCallbacks(execute=True):
                response = client.post(self.url, self.data(*self.two_requests()))
            self.assertEqual(response.status_code, 302)
            tasks = DBTaskResult.objects.count()
            self.assertIn(
                tasks, (1, 2)
            )  # a batch task (the second notice of the same commit may queue another)
            with self.captureOnCommitCallbacks(execute=True):
                again = client.post(self.url, self.data(*self.two_requests()))  # the same form sent again
            self.assertEqual(again.status_code, 302)
            self.assertEqual(DBTaskResult.objects.count(), tasks)
            made = list(Matter.objects.order_by("-pk")[:2])
            self.assertEqual(Matter.objects.count(), before + 2)
            notices = Message.objects.filter(
                related_id__in=[str(m.pk) for m in made], kind="matter.submitted"
            )
            self.assertEqual(notices.count(), 2)  # one SMS to the person per matter
            self.assertEqual(set(notices.values_list("status", flat=True)), {Message.Status.QUEUED})
            ran = [task.task.call() for task in DBTaskResult.objects.order_by("enqueued_at")]
            self.assertEqual(ran[0], 2)  # the first task delivers both; any other finds nothing left
            self.assertEqual(sum(ran), 2)
        self.assertEqual(
            sorted(notices.values_list("status", "attempts")),
            [(Message.Status.SENT, 1), (Message.Status.SENT, 1)],
        )
