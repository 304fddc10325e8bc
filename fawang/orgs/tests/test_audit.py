"""Every write of fawang/orgs/actions.py leaves exactly one audit row, in its transaction, with who did it, what
it concerned and the fields before and after; a failed action leaves none; revoking a role ends it."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone

from fawang.accounts.models import User
from fawang.audit.middleware import AuditMiddleware
from fawang.audit.models import AuditEvent
from fawang.audit.testing import new_audit_rows
from fawang.orgs import actions
from fawang.orgs.models import (
    AdvisorAssignment,
    CreditRecord,
    Function,
    Membership,
    Practitioner,
    Unit,
    Window,
)
from fawang.orgs.scoping import active_memberships
from fawang.regions.models import Region
from fawang.test import SIMING, BaseTestCase


def local(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else None


class OrgsAuditTestCase(BaseTestCase):
    station: ClassVar[Unit]
    bureau: ClassVar[Unit]
    village: ClassVar[Region]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        station = (
            Unit.objects.filter(kind=Unit.Kind.STATION, region__parent_id=SIMING)
            .order_by("region_id")
            .first()
        )
        assert station is not None
        cls.station = station
        cls.bureau = cls.unit("siming.bureau")
        village = station.region.children.order_by("code").first()
        assert village is not None
        cls.village = village

    def one(self, rows: list[AuditEvent], action: str) -> AuditEvent:
        self.assertEqual([r.action for r in rows], [action])
        return rows[0]

    # --- units and windows

    def test_update_unit_records_only_what_changed(self) -> None:
        unit = self.station
        old_functions = sorted(unit.functions.values_list("name", flat=True))
        with new_audit_rows() as rows:
            actions.update_unit(
                unit.pk,
                actor=self.sm_admin,
                address=unit.address,  # unchanged: not in the row
                opening_hours="工作日 9:00-17:00",
                require_2fa=True,
                functions=list(Function.objects.filter(code__in=["mediation", "legal_aid"])),
            )
        row = self.one(rows, "orgs.update_unit")
        self.assertEqual(
            (
                row.actor,
                row.actor_name,
                row.label,
                row.unit_id,
                row.target_type,
                row.target_id,
                row.target_name,
            ),
            (self.sm_admin, "sm_admin", "修改机构信息", unit.pk, "orgs.unit", str(unit.pk), unit.name),
        )
        self.assertEqual(
            row.before,
            {"opening_hours": unit.opening_hours, "require_2fa": False, "functions": old_functions},
        )
        self.assertEqual(
            row.after,
            {
                "opening_hours": "工作日 9:00-17:00",
                "require_2fa": True,
                "functions": ["人民调解", "法律援助"],
            },
        )
        # Saving the same values again changes nothing and writes nothing.
        with new_audit_rows() as rows:
            actions.update_unit(unit.pk, actor=self.sm_admin, require_2fa=True)
        self.assertEqual(rows, [])

    def test_windows(self) -> None:
        with new_audit_rows() as rows:
            window = actions.add_window(
                self.station.pk, actor=self.sm_admin, kind="legal_aid", number=9, name="援助"
            )
        row = self.one(rows, "orgs.add_window")
        self.assertEqual(
            (row.target_type, row.target_id, row.unit_id), ("orgs.window", str(window.pk), self.station.pk)
        )
        self.assertEqual(row.target_name, "9 号窗口 · 法律援助岗")
        self.assertEqual(
            (row.before, row.after),
            ({}, {"number": 9, "kind": "legal_aid", "name": "援助", "is_active": True}),
        )
        with new_audit_rows() as rows:
            actions.set_window_active(window.pk, actor=self.sm_admin, active=False)
            actions.set_window_active(window.pk, actor=self.sm_admin, active=False)  # already off: no row
        row = self.one(rows, "orgs.set_window_active")
        self.assertEqual((row.before, row.after), ({"is_active": True}, {"is_active": False}))

    def test_a_refused_or_failed_action_leaves_no_row(self) -> None:
        with new_audit_rows() as rows:
            actions.add_window(self.station.pk, actor=self.sm_admin, kind="reception", number=9)
            with self.assertRaises(ValidationError):
                actions.add_window(self.station.pk, actor=self.sm_admin, kind="reception", number=9)
        self.assertEqual([r.action for r in rows], ["orgs.add_window"])
        # The audit row and the change stand or fall together: when writing the row fails, the window is not
        # added either.
        with (
            new_audit_rows() as rows,
            mock.patch.object(AuditEvent.objects, "create", side_effect=RuntimeError),
            self.assertRaises(RuntimeError),
        ):
            actions.add_window(self.station.pk, actor=self.sm_admin, kind="reception", number=10)
        self.assertEqual(rows, [])
        self.assertFalse(Window.objects.filter(unit=self.station, number=10).exists())

    def test_record_must_run_inside_the_writers_transaction(self) -> None:
        from fawang.audit import actions as audit

        # The test case's own transaction counts as one; outside any, record() refuses.
        with mock.patch("fawang.audit.actions.transaction.get_connection") as conn:
            conn.return_value.in_atomic_block = False
            with self.assertRaises(AssertionError):
                audit.record("orgs.update_unit", actor=self.sm_admin, target=self.station)

    def test_the_client_address_is_kept(self) -> None:
        request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")

        def view(_request: object) -> object:
            actions.set_window_active(
                Window.objects.filter(unit__region_id=SIMING, is_active=True).order_by("pk")[0].pk,
                actor=self.sm_admin,
                active=False,
            )
            return None

        with new_audit_rows() as rows:
            AuditMiddleware(view)(request)  # type: ignore[arg-type]
        self.assertEqual(self.one(rows, "orgs.set_window_active").ip, "203.0.113.7")

    # --- credit records and advisors

    def test_credit_records(self) -> None:
        lawyer = Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER, unit__region_id=SIMING).order_by(
            "pk"
        )[0]
        with new_audit_rows() as rows:
            record = actions.record_credit(
                lawyer.pk,
                actor=self.sm_supervisor,
                kind=CreditRecord.Kind.PENALTY,
                title="训诫",
                authority="思明区司法局",
                decided_on=dt.date(2025, 6, 1),
                is_public=False,
            )
        row = self.one(rows, "orgs.record_credit")
        self.assertEqual(
            (row.actor, row.target_type, row.target_id, row.unit_id, row.target_name),
            (self.sm_supervisor, "orgs.creditrecord", str(record.pk), lawyer.unit_id, f"{lawyer.name}：训诫"),
        )
        self.assertEqual(
            row.after,
            {
                "kind": "penalty",
                "title": "训诫",
                "authority": "思明区司法局",
                "decided_on": "2025-06-01",
                "is_public": False,
            },
        )
        firm = Unit.objects.filter(kind=Unit.Kind.LAW_FIRM, region_id=SIMING).order_by("pk")[0]
        with new_audit_rows() as rows:
            actions.record_unit_credit(
                firm.pk,
                actor=self.sm_supervisor,
                kind=CreditRecord.Kind.REWARD,
                title="表彰",
                authority="思明区司法局",
                decided_on=dt.date(2025, 6, 1),
            )
        row = self.one(rows, "orgs.record_credit")
        self.assertEqual(
            (row.unit_id, row.target_name, row.after["kind"]), (firm.pk, f"{firm.name}：表彰", "reward")
        )

    def test_appointing_an_advisor_records_the_old_and_the_new(self) -> None:
        old = (
            AdvisorAssignment.objects.current()
            .select_related("practitioner", "room")
            .get(region=self.village)
        )
        new = (
            Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER, unit__region_id=SIMING)
            .exclude(pk=old.practitioner_id)
            .order_by("pk")[0]
        )
        with new_audit_rows() as rows:
            made = actions.appoint_advisor(
                self.village.code,
                new.pk,
                actor=self.sm_supervisor,
                started_on=dt.date(2025, 7, 1),
                schedule="周五",
            )
        row = self.one(rows, "orgs.appoint_advisor")
        self.assertEqual(
            (row.target_id, row.region_id, row.unit_id, row.actor),
            (str(made.pk), self.village.code, old.room_id, self.sm_supervisor),
        )
        self.assertEqual(
            (row.before, row.after),
            (
                {
                    "practitioner": str(old.practitioner),
                    "started_on": "2024-01-01",
                    "service_schedule": old.service_schedule,
                },
                {"practitioner": str(new), "started_on": "2025-07-01", "service_schedule": "周五"},
            ),
        )
        self.assertEqual(row.note, f"原法律顾问{old.practitioner.name}于2025-07-01解聘。")

    # --- staff and roles

    def test_create_staff(self) -> None:
        with new_audit_rows() as rows:
            user = actions.create_staff(
                self.station.pk,
                actor=self.sm_admin,
                username="sm_new_clerk",
                display_name="林清",
                phone="13800001234",
                password="Gulangyu-ferry-1880",
                role=Membership.Role.WINDOW_CLERK,
                title="窗口",
            )
        row = self.one(rows, "orgs.create_staff")
        self.assertEqual(
            (row.target_type, row.target_id, row.person, row.unit_id, row.actor),
            ("accounts.user", str(user.pk), user, self.station.pk, self.sm_admin),
        )
        self.assertEqual(
            (row.before, row.after),
            (
                {},
                {
                    "username": "sm_new_clerk",
                    "display_name": "林清",
                    "phone": "13800001234",
                    "unit": self.station.name,
                    "role": "window_clerk",
                    "title": "窗口",
                },
            ),
        )
        self.assertNotIn("password", str(row.after))

    def test_grant_revoke_and_grant_again(self) -> None:
        with new_audit_rows() as rows:
            m = actions.grant_role(
                self.sm_clerk.pk,
                self.station.pk,
                Membership.Role.HANDLER,
                actor=self.sm_admin,
                title="调解员",
            )
        row = self.one(rows, "orgs.grant_role")
        self.assertEqual(
            (row.person, row.unit_id, row.target_id, row.before, row.after),
            (self.sm_clerk, self.station.pk, str(m.pk), {}, {"role": "handler", "title": "调解员"}),
        )

        with new_audit_rows() as rows:
            actions.set_membership_active(m.pk, actor=self.sm_admin, active=False)
        row = self.one(rows, "orgs.set_membership_active")
        self.assertEqual((row.before, row.after), ({"is_active": True}, {"is_active": False}))

        with new_audit_rows() as rows:
            actions.revoke_role(m.pk, actor=self.sm_admin)
        ended = Membership.objects.get(pk=m.pk)
        self.assertEqual((ended.is_active, ended.ended_by), (False, self.sm_admin))
        row = self.one(rows, "orgs.revoke_role")
        self.assertEqual(
            (row.before, row.after),
            (
                {"ended_at": None, "ended_by": None},
                {"ended_at": local(ended.ended_at), "ended_by": str(self.sm_admin)},
            ),
        )

        # An ended membership never counts again, and is not resumed: the role is granted anew, as a new row.
        self.assertNotIn(m.pk, [x.pk for x in active_memberships(User(pk=self.sm_clerk.pk))])
        with self.assertRaises(ValidationError) as caught:
            actions.set_membership_active(m.pk, actor=self.sm_admin, active=True)
        self.assertEqual(
            caught.exception.messages,
            [
                f"该角色已于{timezone.localtime(ended.ended_at):%Y-%m-%d %H:%M}撤销，不能再调整；如需恢复，请重新授予角色。"
            ],
        )
        with self.assertRaises(ValidationError):
            actions.revoke_role(m.pk, actor=self.sm_admin)
        again = actions.grant_role(
            self.sm_clerk.pk, self.station.pk, Membership.Role.HANDLER, actor=self.sm_admin
        )
        self.assertNotEqual(again.pk, m.pk)
        self.assertEqual(
            list(
                Membership.objects.filter(user=self.sm_clerk, unit=self.station, role=Membership.Role.HANDLER)
                .order_by("pk")
                .values_list("pk", "is_active", "ended_by")
            ),
            [(m.pk, False, self.sm_admin.pk), (again.pk, True, None)],
        )
        # While it is held, the same role cannot be granted twice.
        with self.assertRaises(ValidationError):
            actions.grant_role(
                self.sm_clerk.pk, self.station.pk, Membership.Role.HANDLER, actor=self.sm_admin
            )

    # --- the back office

    def test_back_office_units_and_system_roles(self) -> None:
        region = self.station.region
        with new_audit_rows() as rows:
            unit = actions.save_unit(
                None,
                actor=self.sysadmin,
                name="厦港街道人民调解委员会（新）",
                kind=Unit.Kind.MEDIATION,
                region=region,
                parent=self.bureau,
                functions=list(Function.objects.filter(code="mediation")),
            )
        row = self.one(rows, "orgs.create_unit")
        self.assertEqual(
            (row.unit_id, row.before, row.after),
            (
                unit.pk,
                {},
                {
                    "name": "厦港街道人民调解委员会（新）",
                    "kind": "mediation",
                    "region": str(region),
                    "parent": "思明区司法局",
                    "functions": ["人民调解"],
                },
            ),
        )
        with new_audit_rows() as rows:
            actions.save_unit(unit.pk, actor=self.sysadmin, is_active=False, parent=None)
        row = self.one(rows, "orgs.update_unit")
        self.assertEqual(
            (row.before, row.after),
            ({"is_active": True, "parent": "思明区司法局"}, {"is_active": False, "parent": None}),
        )
        with self.assertRaises(PermissionDenied):
            actions.save_unit(unit.pk, actor=self.sm_admin, name="x")

        with new_audit_rows() as rows:
            m = actions.grant_in_back_office(
                self.sm_admin.pk, self.bureau.pk, Membership.Role.SYSTEM_ADMIN, actor=self.sysadmin
            )
            actions.revoke_in_back_office(m.pk, actor=self.sysadmin)
        self.assertEqual([r.action for r in rows], ["orgs.grant_role", "orgs.revoke_role"])
        self.assertEqual(rows[0].after, {"role": "system_admin"})
        # Nobody grants or ends their own roles.
        with self.assertRaises(ValidationError):
            actions.grant_in_back_office(
                self.sysadmin.pk, self.bureau.pk, Membership.Role.SUPERVISOR, actor=self.sysadmin
            )
        own = Membership.objects.get(user=self.sysadmin, role=Membership.Role.SYSTEM_ADMIN)
        with self.assertRaises(ValidationError):
            actions.revoke_in_back_office(own.pk, actor=self.sysadmin)
