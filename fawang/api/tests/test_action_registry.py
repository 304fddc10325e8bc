"""The action registry (fawang.matters.registry) is the one definition of each action on a matter: every action
the console offers is an API endpoint too, and the same input has the same outcome through either; an action a
business line registers from its AppConfig.ready() shows up in both, with its own schema, without editing
matters."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import include, path, reverse
from drf_spectacular.generators import SchemaGenerator

from fawang.accounts.models import User
from fawang.api import matter_actions
from fawang.matters import actions, registry
from fawang.matters.models import Evaluation, Matter, MatterEvent
from fawang.matters.permissions import available_actions
from fawang.matters.tests.base import id_number

from . import lineapp
from .base import ApiTestCase


@dataclass
class Case:
    actor: str  # attribute name of the persona
    body: Callable[[ApiTestCase, Matter], dict[str, Any]]
    prepare: Callable[[ApiTestCase, Matter], None] = lambda t, m: None
    item: str = "legal_aid"
    extra: dict[str, Any] = field(default_factory=dict)


def _accepted(t: ApiTestCase, m: Matter) -> None:
    actions.do_accept(m.pk, actor=t.sm_handler)


def _awaiting(t: ApiTestCase, m: Matter) -> None:
    _accepted(t, m)
    actions.do_request_materials(m.pk, actor=t.sm_handler, missing=["身份证明"])


def _suspended(t: ApiTestCase, m: Matter) -> None:
    _accepted(t, m)
    actions.do_suspend(m.pk, actor=t.sm_handler, reason="等待鉴定意见")


def _completed(t: ApiTestCase, m: Matter) -> None:
    _accepted(t, m)
    actions.do_complete(m.pk, actor=t.sm_handler, result="已为其指派律师。")


def _by_visit(t: ApiTestCase, m: Matter) -> None:
    """Taken in as a request for a home visit (渠道：上门), where the matter page offers 安排上门 and 上门记录."""
    Matter.objects.filter(pk=m.pk).update(channel="visit")


def _by_telephone(t: ApiTestCase, m: Matter) -> None:
    """Taken in on the hotline (渠道：热线), where the matter page offers 转值班律师."""
    Matter.objects.filter(pk=m.pk).update(channel="hotline")


def _granted(t: ApiTestCase, m: Matter) -> None:
    """Granted and under way (指派 moves it to 办理中; the roster is the legal-aid line's own test)."""
    from fawang.legalaid import actions as aid_actions

    aid_actions.do_decide(m.pk, actor=t.sm_handler, grant=True, reasons="符合条件。", checklist=[])
    Matter.objects.filter(pk=m.pk).update(status=Matter.Status.IN_PROGRESS)


def _merge_body(t: ApiTestCase, m: Matter) -> dict[str, Any]:
    dupe = t.submit(person=t.person(id_number=m.person.id_number))
    return {"tracking_nos": dupe.tracking_no, "reason": "同一人重复申请"}


CASES: dict[str, Case] = {
    "accept": Case("sm_handler", lambda t, m: {"note": "材料齐全"}),
    "reject": Case("sm_handler", lambda t, m: {"reason": "不符合法律援助条件"}),
    "request_materials": Case("sm_handler", lambda t, m: {"other": "劳动合同\n工资条", "note": "请一并补交"}),
    "supply_materials": Case("sm_clerk", lambda t, m: {"note": "已当面补交"}, _awaiting),
    "assign": Case("sm_handler", lambda t, m: {"handler": t.sm_handler.pk, "note": "请尽快联系"}, _accepted),
    "complete": Case("sm_handler", lambda t, m: {"result": "已为其指派律师并结案"}, _accepted),
    "resume": Case("sm_handler", lambda t, m: {"note": "鉴定意见已出"}, _suspended),
    "comment": Case("sm_handler", lambda t, m: {"text": "已电话联系", "visible": True}),
    "transfer": Case("sm_handler", lambda t, m: {"unit": t.sm_centre.pk, "reason": "属中心办理"}),
    "change_item": Case("sm_handler", lambda t, m: {"service_item": t.consultation.pk, "reason": "实为咨询"}),
    "suspend": Case("sm_handler", lambda t, m: {"reason": "等待鉴定意见"}, _accepted),
    "escalate": Case("sm_handler", lambda t, m: {"reason": "久拖未决"}),
    "merge": Case("sm_handler", _merge_body),
    "rate": Case(
        "sm_clerk", lambda t, m: {"level": Evaluation.Level.SATISFIED, "comment": "很好"}, _completed
    ),
    "close": Case("sm_handler", lambda t, m: {"note": "回访完毕"}, _completed),
    "reopen": Case("sm_handler", lambda t, m: {"reason": "异议成立"}, _completed),
    "withdraw": Case("sm_clerk", lambda t, m: {"reason": "本人撤回申请"}),
    # fawang.frontdesk's 上门服务 (registered from its AppConfig.ready()).
    "schedule_home_visit": Case(
        "sm_handler",
        lambda t, m: {
            "group": "elderly",
            "asked_by": "relative",
            "address": "厦港街道沙坡尾 8 号",
            "scheduled_on": "2030-01-02",
            "visitor": t.sm_handler.pk,
        },
        _by_visit,
    ),
    "record_home_visit": Case(
        "sm_handler", lambda t, m: {"record": "上门解答遗嘱问题。", "follow_up": ""}, _by_visit
    ),
    # fawang.hotline's 转值班律师 (nobody is on duty at the station that took it in: it waits in its queue).
    "refer_to_duty": Case("sm_handler", lambda t, m: {"note": "请值班律师回电。"}, _by_telephone),
    # The legal-aid line's decisions (fawang/legalaid/line.py), each with its notice.
    "aid_grant": Case("sm_handler", lambda t, m: {"checklist": [], "reasons": "经济困难，符合条件。"}),
    "aid_refuse": Case("sm_handler", lambda t, m: {"checklist": [], "reasons": "不属于法律援助事项范围。"}),
    "aid_terminate": Case("sm_handler", lambda t, m: {"reasons": "受援人以欺骗手段获得法律援助。"}, _granted),
}


def console_data(code: str, body: dict[str, Any]) -> dict[str, Any]:
    """The action's form as the matter page posts it: prefixed names, ticked boxes as "on"."""
    data: dict[str, Any] = {"action": code}
    for name, value in body.items():
        if value is False:
            continue
        data[f"{code}-{name}"] = "on" if value is True else value
    return data


def outcome(matter: Matter) -> dict[str, Any]:
    matter = Matter.objects.get(pk=matter.pk)
    last = MatterEvent.objects.filter(matter=matter).order_by("-created_at", "-pk")[0]
    return {
        "status": matter.status,
        "unit": matter.unit_id,
        "handler": matter.handler_id,
        "item": matter.service_item_id,
        "result": matter.result,
        "event": (last.action, last.note, last.visible_to_person, last.actor_id, sorted(last.payload)),
        "events": list(matter.events.order_by("created_at", "pk").values_list("action", flat=True)),
        "rating": list(Evaluation.objects.filter(matter=matter).values_list("level", "comment")),
    }


class SameOutcomeTestCase(ApiTestCase):
    def test_every_registered_action_has_a_case_here(self) -> None:
        self.assertEqual({d.code for d in registry.all_actions()}, set(CASES))

    def test_every_action_through_the_console_and_the_api_ends_the_same(self) -> None:
        seq = 100
        for code, case in CASES.items():
            with self.subTest(code):
                defn = registry.get(code)
                assert defn is not None
                actor: User = getattr(self, case.actor)
                done = []
                for way in ("console", "api"):
                    seq += 1  # a person of their own for each matter (merge takes the person's duplicates)
                    matter = self.submit(person=self.person(id_number=id_number(seq=f"{seq:03d}")))
                    case.prepare(self, matter)
                    matter = self.reload(matter)
                    # The console offers the action to this persona in this status.
                    self.assertIn(code, [d.code for d in available_actions(actor, matter)])
                    body = case.body(self, matter)
                    if way == "console":
                        client = Client()
                        client.force_login(actor)
                        r = client.post(reverse("matters:act", args=[matter.pk]), console_data(code, body))
                        self.assertEqual(r.status_code, 302, r.content.decode()[:2000])
                        message = next(str(m) for m in get_messages(r.wsgi_request))
                    else:
                        url = reverse(f"api:matter_{code}", args=[matter.pk])
                        self.assertTrue(url.endswith(f"/actions/{defn.slug}/"))
                        r = self.post(self.as_user(actor), url, body)
                        self.assertEqual(r.status_code, 200, r.content.decode()[:2000])
                        message = r.json()["message"]
                    done.append((outcome(matter), message))
                (console, c_message), (api, a_message) = done
                self.assertEqual(console, api)
                self.assertEqual(
                    c_message.removesuffix("该事项已不在您的辖区内。"),
                    a_message.removesuffix("该事项已不在您的辖区内。"),
                )

    def test_a_bad_field_is_refused_the_same_way(self) -> None:
        matter = self.submit()
        client = Client()
        client.force_login(self.sm_handler)
        r = client.post(
            reverse("matters:act", args=[matter.pk]),
            {"action": "transfer", "transfer-unit": 10**8, "transfer-reason": "x"},
        )
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "只能转办给您辖区内在用的机构。", status_code=400)
        r = self.post(
            self.as_user(self.sm_handler),
            reverse("api:matter_transfer", args=[matter.pk]),
            {"unit": 10**8, "reason": "x"},
        )
        self.assertEqual(
            self.assertError(r, 400, "invalid")["fields"], {"unit": ["只能转办给您辖区内在用的机构。"]}
        )
        self.assertEqual(self.events(matter), ["submit"])


