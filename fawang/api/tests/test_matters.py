"""Staff endpoints: scoping like the console, intake with Idempotency-Key, actions through the API showing up in
the matter's events, personal data masked unless revealed (and then logged)."""

from __future__ import annotations

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fawang.apikit.models import IdempotencyRecord
from fawang.matters.models import AccessLog, Matter, MatterEvent
from fawang.matters.tests.base import id_number

from .base import ApiTestCase


class ScopingTestCase(ApiTestCase):
    def test_a_huli_token_gets_404_on_a_siming_matter(self) -> None:
        matter = self.submit()  # 思明区
        huli = self.as_user(self.hl_supervisor)
        self.assertError(huli.get(reverse("api:matter", args=[matter.pk])), 404, "not_found")
        r = self.post(huli, reverse("api:matter_accept", args=[matter.pk]), {})
        self.assertError(r, 404, "not_found")
        self.assertEqual(self.reload(matter).status, Matter.Status.SUBMITTED)
        listed = huli.get(reverse("api:matters"), {"page_size": 100}).json()
        self.assertNotIn(matter.tracking_no, [m["tracking_no"] for m in listed["results"]])
        # The same 404 as for a matter that does not exist.
        self.assertEqual(
            huli.get(reverse("api:matter", args=[matter.pk])).json(),
            huli.get(reverse("api:matter", args=[10**9])).json(),
        )

    def test_list_filters_and_masks_personal_data(self) -> None:
        matter = self.submit(person=self.person(name="欧阳小明", phone="13912345678"))
        client = self.as_user(self.sm_handler)
        r = client.get(reverse("api:matters"), {"status": "submitted", "item": self.legal_aid.pk})
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(set(body), {"count", "count_capped", "next", "previous", "results"})
        row = next(m for m in body["results"] if m["tracking_no"] == matter.tracking_no)
        self.assertEqual(row["person"]["name"], "欧**明")
        self.assertNotIn("13912345678", r.content.decode())
        self.assertTrue(all(m["status"] == "submitted" for m in body["results"]))
        r = client.get(reverse("api:matters"), {"status": "completed"})
        self.assertNotIn(matter.tracking_no, [m["tracking_no"] for m in r.json()["results"]])
        self.assertError(client.get(reverse("api:matters"), {"status": "nonsense"}), 400, "invalid")

    def test_the_list_costs_the_same_queries_for_2_or_20_rows(self) -> None:
        for _ in range(20):
            self.submit()
        client = self.as_user(self.sm_handler)
        client.get(reverse("api:matters"))  # first use of the token writes last_used_at
        counts = []
        for size in (2, 20):
            with CaptureQueriesContext(connection) as queries:
                r = client.get(reverse("api:matters"), {"page_size": size})
            self.assertEqual(len(r.json()["results"]), size)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])

    def test_the_count_stops_at_the_cap(self) -> None:
        for _ in range(3):
            self.submit()
        client = self.as_user(self.sm_handler)
        visible = Matter.objects.visible_to(self.sm_handler).count()
        body = client.get(reverse("api:matters"), {"page_size": 1}).json()
        self.assertEqual((body["count"], body["count_capped"]), (visible, False))
        with override_settings(LIST_COUNT_CAP=2):
            body = client.get(reverse("api:matters"), {"page_size": 1}).json()
        self.assertEqual((body["count"], body["count_capped"], len(body["results"])), (2, True, 1))


