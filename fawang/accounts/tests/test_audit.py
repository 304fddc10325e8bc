"""Credentials, second factors and the back office's account changes each leave one audit row, with no secret
in it: neither the password, its hash nor the TOTP secret."""

from __future__ import annotations

import datetime as dt

import pyotp
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fawang.accounts import actions
from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.audit.testing import new_audit_rows
from fawang.test import BaseTestCase


def local(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else None


class AccountsAuditTestCase(BaseTestCase):
    def one(self, rows: list[AuditEvent], action: str) -> AuditEvent:
        self.assertEqual([r.action for r in rows], [action])
        row = rows[0]
        stored = f"{row.before} {row.after} {row.note}"
        user = User.objects.get(pk=row.target_id)
        for secret in (user.password, user.totp_secret):
            if secret:
                self.assertNotIn(secret, stored)
        return row

    def test_binding_and_resetting_the_second_factor(self) -> None:
        secret = pyotp.random_base32()
        with new_audit_rows() as rows:
            self.assertTrue(
                actions.do_bind_totp(self.sm_clerk.pk, secret, pyotp.TOTP(secret).now(), actor=self.sm_clerk)
            )
        row = self.one(rows, "accounts.bind_totp")
        bound = User.objects.get(pk=self.sm_clerk.pk)
        self.assertEqual(
            (row.actor, row.person, row.unit, row.target_type, row.target_name),
            (self.sm_clerk, self.sm_clerk, None, "accounts.user", "sm_clerk"),
        )
        self.assertEqual(
            (row.before, row.after),
            ({"totp_confirmed_at": None}, {"totp_confirmed_at": local(bound.totp_confirmed_at)}),
        )
        self.assertNotIn(secret, str(row.after))

        # A wrong code binds nothing and records nothing.
        with new_audit_rows() as rows:
            self.assertFalse(
                actions.do_bind_totp(self.sm_clerk.pk, pyotp.random_base32(), "000000", actor=self.sm_clerk)
            )
        self.assertEqual(rows, [])

        with new_audit_rows() as rows:
            actions.do_reset_totp(self.sm_clerk.pk, actor=self.sysadmin)
            actions.do_reset_totp(self.sm_clerk.pk, actor=self.sysadmin)  # nothing bound any more: no row
        row = self.one(rows, "accounts.reset_totp")
        self.assertEqual(
            (row.actor, row.person, row.before, row.after),
            (
                self.sysadmin,
                self.sm_clerk,
                {"totp_confirmed_at": local(bound.totp_confirmed_at)},
                {"totp_confirmed_at": None},
            ),
        )

    def test_changing_ones_password(self) -> None:
        with new_audit_rows() as rows:
            user = actions.do_change_password(self.sm_clerk.pk, "Gulangyu-ferry-1880", actor=self.sm_clerk)
        row = self.one(rows, "accounts.change_password")
        self.assertEqual(
            (row.actor, row.before, row.after),
            (
                self.sm_clerk,
                {"password_changed_at": None},
                {"password_changed_at": local(user.password_changed_at)},
            ),
        )

    def test_the_back_office_creates_edits_and_resets_accounts(self) -> None:
        with new_audit_rows() as rows:
            user = actions.do_create_account(
                actor=self.sysadmin, username="ops_new", password="Gulangyu-ferry-1880", display_name="运维"
            )
        row = self.one(rows, "accounts.create_account")
        self.assertEqual(
            (row.person, row.before, row.after),
            (user, {}, {"username": "ops_new", "kind": "staff", "display_name": "运维"}),
        )

        with new_audit_rows() as rows:
            actions.do_update_account(user.pk, actor=self.sysadmin, is_active=False)
            actions.do_update_account(
                user.pk, actor=self.sysadmin, display_name="运维值班", phone="139 0000 1111"
            )
            actions.do_update_account(
                user.pk, actor=self.sysadmin, display_name="运维值班"
            )  # unchanged: no row
        self.assertEqual([r.action for r in rows], ["accounts.set_account_active", "accounts.update_account"])
        self.assertEqual((rows[0].before, rows[0].after), ({"is_active": True}, {"is_active": False}))
        self.assertEqual(
            (rows[1].before, rows[1].after),
            ({"display_name": "运维", "phone": ""}, {"display_name": "运维值班", "phone": "13900001111"}),
        )

        with new_audit_rows() as rows:
            changed = actions.do_set_password(user.pk, "Xiamen-bridge-2026", actor=self.sysadmin)
        row = self.one(rows, "accounts.reset_password")
        self.assertEqual(row.after, {"password_changed_at": local(changed.password_changed_at)})
        self.assertTrue(User.objects.get(pk=user.pk).check_password("Xiamen-bridge-2026"))

    def test_the_back_office_refuses_raising_ones_own_rights_and_non_superusers(self) -> None:
        with new_audit_rows() as rows:
            with self.assertRaises(ValidationError) as caught:
                actions.do_update_account(self.sysadmin.pk, actor=self.sysadmin, is_superuser=False)
            self.assertEqual(
                caught.exception.messages, ["不能修改本人账号的类型、状态或权限，请由其他系统管理员办理。"]
            )
            with self.assertRaises(PermissionDenied):
                actions.do_update_account(self.sm_admin.pk, actor=self.sm_admin, is_superuser=True)
            with self.assertRaises(PermissionDenied):
                actions.do_set_password(self.sm_clerk.pk, "Gulangyu-ferry-1880", actor=self.sm_admin)
        self.assertEqual(rows, [])
        self.assertFalse(User.objects.get(pk=self.sm_admin.pk).is_superuser)
