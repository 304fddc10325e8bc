"""变更执行地 (社区矫正法实施办法 第三十条): the application with the new 司法所, the approval of this place's 社区矫正机构,
the new place's 社区矫正机构 receiving the file with its whole history, the old place losing access, both audited."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.orgs.models import Membership, Unit
from fawang.testing.world import world

from .. import actions
from ..models import Leave, Subject, Task
from .base import MONDAY, CorrectionsTestCase, at


class RelocationTest(CorrectionsTestCase):
    new_office: ClassVar[Unit]
    new_bureau: ClassVar[Unit]
    xy_officer: ClassVar[User]
    xy_bureau_officer: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.new_office = world().unit("xianyou.licheng.office")
        cls.new_bureau = world().unit("xianyou.bureau")
        cls.xy_officer = User.objects.create_user("xy_corrections_test", kind=User.Kind.STAFF)
        Membership.objects.create(
            user=cls.xy_officer, unit=cls.new_office, role=Membership.Role.CORRECTIONS_OFFICER
        )
        cls.xy_bureau_officer = User.objects.create_user("xy_bureau_corrections", kind=User.Kind.STAFF)
        Membership.objects.create(
            user=cls.xy_bureau_officer, unit=cls.new_bureau, role=Membership.Role.CORRECTIONS_OFFICER
        )

    def apply(self, subject: Subject, **overrides: object) -> Leave:
        fields: dict[str, object] = {
            "kind": Leave.Kind.RELOCATE,
            "destination": "莆田市仙游县鲤城街道示例路 3 号",
            "reason": "随子女迁居仙游，已在当地租住。",
            "starts_on": dt.date(2025, 3, 10),
            "ends_on": dt.date(2025, 3, 10),
            "to_office_id": self.new_office.pk,
        }
        fields.update(overrides)
        return actions.do_apply_leave(subject.pk, actor=self.officer, at=MONDAY, **fields)  # type: ignore[arg-type]

    def test_the_file_and_its_history_move_and_the_old_place_loses_access(self) -> None:
        subject = self.supervised()
        actions.scan(at(2025, 3, 3, 20, 1))  # a missed location report: a task in the history
        leave = self.apply(subject)
        self.assertEqual((leave.from_office, leave.to_office), (self.office, self.new_office))
        # A change of place is the 司法局's decision, not the 司法所's.
        with self.assertRaises(PermissionDenied):
            actions.do_decide_leave(leave.pk, approve=True, note="", actor=self.officer)
        # The new place cannot receive before this place approves.
        with self.assertRaises(ValidationError):
            actions.do_receive_relocation(leave.pk, accept=True, note="", actor=self.xy_bureau_officer)
        actions.do_decide_leave(leave.pk, approve=True, note="同意变更", actor=self.bureau_officer)
        # Only the new place's 社区矫正机构 receives: not the old one, not the new 司法所 alone.
        for who in (self.bureau_officer, self.xy_officer):
            with self.assertRaises(PermissionDenied):
                actions.do_receive_relocation(leave.pk, accept=True, note="", actor=who)

        # The new place sees the summary on its task page, without the file.
        new_bureau = Client()
        new_bureau.force_login(self.xy_bureau_officer)
        page = new_bureau.get(reverse("corrections:tasks"))
        self.assertContains(page, subject.file_no)
        self.assertContains(page, "待接收的变更执行地")
        self.assertNotContains(page, "陈建华")
        self.assertEqual(new_bureau.get(reverse("corrections:detail", args=[subject.pk])).status_code, 404)

        response = new_bureau.post(
            reverse("corrections:relocation_receive", args=[leave.pk]),
            {"receive-decision": "accept", "receive-note": "已报到"},
        )
        self.assertRedirects(response, reverse("corrections:detail", args=[subject.pk]))
        subject.refresh_from_db()
        leave.refresh_from_db()
        self.assertEqual((subject.office, subject.bureau), (self.new_office, self.new_bureau))
        self.assertEqual(subject.address, "莆田市仙游县鲤城街道示例路 3 号")
        self.assertEqual(leave.status, Leave.Status.TRANSFERRED)
        # The history went with the file: its tasks, items and the leave itself.
        self.assertTrue(Task.objects.filter(subject=subject).exists())
        self.assertGreater(subject.items.count(), 0)
        # The old place no longer reaches it; the new 司法所 now does.
        old = Client()
        old.force_login(self.officer)
        self.assertEqual(old.get(reverse("corrections:detail", args=[subject.pk])).status_code, 404)
        new_office = Client()
        new_office.force_login(self.xy_officer)
        self.assertEqual(new_office.get(reverse("corrections:detail", args=[subject.pk])).status_code, 200)
        with self.assertRaises(PermissionDenied):
            actions.do_set_plan(subject.pk, plan="新方案", actor=self.officer)
        # Audited at both places.
        rows = AuditEvent.objects.filter(action="corrections.receive_relocation", target_id=str(leave.pk))
        self.assertEqual({row.unit_id for row in rows}, {self.office.pk, self.new_office.pk})
        # Received once only.
        with self.assertRaises(ValidationError):
            actions.do_receive_relocation(leave.pk, accept=True, note="", actor=self.xy_bureau_officer)

    def test_declining_needs_a_reason_and_leaves_the_file(self) -> None:
        subject = self.supervised()
        leave = self.apply(subject)
        actions.do_decide_leave(leave.pk, approve=True, note="", actor=self.bureau_officer)
        with self.assertRaises(ValidationError) as caught:
            actions.do_receive_relocation(leave.pk, accept=False, note="", actor=self.xy_bureau_officer)
        self.assertEqual(caught.exception.message_dict["note"], ["不予接收的，请写明理由。"])
        actions.do_receive_relocation(
            leave.pk, accept=False, note="核实居住地址不存在", actor=self.xy_bureau_officer
        )
        subject.refresh_from_db()
        self.assertEqual(subject.office, self.office)
        self.assertEqual(Leave.objects.get(pk=leave.pk).status, Leave.Status.NOT_ACCEPTED)

    def test_the_application_names_a_different_office(self) -> None:
        subject = self.supervised()
        with self.assertRaises(ValidationError) as caught:
            self.apply(subject, to_office_id=None)
        self.assertEqual(
            caught.exception.message_dict["to_office"], ["变更执行地的，请选择新居住地的司法所。"]
        )
        with self.assertRaises(ValidationError) as caught:
            self.apply(subject, to_office_id=self.office.pk)
        self.assertIn("相同", caught.exception.message_dict["to_office"][0])
        self.apply(subject)
        with self.assertRaises(ValidationError) as caught:
            self.apply(subject)
        self.assertEqual(caught.exception.message_dict["kind"], ["已有办理中的变更执行地申请。"])

    def test_a_minors_identity_stays_hidden_from_the_receiving_place(self) -> None:
        subject = self.supervised()
        Subject.objects.filter(pk=subject.pk).update(is_minor=True)
        leave = self.apply(subject)
        actions.do_decide_leave(leave.pk, approve=True, note="", actor=self.bureau_officer)
        client = Client()
        client.force_login(self.xy_bureau_officer)
        page = client.get(reverse("corrections:tasks"))
        self.assertContains(page, "未成年社区矫正对象（身份保密）")
        self.assertNotContains(page, subject.masked_name)

    def test_not_received_within_seven_days_raises_a_task_closed_by_the_receipt(self) -> None:
        subject = self.supervised()
        leave = self.apply(subject)
        actions.do_decide_leave(
            leave.pk, approve=True, note="", actor=self.bureau_officer, at=at(2025, 3, 4, 10)
        )
        actions.scan(at(2025, 3, 11, 9))
        self.assertFalse(Task.objects.filter(leave=leave).exists())
        actions.scan(at(2025, 3, 11, 10, 1))
        task = Task.objects.get(leave=leave)
        self.assertEqual(task.kind, Task.Kind.RELOCATION_OVERDUE)
        self.assertIn("鲤城街道司法所", task.title)
        actions.do_receive_relocation(
            leave.pk, accept=True, note="已报到", actor=self.xy_bureau_officer, at=at(2025, 3, 12, 9)
        )
        task.refresh_from_db()
        self.assertEqual(task.status, Task.Status.CLOSED)