class ActionsTestCase(ApiTestCase):
    def test_accept_assign_comment_complete_show_up_in_the_events(self) -> None:
        matter = self.submit()
        client = self.as_user(self.sm_handler)
        url = lambda name: reverse(f"api:matter_{name}", args=[matter.pk])  # noqa: E731
        r = self.post(client, url("accept"), {"note": "材料齐全"})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["status"], "accepted")
        r = self.post(client, url("assign"), {"handler": self.sm_handler.pk})
        self.assertEqual(r.json()["status"], "in_progress")
        r = self.post(client, url("comment"), {"text": "已电话联系", "visible": False})
        r = self.post(client, url("complete"), {"result": "已为其指派律师并结案"})
        body = r.json()
        self.assertEqual(body["status"], "completed")
        self.assertEqual(body["result"], "已为其指派律师并结案")
        self.assertEqual(
            [e["action"] for e in body["events"]], ["submit", "accept", "assign", "comment", "complete"]
        )
        self.assertEqual(body["events"][1]["note"], "材料齐全")
        self.assertEqual(self.events(matter), ["submit", "accept", "assign", "comment", "complete"])
        self.assertEqual(
            MatterEvent.objects.filter(matter=matter, action="accept").get().actor, self.sm_handler
        )

    def test_reject_needs_a_reason_and_request_materials_lists_them(self) -> None:
        matter = self.submit()
        client = self.as_user(self.sm_handler)
        r = self.post(client, reverse("api:matter_reject", args=[matter.pk]), {"reason": "  "})
        self.assertError(r, 400, "no_reason", "请填写不予受理的理由")
        r = self.post(
            client,
            reverse("api:matter_request_materials", args=[matter.pk]),
            {"missing": ["身份证复印件", "劳动合同"], "note": ""},
        )
        self.assertEqual(r.json()["status"], "awaiting_materials")
        self.assertEqual(r.json()["events"][-1]["payload"]["missing"], ["身份证复印件", "劳动合同"])

    def test_assign_to_an_unknown_user_is_a_field_error(self) -> None:
        matter = self.submit()
        client = self.as_user(self.sm_handler)
        self.post(client, reverse("api:matter_accept", args=[matter.pk]), {})
        r = self.post(client, reverse("api:matter_assign", args=[matter.pk]), {"handler": 10**8})
        self.assertEqual(
            self.assertError(r, 400, "invalid")["fields"], {"handler": ["承办人须为本机构在岗的承办人员。"]}
        )

    def test_action_replay_and_conflict(self) -> None:
        matter = self.submit()
        client = self.as_user(self.sm_handler)
        url = reverse("api:matter_accept", args=[matter.pk])
        first = self.post(client, url, {"note": "受理"}, key="accept-1")
        again = self.post(client, url, {"note": "受理"}, key="accept-1")
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json(), first.json())
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(self.events(matter), ["submit", "accept"])
        r = self.post(client, url, {"note": "不同的内容"}, key="accept-1")
        self.assertError(r, 409, "idempotency_conflict", "Idempotency-Key")

    def test_missing_idempotency_key(self) -> None:
        matter = self.submit()
        client = self.as_user(self.sm_handler)
        r = client.post(reverse("api:matter_accept", args=[matter.pk]), {}, format="json")
        self.assertError(r, 400, "idempotency_key_required", "Idempotency-Key")
        self.assertEqual(self.reload(matter).status, Matter.Status.SUBMITTED)


