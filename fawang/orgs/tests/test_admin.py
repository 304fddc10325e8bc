"""The back office of units and roles: edits go through the audited actions, what the console keeps is
read-only, and nothing is deleted."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from fawang.audit.testing import new_audit_rows
from fawang.orgs.models import AdvisorAssignment, CreditRecord, Membership, Practitioner, Unit, Window
from fawang.test import SIMING, BaseTestCase, admin_form_data


class OrgsAdminTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.sysadmin)

    def test_a_unit_change_goes_through_the_action(self) -> None:
        unit = Unit.objects.filter(kind=Unit.Kind.STATION, region__parent_id=SIMING).order_by("pk")[0]
        url = reverse("admin:orgs_unit_change", args=[unit.pk])
        data = admin_form_data(self.client.get(url))
        data["require_2fa"] = "on"
        data["name"] = unit.name + "（新址）"
        # A forged edit of a read-only inline (the unit's windows) is ignored.
        numbers = sorted(unit.windows.values_list("number", flat=True))
        self.assertIn("windows-0-number", data)
        data["windows-0-number"] = "99"
        with new_audit_rows() as rows:
            response = self.client.post(url, data)
        self.assertRedirects(response, reverse("admin:orgs_unit_changelist"))
        (row,) = rows
        self.assertEqual(
            (row.action, row.actor, row.unit_id, row.before, row.after),
            (
                "orgs.update_unit",
                self.sysadmin,
                unit.pk,
                {"name": unit.name, "require_2fa": False},
                {"name": unit.name + "（新址）", "require_2fa": True},
            ),
        )
        self.assertTrue(Unit.objects.get(pk=unit.pk).require_2fa)
        self.assertEqual(sorted(unit.windows.values_list("number", flat=True)), numbers)

    def test_a_unit_is_added_through_the_action_and_never_deleted(self) -> None:
        bureau = self.unit("siming.bureau")
        url = reverse("admin:orgs_unit_add")
        data = admin_form_data(self.client.get(url))
        data.update(
            {"name": "思明区某人民调解委员会", "kind": "mediation", "region": SIMING, "parent": bureau.pk}
        )
        data["is_active"] = "on"
        with new_audit_rows() as rows:
            response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        unit = Unit.objects.get(name="思明区某人民调解委员会")
        (row,) = rows
        self.assertEqual(
            (row.action, row.target_id, row.unit_id), ("orgs.create_unit", str(unit.pk), unit.pk)
        )
        self.assertEqual(row.after["parent"], "思明区司法局")
        self.assertEqual(self.client.get(reverse("admin:orgs_unit_delete", args=[unit.pk])).status_code, 403)

    def test_what_the_console_keeps_is_read_only_here(self) -> None:
        window = Window.objects.order_by("pk")[0]
        record = CreditRecord.objects.create(
            practitioner=Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER).order_by("pk")[0],
            kind=CreditRecord.Kind.REWARD,
            title="年度优秀村（居）法律顾问",
            authority="厦门市司法局",
            decided_on=dt.date(2025, 1, 10),
        )
        assignment = AdvisorAssignment.objects.order_by("pk")[0]
        for model, obj in (("window", window), ("creditrecord", record), ("advisorassignment", assignment)):
            with self.subTest(model=model):
                change = reverse(f"admin:orgs_{model}_change", args=[obj.pk])
                self.assertEqual(self.client.get(change).status_code, 200)  # shown
                self.assertEqual(self.client.post(change, {}).status_code, 403)
                self.assertEqual(self.client.get(reverse(f"admin:orgs_{model}_add")).status_code, 403)
                self.assertEqual(
                    self.client.post(
                        reverse(f"admin:orgs_{model}_delete", args=[obj.pk]), {"post": "yes"}
                    ).status_code,
                    403,
                )
        self.assertTrue(Window.objects.filter(pk=window.pk).exists())

    def test_roles_are_granted_and_ended_through_the_actions(self) -> None:
        bureau = self.unit("siming.bureau")
        with new_audit_rows() as rows:
            response = self.client.post(
                reverse("admin:orgs_membership_add"),
                {
                    "user": self.sm_admin.pk,
                    "unit": bureau.pk,
                    "role": Membership.Role.SYSTEM_ADMIN,
                    "title": "",
                },
            )
        self.assertEqual(response.status_code, 302)
        m = Membership.objects.get(user=self.sm_admin, role=Membership.Role.SYSTEM_ADMIN)
        (row,) = rows
        self.assertEqual(
            (row.action, row.actor, row.person, row.after),
            ("orgs.grant_role", self.sysadmin, self.sm_admin, {"role": "system_admin"}),
        )

        change = reverse("admin:orgs_membership_change", args=[m.pk])
        self.assertEqual(self.client.post(change, {"role": Membership.Role.HANDLER}).status_code, 403)
        delete = reverse("admin:orgs_membership_delete", args=[m.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)

        with new_audit_rows() as rows:
            self.client.post(
                reverse("admin:orgs_membership_changelist"), {"action": "revoke", "_selected_action": [m.pk]}
            )
        m.refresh_from_db()
        self.assertEqual((m.is_active, m.ended_by), (False, self.sysadmin))
        self.assertEqual([r.action for r in rows], ["orgs.revoke_role"])

    def test_nobody_grants_themselves_a_role_here(self) -> None:
        with new_audit_rows() as rows:
            response = self.client.post(
                reverse("admin:orgs_membership_add"),
                {
                    "user": self.sysadmin.pk,
                    "unit": self.unit("siming.bureau").pk,
                    "role": Membership.Role.SUPERVISOR,
                },
                follow=True,
            )
        self.assertContains(response, "不能为本人授予角色，请由其他系统管理员办理。")
        self.assertEqual(rows, [])
        self.assertFalse(
            Membership.objects.filter(user=self.sysadmin, role=Membership.Role.SUPERVISOR).exists()
        )

    def test_a_practitioner_edit_goes_through_the_action(self) -> None:
        lawyer = Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER, unit__region_id=SIMING).order_by(
            "pk"
        )[0]
        url = reverse("admin:orgs_practitioner_change", args=[lawyer.pk])
        data = admin_form_data(self.client.get(url))
        data["licence_status"] = Practitioner.LicenceStatus.SUSPENDED
        with new_audit_rows() as rows:
            self.assertRedirects(self.client.post(url, data), reverse("admin:orgs_practitioner_changelist"))
        self.assertEqual(
            [(r.action, r.unit_id, r.before, r.after) for r in rows],
            [
                (
                    "orgs.update_practitioner",
                    lawyer.unit_id,
                    {"licence_status": "practising"},
                    {"licence_status": "suspended"},
                )
            ],
        )
        delete = reverse("admin:orgs_practitioner_delete", args=[lawyer.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