class LineActionTestCase(ApiTestCase):
    """An action registered by another app's AppConfig.ready() (fawang/api/tests/lineapp.py)."""

    def setUp(self) -> None:
        super().setUp()
        lineapp.LineConfig("fawang.api.tests.lineapp", sys.modules[lineapp.__name__]).ready()
        self.addCleanup(registry.unregister, "record_visit")

    def test_the_console_offers_it_where_its_moves_and_capability_allow(self) -> None:
        matter = self.submit()
        self.assertNotIn("record_visit", [d.code for d in available_actions(self.sm_handler, matter)])
        actions.do_accept(matter.pk, actor=self.sm_handler)
        matter = self.reload(matter)
        codes = [d.code for d in available_actions(self.sm_handler, matter)]
        self.assertLess(codes.index("record_visit"), codes.index("comment"))  # registered before="comment"
        self.assertNotIn("record_visit", [d.code for d in available_actions(self.sm_clerk, matter)])
        client = Client()
        client.force_login(self.sm_handler)
        page = client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, 'id="action-record_visit"')
        self.assertContains(page, "走访地点")
        r = client.post(
            reverse("matters:act", args=[matter.pk]), {"action": "record_visit", "record_visit-place": ""}
        )
        self.assertContains(r, "请填写走访地点。", status_code=400)
        r = client.post(
            reverse("matters:act", args=[matter.pk]),
            {"action": "record_visit", "record_visit-place": "厦港街道"},
        )
        self.assertRedirects(r, reverse("matters:detail", args=[matter.pk]), fetch_redirect_response=False)
        self.assertEqual(matter.events.order_by("-pk")[0].note, "上门走访：厦港街道")

    def test_the_api_offers_it_too_and_refuses_it_where_its_moves_do_not_start(self) -> None:
        matter = self.submit()
        handler = self.as_user(self.sm_handler)
        url = f"/api/v1/matters/{matter.pk}/actions/record-visit/"
        r = self.post(handler, url, {"place": "厦港街道"})
        self.assertError(r, 400, "invalid_transition", "不能登记走访")
        actions.do_accept(matter.pk, actor=self.sm_handler)
        r = self.post(handler, url, {})
        self.assertEqual(self.assertError(r, 400, "invalid")["fields"], {"place": ["请填写走访地点。"]})
        r = self.post(self.as_user(self.sm_clerk), url, {"place": "厦港街道"})
        self.assertError(r, 403, "permission_denied")
        r = self.post(handler, url, {"place": "厦港街道"})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(
            (r.json()["message"], r.json()["events"][-1]["note"]), ("已登记走访。", "上门走访：厦港街道")
        )
        self.assertError(
            self.post(handler, f"/api/v1/matters/{matter.pk}/actions/no-such-thing/", {}), 404, "not_found"
        )

    def test_its_endpoint_is_documented_with_its_own_body(self) -> None:
        patterns = [path("api/v1/", include((matter_actions.urlpatterns(), "api")))]
        document = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
        operation = document["paths"]["/api/v1/matters/{id}/actions/record-visit/"]["post"]
        self.assertEqual(operation["summary"], "登记走访")
        self.assertIn("可在以下状态办理：已受理、办理中。", operation["description"])
        self.assertIn("仅工作人员可见", operation["description"])
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        self.assertEqual(set(body["properties"]), {"place"})
        self.assertEqual(body["required"], ["place"])
        # The core actions are there as well, each with the fields of its form.
        assign = document["paths"]["/api/v1/matters/{id}/actions/assign/"]["post"]
        ref = assign["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        self.assertEqual(
            set(document["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"]), {"handler", "note"}
        )

    def test_a_code_taken_by_another_definition_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            registry.register(
                registry.ActionDef(
                    "accept", "另一个受理", ("matters.handle",), lineapp.VisitForm, lineapp.record_visit
                )
            )
