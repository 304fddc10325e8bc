"""The directory's action functions: the rows they write, and what they refuse (403 role, 404 region)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from fawang.accounts.models import User
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
from fawang.regions.models import Region
from fawang.test import HULI, SIMING, BaseTestCase
from fawang.testing.world import world

T = TypeVar("T", bound=Model)


def first(qs: QuerySet[T]) -> T:
    row = qs.first()
    assert row is not None
    return row


class DirectoryActionsTestCase(BaseTestCase):
    sm_station: ClassVar[Unit]
    hl_station: ClassVar[Unit]
    sm_bureau: ClassVar[Unit]
    sm_lawyer: ClassVar[Practitioner]
    hl_lawyer: ClassVar[Practitioner]
    sm_village: ClassVar[Region]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sm_station = first(
            Unit.objects.filter(kind=Unit.Kind.STATION, region__parent_id=SIMING).order_by("region_id")
        )
        cls.hl_station = first(
            Unit.objects.filter(kind=Unit.Kind.STATION, region__parent_id=HULI).order_by("region_id")
        )
        cls.sm_bureau = world().unit("siming.bureau")
        cls.sm_lawyer = first(
            Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER, unit__region_id=SIMING).order_by("pk")
        )
        cls.hl_lawyer = first(
            Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER, unit__region_id=HULI).order_by("pk")
        )
        cls.sm_village = first(cls.sm_station.region.children.order_by("code"))

    # --- units and windows

    def test_update_unit_writes_fields_and_functions(self) -> None:
        functions = list(Function.objects.filter(code__in=["mediation", "legal_aid"]))
        actions.update_unit(
            self.sm_station.pk,
            actor=self.sm_admin,
            address="厦港街道便民服务中心二楼",
            phone="0592 2345678",
            opening_hours="工作日 9:00-17:00",
            require_2fa=True,
            functions=functions,
        )
        unit = Unit.objects.get(pk=self.sm_station.pk)
        self.assertEqual(unit.address, "厦港街道便民服务中心二楼")
        self.assertEqual(unit.phone, "05922345678")
        self.assertTrue(unit.require_2fa)
        self.assertEqual(set(unit.functions.values_list("code", flat=True)), {"mediation", "legal_aid"})

    def test_update_unit_refuses_roles_regions_and_fields(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.update_unit(self.sm_station.pk, actor=self.sm_supervisor, address="x")
        with self.assertRaises(Http404):
            actions.update_unit(self.hl_station.pk, actor=self.sm_admin, address="x")
        with self.assertRaises(TypeError):
            actions.update_unit(self.sm_station.pk, actor=self.sm_admin, region_id=HULI)
        with self.assertRaises(ValidationError) as caught:
            actions.update_unit(self.sm_station.pk, actor=self.sm_admin, phone="12")
        self.assertEqual(
            caught.exception.messages, ["请输入正确的电话号码，例如 0592-1234567、12348 或 11 位手机号码。"]
        )
        self.assertNotEqual(Unit.objects.get(pk=self.hl_station.pk).address, "x")

    def test_windows_are_added_once_per_number_and_toggled(self) -> None:
        window = actions.add_window(
            self.sm_station.pk, actor=self.sm_admin, kind="legal_aid", number=9, name="援助窗口"
        )
        self.assertEqual((window.unit_id, window.number, window.is_active), (self.sm_station.pk, 9, True))
        with self.assertRaises(ValidationError) as caught:
            actions.add_window(self.sm_station.pk, actor=self.sm_admin, kind="reception", number=9)
        self.assertEqual(caught.exception.messages, ["9 号窗口已存在，请换一个窗口号。"])
        with self.assertRaises(ValidationError) as caught:
            actions.add_window(self.sm_bureau.pk, actor=self.sm_admin, kind="reception", number=1)
        self.assertEqual(
            caught.exception.messages, ["只有公共法律服务中心、工作站和工作室可以设置窗口岗位。"]
        )
        actions.set_window_active(window.pk, actor=self.sm_admin, active=False)
        self.assertFalse(Window.objects.get(pk=window.pk).is_active)
        hl_window = Window.objects.filter(unit=self.hl_station).first()
        assert hl_window is not None
        with self.assertRaises(Http404):
            actions.set_window_active(hl_window.pk, actor=self.sm_admin, active=False)
        with self.assertRaises(PermissionDenied):
            actions.set_window_active(window.pk, actor=self.sm_clerk, active=True)

    # --- credit records

    def test_record_credit_writes_an_internal_record(self) -> None:
        record = actions.record_credit(
            self.sm_lawyer.pk,
            actor=self.sm_supervisor,
            kind=CreditRecord.Kind.PENALTY,
            title="训诫：未按时提交执业年度报告",
            authority="思明区司法局",
            decided_on=dt.date(2025, 6, 1),
            is_public=False,
        )
        self.assertEqual(record.recorded_by, self.sm_supervisor)
        self.assertFalse(CreditRecord.objects.get(pk=record.pk).is_public)

    def test_record_credit_refusals(self) -> None:
        args: dict[str, Any] = {
            "kind": "reward",
            "title": "表彰",
            "authority": "思明区司法局",
            "decided_on": dt.date(2025, 1, 1),
        }
        # A centre's clerk does not reach law firms (docs/authority.md): their lawyers are not even seen.
        with self.assertRaises(Http404):
            actions.record_credit(self.sm_lawyer.pk, actor=self.sm_clerk, **args)
        with self.assertRaises(Http404):
            actions.record_credit(self.hl_lawyer.pk, actor=self.sm_supervisor, **args)
        with self.assertRaises(ValidationError) as caught:
            actions.record_credit(
                self.sm_lawyer.pk,
                actor=self.sm_supervisor,
                **{**args, "decided_on": timezone.localdate() + dt.timedelta(days=1)},
            )
        self.assertEqual(caught.exception.messages, ["决定日期不能晚于今天。"])
        self.assertFalse(CreditRecord.objects.filter(title="表彰").exists())

    def test_a_bureau_records_on_a_units_credit_file(self) -> None:
        firm = first(
            Unit.objects.filter(kind=Unit.Kind.LAW_FIRM, region__code__startswith=SIMING).order_by("pk")
        )
        before = set(firm.credit_records.values_list("pk", flat=True))
        record = actions.record_unit_credit(
            firm.pk,
            actor=self.sm_supervisor,
            kind=CreditRecord.Kind.PENALTY,
            title="警告：未按规定办理年度考核备案",
            authority="思明区司法局",
            decided_on=dt.date(2025, 6, 1),
        )
        self.assertEqual((record.unit, record.practitioner, record.holder), (firm, None, firm))
        self.assertEqual(set(firm.credit_records.values_list("pk", flat=True)) - before, {record.pk})

    def test_unit_credit_refusals(self) -> None:
        args: dict[str, Any] = {
            "kind": "reward",
            "title": "先进集体",
            "authority": "思明区司法局",
            "decided_on": dt.date(2025, 1, 1),
        }
        firms = list(
            Unit.objects.filter(kind=Unit.Kind.LAW_FIRM, region__code__startswith=SIMING).order_by("pk")[:2]
        )
        # A law firm's own administrator holds orgs.manage_credit by role, but is no 司法行政机关: not on their own
        # firm; a competitor and its lawyers lie outside the firm's reach altogether (404).
        firm_admin = User.objects.create_user("firm-admin", kind=User.Kind.STAFF)
        Membership.objects.create(user=firm_admin, unit=firms[0], role=Membership.Role.UNIT_ADMIN)
        with self.assertRaisesMessage(PermissionDenied, "不能为本单位录入信用记录。"):
            actions.record_unit_credit(firms[0].pk, actor=firm_admin, **args)
        with self.assertRaises(Http404):
            actions.record_unit_credit(firms[1].pk, actor=firm_admin, **args)
        own_lawyer = Practitioner.objects.filter(unit=firms[0]).first()
        if own_lawyer is not None:
            with self.assertRaisesMessage(PermissionDenied, "不能为本单位录入信用记录。"):
                actions.record_credit(own_lawyer.pk, actor=firm_admin, **args)
        with self.assertRaises(Http404):
            actions.record_unit_credit(firms[1].pk, actor=self.sm_clerk, **args)
        # A district supervisor records on firms of the district, but not as a member of the firm.
        Membership.objects.create(
            user=firm_admin, unit=self.unit("siming.bureau"), role=Membership.Role.SUPERVISOR
        )
        firm_admin = User.objects.get(pk=firm_admin.pk)
        with self.assertRaisesMessage(PermissionDenied, "不能为本单位录入信用记录。"):
            actions.record_unit_credit(firms[0].pk, actor=firm_admin, **args)
        with self.assertRaises(Http404):
            hl_firm = first(Unit.objects.filter(kind=Unit.Kind.LAW_FIRM, region__code__startswith=HULI))
            actions.record_unit_credit(hl_firm.pk, actor=self.sm_supervisor, **args)
        with self.assertRaises(ValidationError) as caught:
            actions.record_unit_credit(self.sm_station.pk, actor=self.sm_supervisor, **args)
        self.assertEqual(caught.exception.code, "no_credit_file")
        self.assertIn("公共法律服务工作站不设信用记录", caught.exception.messages[0])
        self.assertFalse(CreditRecord.objects.filter(title="先进集体").exists())

    def test_a_credit_record_has_exactly_one_holder(self) -> None:
        firm = first(Unit.objects.filter(kind=Unit.Kind.LAW_FIRM))
        fields = {
            "kind": "reward",
            "title": "表彰",
            "authority": "厦门市司法局",
            "decided_on": dt.date(2025, 1, 1),
        }
        for holders in ({}, {"unit": firm, "practitioner": self.sm_lawyer}):
            with self.assertRaises(IntegrityError), transaction.atomic():
                CreditRecord.objects.create(**fields, **holders)

    # --- village legal advisors

    def test_appoint_advisor_replaces_the_current_one_in_one_go(self) -> None:
        old = AdvisorAssignment.objects.current().get(region=self.sm_village)
        new_lawyer = (
            Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER, unit__region_id=SIMING)
            .exclude(pk=old.practitioner_id)
            .first()
        )
        assert new_lawyer is not None
        started = dt.date(2025, 7, 1)
        made = actions.appoint_advisor(
            self.sm_village.code,
            new_lawyer.pk,
            actor=self.sm_supervisor,
            started_on=started,
            schedule="每周五上午",
        )
        old.refresh_from_db()
        self.assertEqual(old.ended_on, started)
        current = AdvisorAssignment.objects.current().get(region=self.sm_village)
        self.assertEqual(
            (current.pk, current.practitioner_id, current.service_schedule),
            (made.pk, new_lawyer.pk, "每周五上午"),
        )
        self.assertEqual(current.room, Unit.objects.get(region=self.sm_village, kind=Unit.Kind.ROOM))
        with self.assertRaises(ValidationError) as caught:
            actions.appoint_advisor(
                self.sm_village.code, new_lawyer.pk, actor=self.sm_supervisor, started_on=started
            )
        self.assertEqual(caught.exception.messages, ["该人员已是本村（社区）的法律顾问。"])

    def test_appoint_advisor_refusals(self) -> None:
        today = timezone.localdate()
        with self.assertRaises(PermissionDenied):
            actions.appoint_advisor(
                self.sm_village.code, self.sm_lawyer.pk, actor=self.sm_clerk, started_on=today
            )
        # A Huli lawyer is not visible to a Siming supervisor: the same 404 as a missing one.
        with self.assertRaises(Http404):
            actions.appoint_advisor(
                self.sm_village.code, self.hl_lawyer.pk, actor=self.sm_supervisor, started_on=today
            )
        hl_village = self.hl_station.region.children.order_by("code").first()
        assert hl_village is not None
        with self.assertRaises(Http404):
            actions.appoint_advisor(
                hl_village.code, self.sm_lawyer.pk, actor=self.sm_supervisor, started_on=today
            )
        with self.assertRaises(Http404):  # a town is not a village
            actions.appoint_advisor(
                self.sm_station.region_id, self.sm_lawyer.pk, actor=self.sm_supervisor, started_on=today
            )
        Practitioner.objects.filter(pk=self.sm_lawyer.pk).update(
            licence_status=Practitioner.LicenceStatus.SUSPENDED
        )
        with self.assertRaises(ValidationError) as caught:
            actions.appoint_advisor(
                self.sm_village.code, self.sm_lawyer.pk, actor=self.sm_supervisor, started_on=today
            )
        self.assertEqual(caught.exception.messages, ["该人员不在正常执业状态，不能聘任为法律顾问。"])

    # --- staff

    def test_create_staff_writes_user_and_membership(self) -> None:
        user = actions.create_staff(
            self.sm_station.pk,
            actor=self.sm_admin,
            username="sm_new_clerk",
            display_name="林清",
            phone="138 0000 1234",
            password="Gulangyu-ferry-1880",
            role=Membership.Role.WINDOW_CLERK,
        )
        self.assertTrue(user.check_password("Gulangyu-ferry-1880"))
        self.assertEqual((user.kind, user.phone), (User.Kind.STAFF, "13800001234"))
        self.assertEqual(
            list(Membership.objects.filter(user=user).values_list("unit_id", "role", "is_active")),
            [(self.sm_station.pk, Membership.Role.WINDOW_CLERK, True)],
        )

    def test_create_staff_refusals(self) -> None:
        args: dict[str, Any] = {
            "username": "x_new",
            "display_name": "新人",
            "phone": "",
            "password": "Gulangyu-ferry-1880",
        }
        with self.assertRaises(Http404):
            actions.create_staff(
                self.hl_station.pk, actor=self.sm_admin, role=Membership.Role.WINDOW_CLERK, **args
            )
        with self.assertRaises(PermissionDenied):
            actions.create_staff(
                self.sm_station.pk, actor=self.sm_supervisor, role=Membership.Role.WINDOW_CLERK, **args
            )
        with self.assertRaises(ValidationError) as caught:
            actions.create_staff(
                self.sm_station.pk, actor=self.sm_admin, role=Membership.Role.SYSTEM_ADMIN, **args
            )
        self.assertEqual(caught.exception.messages, ["系统管理员角色只能在系统管理后台授予。"])
        with self.assertRaises(ValidationError):
            actions.create_staff(
                self.sm_station.pk,
                actor=self.sm_admin,
                role=Membership.Role.WINDOW_CLERK,
                **{**args, "password": "12345678901"},
            )
        with self.assertRaises(ValidationError) as caught:
            actions.create_staff(
                self.sm_station.pk,
                actor=self.sm_admin,
                role=Membership.Role.WINDOW_CLERK,
                **{**args, "username": "SM_CLERK"},
            )
        self.assertEqual(caught.exception.messages, ["用户名“SM_CLERK”已被使用。"])
        self.assertFalse(User.objects.filter(username="x_new").exists())

    def test_grant_role_only_in_the_admins_regions(self) -> None:
        m = actions.grant_role(
            self.sm_clerk.pk, self.sm_station.pk, Membership.Role.HANDLER, actor=self.sm_admin, title="调解员"
        )
        self.assertEqual(
            (m.user_id, m.unit_id, m.role, m.title),
            (self.sm_clerk.pk, self.sm_station.pk, Membership.Role.HANDLER, "调解员"),
        )
        with self.assertRaises(ValidationError) as caught:
            actions.grant_role(
                self.sm_clerk.pk, self.sm_station.pk, Membership.Role.HANDLER, actor=self.sm_admin
            )
        self.assertEqual(caught.exception.messages, [f"该工作人员在{self.sm_station.name}已有“承办人”角色。"])
        with self.assertRaises(Http404):  # a Huli unit
            actions.grant_role(
                self.sm_clerk.pk, self.hl_station.pk, Membership.Role.HANDLER, actor=self.sm_admin
            )
        with self.assertRaises(Http404):  # a Huli person
            actions.grant_role(
                self.hl_clerk.pk, self.sm_station.pk, Membership.Role.HANDLER, actor=self.sm_admin
            )
        with self.assertRaises(ValidationError):
            actions.grant_role(
                self.sm_clerk.pk, self.sm_station.pk, Membership.Role.SYSTEM_ADMIN, actor=self.sm_admin
            )
        with self.assertRaises(PermissionDenied):
            actions.grant_role(
                self.sm_clerk.pk, self.sm_station.pk, Membership.Role.SUPERVISOR, actor=self.sm_supervisor
            )
        self.assertFalse(
            Membership.objects.filter(role=Membership.Role.SYSTEM_ADMIN, user=self.sm_clerk).exists()
        )

    def test_revoke_and_pause_roles_but_never_ones_own_admin_role(self) -> None:
        clerk_role = Membership.objects.get(user=self.sm_clerk, unit_id=world().unit_pk("siming.centre"))
        actions.set_membership_active(clerk_role.pk, actor=self.sm_admin, active=False)
        self.assertFalse(Membership.objects.get(pk=clerk_role.pk).is_active)
        actions.set_membership_active(clerk_role.pk, actor=self.sm_admin, active=True)
        self.assertTrue(Membership.objects.get(pk=clerk_role.pk).is_active)
        actions.revoke_role(clerk_role.pk, actor=self.sm_admin)
        ended = Membership.objects.get(pk=clerk_role.pk)
        self.assertEqual((ended.is_active, ended.ended_by), (False, self.sm_admin))
        self.assertIsNotNone(ended.ended_at)

        own = Membership.objects.get(user=self.sm_admin, role=Membership.Role.UNIT_ADMIN)
        for attempt in (
            lambda: actions.revoke_role(own.pk, actor=self.sm_admin),
            lambda: actions.set_membership_active(own.pk, actor=self.sm_admin, active=False),
        ):
            with self.assertRaises(ValidationError) as caught:
                attempt()
            self.assertEqual(caught.exception.messages, ["不能调整您本人的角色，请由其他管理员办理。"])
        self.assertTrue(Membership.objects.get(pk=own.pk).is_active)

        hl_role = Membership.objects.get(user=self.hl_clerk, unit_id=world().unit_pk("huli.centre"))
        with self.assertRaises(Http404):
            actions.revoke_role(hl_role.pk, actor=self.sm_admin)
        with self.assertRaises(PermissionDenied):
            actions.revoke_role(
                Membership.objects.get(user=self.sm_handler, unit__kind=Unit.Kind.LEGAL_AID).pk,
                actor=self.sm_supervisor,
            )
