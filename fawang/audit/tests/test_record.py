"""record(): registered codes only, no secrets, rows never changed; the diff helpers; before → after in words."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase

from fawang.audit import actions as audit
from fawang.audit.display import change_rows
from fawang.audit.models import AppendOnly, AuditEvent


class RecordTestCase(TestCase):
    def setUp(self) -> None:
        self.user = get_user_model().objects.get(username="sm_admin")

    def test_a_row_names_who_what_and_when(self) -> None:
        row = audit.record(
            "accounts.update_account",
            actor=self.user,
            target=self.user,
            person=self.user,
            diff=audit.changes({"display_name": "甲", "email": ""}, {"display_name": "乙", "email": ""}),
            note="说明",
            ip="192.0.2.1",
        )
        row = AuditEvent.objects.get(pk=row.pk)
        self.assertEqual(
            (
                row.actor_id,
                row.actor_name,
                row.label,
                row.target_type,
                row.target_id,
                row.person_id,
                row.before,
                row.after,
                row.ip,
            ),
            (
                self.user.pk,
                "sm_admin",
                "修改账号信息",
                "accounts.user",
                str(self.user.pk),
                self.user.pk,
                {"display_name": "甲"},
                {"display_name": "乙"},
                "192.0.2.1",
            ),
        )
        self.assertEqual(
            [(c.field, c.before, c.after) for c in change_rows(row)],
            [("姓名", "甲", "乙")],
        )

    def test_unknown_codes_and_secrets_are_refused(self) -> None:
        with self.assertRaisesMessage(ValueError, "未登记的审计操作代码：orgs.grant_rol"):
            audit.record("orgs.grant_rol", actor=self.user, target=self.user)
        for key in ("password", "totp_secret", "id_number"):
            with self.subTest(key=key), self.assertRaises(audit.SecretInAudit):
                audit.record(
                    "accounts.update_account", actor=self.user, target=self.user, diff=({}, {key: "x"})
                )
        with self.assertRaises(audit.SecretInAudit):
            audit.snapshot(self.user, ["password"])
        self.assertFalse(AuditEvent.objects.filter(actor=self.user).exists())

    def test_rows_are_never_changed_or_deleted(self) -> None:
        row = audit.record("accounts.update_account", actor=self.user, target=self.user)
        row.note = "改"
        with self.assertRaises(AppendOnly):
            row.save()
        with self.assertRaises(AppendOnly):
            row.delete()
        with self.assertRaises(AppendOnly):
            AuditEvent.objects.filter(pk=row.pk).update(note="改")
        with self.assertRaises(AppendOnly):
            AuditEvent.objects.filter(pk=row.pk).delete()
        self.assertEqual(AuditEvent.objects.get(pk=row.pk).note, "")

    def test_the_diff_helpers(self) -> None:
        self.assertEqual(audit.changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}), ({"b": 2}, {"b": 3}))
        self.assertEqual(audit.created({"a": 1, "b": "", "c": None, "d": False}), ({}, {"a": 1, "d": False}))
        self.assertEqual(audit.removed({"a": 1, "b": []}), ({"a": 1}, {}))
        self.assertEqual(
            audit.snapshot(self.user, ["kind", "is_active", "date_joined"])["kind"], "staff"
        )  # choices by code

    def test_choices_and_booleans_read_in_words(self) -> None:
        row = audit.record(
            "accounts.update_account",
            actor=None,
            target=self.user,
            diff=({"kind": "staff", "is_active": True}, {"kind": "public", "is_active": False}),
        )
        self.assertEqual(row.actor_name, "")
        self.assertEqual(
            [(c.field, c.before, c.after) for c in change_rows(row)],
            [("用户类型", "工作人员", "公众用户"), ("有效", "是", "否")],
        )
