"""The staff's mediation API: reading cases, findings and warnings in scope, and the key actions through the same
action functions as the console."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from fawang.apikit.models import ApiToken

from .. import actions
from ..models import Case, RiskWarning, Session
from .base import MediationTestCase


class StaffApiTestCase(MediationTestCase):
    seq = 0

    def api(self, user: Any) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, '测试')[1]}")
        return client

    def post(self, client: APIClient, name: str, pk: int, data: dict[str, Any]) -> Any:
        StaffApiTestCase.seq += 1
        return client.post(
            reverse(name, args=[pk]), data, format="json", HTTP_IDEMPOTENCY_KEY=f"med-api-{self.seq}"
        )

    def test_cases_in_scope_with_masked_personal_data(self) -> None:
        case = self.new_case()
        other = self.new_case(unit=self.sibling, actor=self.sibling_user)
        for user, mine, theirs in (
            (self.mediator_user, True, False),
            (self.office_user, True, False),
            (self.sm_supervisor, True, True),
            (self.hl_supervisor, False, False),
        ):
            numbers = {
                row["number"] for row in self.api(user).get(reverse("api:mediation_cases")).json()["results"]
            }
            self.assertEqual((case.number in numbers, other.number in numbers), (mine, theirs), user)
        client = self.api(self.office_user)
        self.assertEqual(client.get(reverse("api:mediation_case", args=[other.pk])).status_code, 404)
        detail = client.get(reverse("api:mediation_case", args=[case.pk])).json()
        self.assertEqual([p["name"] for p in detail["parties"]], ["赵一", "钱二"])
        self.assertEqual(detail["parties"][0]["phone"], "139****1111")
        self.assertNotIn("13900001111", str(detail))
        rows = client.get(reverse("api:mediation_cases"), {"status": "agreed"}).json()["results"]
        self.assertNotIn(case.number, {row["number"] for row in rows})

    def test_consent_sessions_and_termination(self) -> None:
        case = self.new_case()
        client = self.api(self.mediator_user)
        for party in case.parties.all():
            response = self.post(
                client, "api:mediation_case_consent", case.pk, {"party": party.pk, "consent": "agrees"}
            )
            self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "mediating")
        actions.assign_mediator(case.pk, actor=self.mediator_user, mediator_id=self.m1.pk)
        body = {
            "held_on": self.today().isoformat(),
            "place": "调解室",
            "attendees": "双方",
            "content": "第一次调解",
        }
        response = self.post(client, "api:mediation_case_session", case.pk, body)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(Session.objects.get(case=case).content, "第一次调解")
        response = self.post(
            client, "api:mediation_case_session", case.pk, body | {"held_on": "2999-01-01", "content": "将来"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["message"], "调解日期不能晚于今天。")
        response = self.post(
            client, "api:mediation_case_terminate", case.pk, {"reason": "分歧大", "routes": ""}
        )
        self.assertEqual(response.status_code, 400)
        response = self.post(
            client,
            "api:mediation_case_terminate",
            case.pk,
            {"reason": "分歧大", "routes": "可向人民法院起诉。"},
        )
        self.assertEqual((response.status_code, response.json()["status"]), (200, "terminated"))
        self.assertEqual(response.json()["routes_told"], "可向人民法院起诉。")

    def test_a_refusal_through_the_api_ends_the_case(self) -> None:
        case = self.new_case()
        respondent = case.parties.get(role="respondent")
        response = self.post(
            self.api(self.mediator_user),
            "api:mediation_case_consent",
            case.pk,
            {"party": respondent.pk, "consent": "refuses"},
        )
        self.assertEqual(response.json()["status"], Case.Status.REFUSED)

    def test_a_supervisor_reads_but_does_not_work_a_case(self) -> None:
        case = self.new_case()
        party = case.parties.first()
        assert party is not None
        client = self.api(self.sm_supervisor)
        self.assertEqual(client.get(reverse("api:mediation_case", args=[case.pk])).status_code, 200)
        response = self.post(
            client, "api:mediation_case_consent", case.pk, {"party": party.pk, "consent": "agrees"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(case.parties.get(pk=party.pk).consent, "pending")

    def test_warnings_and_screenings(self) -> None:
        screening = actions.record_screening(
            actor=self.mediator_user,
            unit=self.committee,
            screened_on=self.today(),
            round="monthly",
            parties="王某与李某",
            dispute_type="land",
            place="某村",
            people_count=2,
            summary="扬言报复。",
            risk_level="high",
            risk_reasons=["threats"],
        )
        warning = RiskWarning.objects.get(screening=screening)
        client = self.api(self.sm_supervisor)
        rows = client.get(reverse("api:mediation_screenings")).json()["results"]
        self.assertIn(screening.pk, {row["id"] for row in rows})
        rows = client.get(reverse("api:mediation_warnings")).json()["results"]
        self.assertIn(warning.pk, {row["id"] for row in rows})
        self.assertEqual(
            self.api(self.hl_supervisor).get(reverse("api:mediation_warning", args=[warning.pk])).status_code,
            404,
        )
        response = self.post(client, "api:mediation_warning_check", warning.pk, {"note": "已约谈双方"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(warning.checks.get().note, "已约谈双方")
        response = self.post(client, "api:mediation_warning_lower", warning.pk, {"note": "已达成和解"})
        self.assertEqual((response.status_code, response.json()["status"]), (200, "lowered"))
        self.assertNotIn(
            warning.pk, {row["id"] for row in client.get(reverse("api:mediation_warnings")).json()["results"]}
        )
        rows = client.get(reverse("api:mediation_warnings"), {"all": "true"}).json()["results"]
        self.assertIn(warning.pk, {row["id"] for row in rows})

    def test_the_schema_tags_the_endpoints_in_ascii(self) -> None:
        schema = self.client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
        operation = schema["paths"]["/api/v1/mediation/cases/"]["get"]
        self.assertEqual(operation["tags"], ["mediation"])

    def test_recording_a_finding_and_raising_a_warning(self) -> None:
        client = self.api(self.mediator_user)
        StaffApiTestCase.seq += 1
        response = client.post(
            reverse("api:mediation_screening_new"),
            {
                "unit": self.committee.pk,
                "screened_on": self.today().isoformat(),
                "round": "sensitive",
                "parties": "欧某与陈某",
                "dispute_type": "neighbour",
                "place": "厦港街道",
                "people_count": 2,
                "summary": "噪音纠纷，陈某曾动手。",
                "risk_level": "high",
                "risk_reasons": ["violence"],
            },
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"med-api-{self.seq}",
        )
        self.assertEqual(response.status_code, 201)
        warning = RiskWarning.objects.get(screening_id=response.json()["id"])
        self.assertEqual(response.json()["warning_ids"], [warning.pk])
        # At a unit it does not reach: 404; at one that is not a committee: the action's message.
        StaffApiTestCase.seq += 1
        response = self.api(self.office_user).post(
            reverse("api:mediation_warning_new"),
            {"unit": self.sibling.pk, "kind": "group", "summary": "x"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"med-api-{self.seq}",
        )
        self.assertEqual(response.status_code, 404)
        StaffApiTestCase.seq += 1
        response = self.api(self.sm_supervisor).post(
            reverse("api:mediation_warning_new"),
            {"unit": self.unit("siming.legal_aid").pk, "kind": "group", "summary": "x"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"med-api-{self.seq}",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("人民调解委员会、司法所或司法局", response.json()["error"]["message"])
        StaffApiTestCase.seq += 1
        response = self.api(self.sm_supervisor).post(
            reverse("api:mediation_warning_new"),
            {"unit": self.office.pk, "kind": "petition", "summary": "重复信访。", "told_bodies": "区信访局"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"med-api-{self.seq}",
        )
        self.assertEqual((response.status_code, response.json()["unit"]), (201, "厦港街道司法所"))
        self.assertEqual(RiskWarning.objects.get(pk=response.json()["id"]).raised_by, self.sm_supervisor)

    def test_a_warning_becomes_a_case_through_the_api(self) -> None:
        warning = actions.raise_warning(
            actor=self.office_user, unit=self.office, kind="group", summary="业主与物业公司纠纷，聚集风险。"
        )
        client = self.api(self.office_user)
        body = {
            "dispute_type": "property",
            "parties": [
                {"role": "applicant", "name": "业主甲"},
                {"role": "applicant", "name": "业主乙"},
                {"role": "respondent", "name": "某物业公司"},
            ],
        }
        response = self.post(client, "api:mediation_warning_case", warning.pk, body)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["error"]["fields"]["committee"], ["请选择受理调解的人民调解委员会。"]
        )
        response = self.post(
            client, "api:mediation_warning_case", warning.pk, body | {"committee": self.sibling.pk}
        )
        self.assertEqual(response.status_code, 404)  # a committee the 司法所 does not reach
        response = self.post(
            client, "api:mediation_warning_case", warning.pk, body | {"committee": self.committee.pk}
        )
        self.assertEqual(response.status_code, 201)
        case = Case.objects.get(pk=response.json()["id"])
        self.assertEqual([p["name"] for p in response.json()["parties"]], ["业主甲", "业主乙", "某物业公司"])
        self.assertEqual(response.json()["warning_ids"], [warning.pk])
        self.assertEqual((case.unit, RiskWarning.objects.get(pk=warning.pk).case), (self.committee, case))
        detail = client.get(reverse("api:mediation_warning", args=[warning.pk])).json()
        self.assertEqual((detail["case_id"], detail["case_number"]), (case.pk, case.number))