class IntakeTestCase(ApiTestCase):
    def body(self, name: str = "张三") -> dict[str, object]:
        return {
            "channel": "window",
            "intake_unit": self.station.pk,
            "person": {"name": name, "phone": "13912345678", "id_number": id_number()},
            "requests": [
                {
                    "service_item": self.legal_aid.pk,
                    "description": "用人单位拖欠工资。",
                    "region": "350203001",
                }
            ],
        }

    def test_intake_creates_once_replays_and_refuses_a_changed_body(self) -> None:
        client = self.as_user(self.sm_clerk)
        before = Matter.objects.count()
        r = self.post(client, reverse("api:matters"), self.body(), key="intake-42")
        self.assertEqual(r.status_code, 201, r.content)
        created = r.json()
        self.assertTrue(created["created"])
        self.assertEqual(len(created["matters"]), 1)
        self.assertEqual(created["matters"][0]["person"]["name"], "张*")
        matter = Matter.objects.get(tracking_no=created["matters"][0]["tracking_no"])
        self.assertEqual(matter.channel, "window")
        self.assertEqual(matter.events.get().actor, self.sm_clerk)

        again = self.post(client, reverse("api:matters"), self.body(), key="intake-42")
        self.assertEqual((again.status_code, again.json()), (201, created))
        self.assertEqual(Matter.objects.count(), before + 1)

        r = self.post(client, reverse("api:matters"), self.body("李四"), key="intake-42")
        self.assertError(r, 409, "idempotency_conflict")
        self.assertEqual(Matter.objects.count(), before + 1)

    def test_the_action_key_holds_even_without_our_record(self) -> None:
        client = self.as_user(self.sm_clerk)
        first = self.post(client, reverse("api:matters"), self.body(), key="intake-43").json()
        IdempotencyRecord.objects.all().delete()  # e.g. lost: the action's own idempotency key still holds
        again = self.post(client, reverse("api:matters"), self.body(), key="intake-43").json()
        self.assertFalse(again["created"])
        self.assertEqual(again["matters"][0]["tracking_no"], first["matters"][0]["tracking_no"])

    def test_same_key_from_another_user_is_another_request(self) -> None:
        self.post(self.as_user(self.sm_clerk), reverse("api:matters"), self.body(), key="k")
        r = self.post(self.as_user(self.sm_supervisor), reverse("api:matters"), self.body(), key="k")
        self.assertNotEqual(r.status_code, 409)


class PersonalDataTestCase(ApiTestCase):
    def test_detail_is_masked_and_reveal_is_logged_for_permitted_roles_only(self) -> None:
        matter = self.submit(person=self.person(name="张三", phone="13912345678"))
        url = reverse("api:matter", args=[matter.pk])
        handler = self.as_user(self.sm_handler)
        masked = handler.get(url).json()
        self.assertFalse(masked["personal_data_revealed"])
        self.assertEqual(masked["person"]["name"], "张*")
        self.assertNotIn("13912345678", str(masked))
        self.assertFalse(AccessLog.objects.exists())

        r = handler.get(url, {"reveal": "true", "purpose": "联系服务对象"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Cache-Control"], "no-store")
        full = r.json()
        self.assertTrue(full["personal_data_revealed"])
        self.assertEqual((full["person"]["name"], full["person"]["phone"]), ("张三", "13912345678"))
        log = AccessLog.objects.get()
        self.assertEqual((log.user, log.matter, log.purpose), (self.sm_handler, matter, "联系服务对象"))

        unit_admin = self.as_user(self.sm_admin)  # sees the matter, but not personal data
        self.assertEqual(unit_admin.get(url).status_code, 200)
        r = unit_admin.get(url, {"reveal": "true"})
        self.assertError(r, 403, "permission_denied")
        self.assertEqual(AccessLog.objects.count(), 1)


class SuperviseScopeTestCase(ApiTestCase):
    """Issue 13: the staff list applies matters.supervise as the console's 全部事项 does."""

    def test_a_bureau_handler_without_supervise_gets_only_their_units_matters(self) -> None:
        from fawang.accounts.models import User
        from fawang.orgs.models import Membership

        matter = self.submit()  # 思明区, at a centre: visible through the 思明区司法局's region subtree
        bureau = self.unit("siming.bureau")
        handler = User.objects.create_user(
            "bureau_handler", password="x-Long-pass-2026", kind=User.Kind.STAFF
        )
        Membership.objects.create(user=handler, unit=bureau, role=Membership.Role.HANDLER)
        self.assertTrue(Matter.objects.visible_to(handler).filter(pk=matter.pk).exists())

        def listed(user: User) -> list[str]:
            body = self.as_user(user).get(reverse("api:matters"), {"page_size": 100}).json()
            return [m["tracking_no"] for m in body["results"]]

        self.client.force_login(handler)
        self.assertEqual(self.client.get(reverse("matters:list")).status_code, 403)
        self.assertNotIn(matter.tracking_no, listed(handler))
        self.assertIn(matter.tracking_no, listed(self.sm_supervisor))
