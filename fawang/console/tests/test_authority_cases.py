"""The cases of issue 12 ("Authority by unit"), each tried as the probe tried it: through the console's and the
API's URLs, with memberships any unit admin could create. docs/authority.md is the rule they check."""

from __future__ import annotations

from typing import ClassVar

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from fawang.accounts.models import User
from fawang.apikit.models import ApiToken
from fawang.matters.models import AccessLog, Matter
from fawang.matters.tests.base import MatterTestCase, id_number
from fawang.orgs.models import CreditRecord, Membership, Unit


class AuthorityCasesTestCase(MatterTestCase):
    firm: ClassVar[Unit]
    other_firm: ClassVar[Unit]
    committee: ClassVar[Unit]  # 厦港街道人民调解委员会
    hotline: ClassVar[Unit]  # 厦门市12345
    notary: ClassVar[Unit]
    prison: ClassVar[Unit]
    firm_handler: ClassVar[User]
    firm_admin: ClassVar[User]
    firm_staff: ClassVar[User]
    aid_handler: ClassVar[User]
    aid_admin: ClassVar[User]
    agent_12345: ClassVar[User]
    notary_clerk: ClassVar[User]
    prison_clerk: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        firms = list(Unit.objects.filter(kind=Unit.Kind.LAW_FIRM, region_id="350203").order_by("pk")[:2])
        cls.firm, cls.other_firm = firms
        cls.committee = cls.unit("siming.xiagang.committee")
        cls.hotline = Unit.objects.get(kind=Unit.Kind.HOTLINE, hotline_number="12345")
        cls.notary = cls.unit("xiamen.notary")
        cls.prison = cls.unit("xiamen.prison")
        cls.firm_handler = cls.staff("firm-handler", cls.firm, Membership.Role.HANDLER)
        cls.firm_admin = cls.staff("firm-admin", cls.firm, Membership.Role.UNIT_ADMIN)
        cls.firm_staff = cls.staff("firm-staff", cls.firm, Membership.Role.WINDOW_CLERK)
        cls.aid_handler = cls.staff("aid-handler", cls.sm_legal_aid, Membership.Role.HANDLER)
        cls.aid_admin = cls.staff("aid-admin", cls.sm_legal_aid, Membership.Role.UNIT_ADMIN)
        cls.agent_12345 = cls.staff("agent-12345", cls.hotline, Membership.Role.HOTLINE_AGENT)
        cls.notary_clerk = cls.staff("notary-clerk", cls.notary, Membership.Role.WINDOW_CLERK)
        cls.prison_clerk = cls.staff("prison-clerk", cls.prison, Membership.Role.WINDOW_CLERK)

    @staticmethod
    def staff(username: str, unit: Unit, role: str) -> User:
        user = User.objects.create_user(username, kind=User.Kind.STAFF, display_name=username)
        Membership.objects.create(user=user, unit=unit, role=role)
        return user

    def matter_at(self, unit: Unit, seq: str) -> Matter:
        """A Siming matter sent to ``unit`` (its current unit, 办理机构)."""
        matter = self.submit(person=self.person(name="李四", id_number=id_number(seq=seq)))
        Matter.objects.filter(pk=matter.pk).update(unit=unit)
        return self.reload(matter)

    def console(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def api(self, user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, '测试')[1]}")
        return client

    def api_numbers(self, user: User) -> set[str]:
        body = self.api(user).get(reverse("api:matters"), {"page_size": 100}).json()
        self.assertLessEqual(body["count"], 100)
        return {row["tracking_no"] for row in body["results"]}

    # --- a law firm's 承办人 -----------------------------------------------------------------------------------

    def test_a_law_firm_handler_sees_only_what_was_sent_to_the_firm(self) -> None:
        sent = self.matter_at(self.firm, "201")
        centre = self.matter_at(self.sm_centre, "202")
        aid = self.matter_at(self.sm_legal_aid, "203")
        other = self.matter_at(self.other_firm, "204")
        self.assertEqual(self.api_numbers(self.firm_handler), {sent.tracking_no})
        client = self.console(self.firm_handler)
        self.assertEqual(client.get(reverse("matters:detail", args=[sent.pk])).status_code, 200)
        for matter in (centre, aid, other):
            self.assertEqual(client.get(reverse("matters:detail", args=[matter.pk])).status_code, 404)
            response = client.post(reverse("matters:reveal", args=[matter.pk]), {"purpose": "联系服务对象"})
            self.assertEqual(response.status_code, 404)
            self.assertNotIn(matter.person.id_number, response.content.decode())
            response = client.post(reverse("matters:act", args=[matter.pk]), {"action": "accept"})
            self.assertEqual(response.status_code, 404)
            self.assertEqual(Matter.objects.get(pk=matter.pk).status, matter.status)
        self.assertFalse(AccessLog.objects.exists())
        # What was sent to the firm, the firm's handler may reveal (and it is logged).
        response = client.post(reverse("matters:reveal", args=[sent.pk]), {"purpose": "联系服务对象"})
        self.assertContains(response, sent.person.id_number)
        self.assertEqual(list(AccessLog.objects.values_list("matter_id", flat=True)), [sent.pk])

    # --- institutions listing through the API -----------------------------------------------------------------

    def test_the_12345_notary_and_prison_api_lists_hold_only_what_was_sent_to_them(self) -> None:
        at_unit = {unit.pk: self.matter_at(unit, f"3{i}1") for i, unit in enumerate(self.institutions())}
        elsewhere = self.matter_at(self.sm_centre, "399")
        for user, unit in zip(
            (self.agent_12345, self.notary_clerk, self.prison_clerk), self.institutions(), strict=True
        ):
            with self.subTest(unit=unit.name):
                self.assertEqual(self.api_numbers(user), {at_unit[unit.pk].tracking_no})
                response = self.api(user).get(
                    reverse("api:matter", args=[elsewhere.pk]), {"reveal": "true", "purpose": "回访"}
                )
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(elsewhere.person.id_number, response.content.decode())
        self.assertFalse(AccessLog.objects.filter(matter=elsewhere).exists())

    def institutions(self) -> tuple[Unit, Unit, Unit]:
        return (self.hotline, self.notary, self.prison)

    # --- a law firm's 单位管理员 ------------------------------------------------------------------------------

    def test_a_firm_admin_grants_inside_the_firm_only(self) -> None:
        client = self.console(self.firm_admin)
        grant = reverse("console:staff_grant", args=[self.firm_staff.pk])
        # Inside the firm, to someone else: allowed (the control that the refusals below are about authority).
        response = client.post(grant, {"unit": self.firm.pk, "role": Membership.Role.HANDLER})
        self.assertRedirects(response, reverse("console:staff_detail", args=[self.firm_staff.pk]))
        self.assertTrue(
            Membership.objects.filter(
                user=self.firm_staff, unit=self.firm, role=Membership.Role.HANDLER
            ).exists()
        )
        for unit in (self.other_firm, self.sm_bureau, self.sm_centre):
            response = client.post(grant, {"unit": unit.pk, "role": Membership.Role.HANDLER})
            self.assertEqual(response.status_code, 400)
            self.assertFalse(Membership.objects.filter(user=self.firm_staff, unit=unit).exists())
        response = client.post(
            reverse("console:staff_create"),
            {
                "unit": self.sm_bureau.pk,
                "username": "planted",
                "display_name": "某某",
                "phone": "",
                "password": "a-Long-pass-2026",
                "role": Membership.Role.SUPERVISOR,
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(User.objects.filter(username="planted").exists())
        # Staff of other units are not even seen.
        self.assertEqual(
            client.get(reverse("console:staff_detail", args=[self.sm_admin.pk])).status_code, 404
        )

    def test_a_firm_admin_cannot_make_themselves_supervisor_of_the_bureau(self) -> None:
        client = self.console(self.firm_admin)
        grant = reverse("console:staff_grant", args=[self.firm_admin.pk])
        for unit in (self.sm_bureau, self.firm):
            response = client.post(grant, {"unit": unit.pk, "role": Membership.Role.SUPERVISOR})
            self.assertEqual(response.status_code, 400)
        self.assertEqual(
            list(Membership.objects.filter(user=self.firm_admin).values_list("unit_id", "role")),
            [(self.firm.pk, Membership.Role.UNIT_ADMIN)],
        )

    def test_a_firm_admin_cannot_record_credit(self) -> None:
        client = self.console(self.firm_admin)
        data = {"kind": "penalty", "title": "警告", "authority": "思明区司法局", "decided_on": "2025-06-01"}
        self.assertEqual(
            client.post(reverse("console:unit_credit_add", args=[self.other_firm.pk]), data).status_code, 404
        )
        self.assertEqual(
            client.post(reverse("console:unit_credit_add", args=[self.firm.pk]), data).status_code, 403
        )
        self.assertFalse(CreditRecord.objects.filter(title="警告").exists())

    def test_a_firm_admin_cannot_switch_off_the_bureau_admin_nor_open_the_bureau_settings(self) -> None:
        client = self.console(self.firm_admin)
        bureau_admin = Membership.objects.get(
            user=self.sm_admin, unit=self.sm_bureau, role=Membership.Role.UNIT_ADMIN
        )
        for name, data in (
            ("console:membership_set_active", {"active": "0"}),
            ("console:membership_revoke", {}),
        ):
            self.assertEqual(client.post(reverse(name, args=[bureau_admin.pk]), data).status_code, 404)
        bureau_admin.refresh_from_db()
        self.assertTrue(bureau_admin.is_active and bureau_admin.ended_at is None)
        self.assertEqual(client.get(reverse("console:unit_edit", args=[self.sm_bureau.pk])).status_code, 404)
        response = client.post(reverse("console:unit_edit", args=[self.sm_bureau.pk]), {"require_2fa": ""})
        self.assertEqual(response.status_code, 404)
        # Its own unit's settings it may open.
        self.assertEqual(client.get(reverse("console:unit_edit", args=[self.firm.pk])).status_code, 200)

    # --- a district legal-aid centre ------------------------------------------------------------------------

    def test_a_legal_aid_handler_cannot_act_on_the_bureaus_or_a_committees_matters(self) -> None:
        own = self.matter_at(self.sm_legal_aid, "501")
        client = self.console(self.aid_handler)
        for unit, seq in ((self.sm_bureau, "502"), (self.committee, "503"), (self.firm, "504")):
            matter = self.matter_at(unit, seq)
            with self.subTest(unit=unit.name):
                self.assertEqual(client.get(reverse("matters:detail", args=[matter.pk])).status_code, 404)
                response = client.post(reverse("matters:act", args=[matter.pk]), {"action": "accept"})
                self.assertEqual(response.status_code, 404)
                self.assertEqual(Matter.objects.get(pk=matter.pk).status, matter.status)
        response = client.post(
            reverse("matters:act", args=[own.pk]), {"action": "accept", "accept-note": "受理。"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Matter.objects.get(pk=own.pk).status, Matter.Status.ACCEPTED)

    def test_a_district_unit_admin_cannot_manage_the_bureau(self) -> None:
        client = self.console(self.aid_admin)
        self.assertEqual(client.get(reverse("console:unit_edit", args=[self.sm_bureau.pk])).status_code, 404)
        bureau_admin = Membership.objects.get(
            user=self.sm_admin, unit=self.sm_bureau, role=Membership.Role.UNIT_ADMIN
        )
        self.assertEqual(
            client.post(
                reverse("console:membership_set_active", args=[bureau_admin.pk]), {"active": "0"}
            ).status_code,
            404,
        )
        response = client.post(
            reverse("console:staff_grant", args=[self.aid_admin.pk]),
            {"unit": self.sm_bureau.pk, "role": Membership.Role.UNIT_ADMIN},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Membership.objects.filter(user=self.aid_admin, unit=self.sm_bureau).exists())
        # The bureau's admin does manage the centre below it.
        bureau = self.console(self.sm_admin)
        self.assertEqual(
            bureau.get(reverse("console:unit_edit", args=[self.sm_legal_aid.pk])).status_code, 200
        )

    # --- nobody raises their own rights ---------------------------------------------------------------------

    def test_nobody_grants_or_changes_their_own_roles(self) -> None:
        client = self.console(self.sm_admin)
        before = list(
            Membership.objects.filter(user=self.sm_admin).values_list("pk", "is_active", "ended_at")
        )
        response = client.post(
            reverse("console:staff_grant", args=[self.sm_admin.pk]),
            {"unit": self.station.pk, "role": Membership.Role.SUPERVISOR},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "不能为本人授予角色", status_code=400)
        own = Membership.objects.get(user=self.sm_admin, role=Membership.Role.UNIT_ADMIN)
        response = client.post(
            reverse("console:membership_set_active", args=[own.pk]), {"active": "0"}, follow=True
        )
        self.assertContains(response, "不能调整您本人的角色")
        after = list(Membership.objects.filter(user=self.sm_admin).values_list("pk", "is_active", "ended_at"))
        self.assertEqual(after, before)
