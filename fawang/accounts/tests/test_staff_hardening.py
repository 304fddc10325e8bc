"""Issue 13, staff sign-in: the second factor by role, recovery codes, the forced password change, and a
lockout a stranger cannot turn against the account's owner."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from fawang.accounts import actions as account_actions
from fawang.accounts.models import RecoveryCode, SignInThrottle, User
from fawang.audit.models import AuditEvent
from fawang.orgs import actions as org_actions
from fawang.orgs.models import Membership

from .helpers import HOME, INVALID, LOCKED, SETUP, T0, VERIFY, SignInTestCase, clock

CHANGE = reverse("accounts:password_change")
NEW = "Xin-mima-2026-qiang"
STRANGER = "203.0.113.9"


def unbind(user: User) -> None:
    User.objects.filter(pk=user.pk).update(totp_secret="", totp_confirmed_at=None, totp_last_step=None)


class SecondFactorByRoleTests(SignInTestCase):
    def test_supervisors_admins_and_the_system_admin_must_bind(self) -> None:
        for user in (self.sm_supervisor, self.sm_admin, self.sysadmin):
            unbind(user)
            self.client.logout()
            r = self.sign_in(user.username)
            self.assertRedirects(r, SETUP, fetch_redirect_response=False, msg_prefix=user.username)
            self.assertIsNone(self.signed_in_as())

    def test_other_staff_still_sign_in_with_the_password(self) -> None:
        self.assertRedirects(self.sign_in("sm_handler"), HOME, fetch_redirect_response=False)

    def test_a_unit_admin_switching_the_unit_rule_off_does_not_free_supervisors(self) -> None:
        unit = Membership.objects.filter(user=self.sm_supervisor).first().unit  # type: ignore[union-attr]
        unit.require_2fa = True
        unit.save()
        admin = Membership.objects.filter(role=Membership.Role.UNIT_ADMIN, unit=unit).first()
        actor = admin.user if admin else self.sysadmin
        org_actions.update_unit(unit.pk, actor=actor, require_2fa=False)
        unbind(self.sm_supervisor)
        self.assertRedirects(self.sign_in("sm_supervisor"), SETUP, fetch_redirect_response=False)

    def test_only_a_system_admin_may_take_a_second_factor_off(self) -> None:
        with self.assertRaises(PermissionDenied):
            account_actions.do_reset_totp(self.sysadmin.pk, actor=self.sm_admin)
        self.assertTrue(User.objects.get(pk=self.sysadmin.pk).has_totp)
        account_actions.do_reset_totp(self.sm_supervisor.pk, actor=self.sysadmin)
        self.assertFalse(User.objects.get(pk=self.sm_supervisor.pk).has_totp)


class RecoveryCodeTests(SignInTestCase):
    def bind_with_codes(self) -> tuple[str, list[str]]:
        self.client.force_login(self.hl_clerk)
        with clock(T0):
            self.client.get(SETUP)
            secret = str(self.client.session["totp_setup"]["secret"])
            r = self.client.post(SETUP, {"code": self.code(secret, T0)})
        codes = list(r.context["codes"])
        for code in codes:
            self.assertContains(r, code)
        self.client.logout()
        return secret, codes

    def test_codes_are_stored_only_as_hashes(self) -> None:
        _secret, codes = self.bind_with_codes()
        stored = list(RecoveryCode.objects.filter(user=self.hl_clerk).values_list("code_hash", flat=True))
        self.assertEqual(len(stored), 10)
        for code in codes:
            self.assertNotIn(code, stored)
            self.assertNotIn(code.replace("-", ""), stored)

    def test_a_recovery_code_signs_in_once(self) -> None:
        _secret, codes = self.bind_with_codes()
        with clock(T0 + dt.timedelta(minutes=1)):
            self.assertRedirects(self.sign_in("hl_clerk"), VERIFY, fetch_redirect_response=False)
            r = self.client.post(VERIFY, {"code": codes[3].upper()})
            self.assertRedirects(r, HOME, fetch_redirect_response=False)
            self.assertEqual(self.signed_in_as(), self.hl_clerk.pk)
            self.client.logout()
            self.sign_in("hl_clerk")
            again = self.client.post(VERIFY, {"code": codes[3]})
            self.assertEqual(again.status_code, 200)
            self.assertIsNone(self.signed_in_as())
        self.assertTrue(
            AuditEvent.objects.filter(action="accounts.use_recovery_code", person=self.hl_clerk).exists()
        )


class ForcedPasswordChangeTests(SignInTestCase):
    def test_a_new_colleague_changes_the_initial_password_first(self) -> None:
        unit = Membership.objects.filter(user=self.hl_clerk).first().unit  # type: ignore[union-attr]
        org_actions.create_staff(
            unit.pk,
            actor=self.sysadmin,
            username="new_clerk",
            display_name="新同事",
            phone="",
            password="Chushi-mima-2026",
            role=Membership.Role.WINDOW_CLERK,
        )
        r = self.sign_in("new_clerk", "Chushi-mima-2026")
        self.assertRedirects(r, CHANGE, fetch_redirect_response=False)
        # Every other page leads back to the password page until it is changed.
        self.assertRedirects(self.client.get(HOME), CHANGE, fetch_redirect_response=False)
        r = self.client.post(
            CHANGE, {"old_password": "Chushi-mima-2026", "new_password1": NEW, "new_password2": NEW}
        )
        self.assertRedirects(r, HOME, fetch_redirect_response=False)
        self.assertFalse(User.objects.get(username="new_clerk").must_change_password)
        self.assertEqual(self.client.get(HOME).status_code, 200)

    def test_an_administrators_reset_forces_a_change_too(self) -> None:
        account_actions.do_set_password(self.sm_handler.pk, "Chongshe-mima-2026", actor=self.sysadmin)
        self.assertTrue(User.objects.get(pk=self.sm_handler.pk).must_change_password)
        r = self.sign_in("sm_handler", "Chongshe-mima-2026")
        self.assertRedirects(r, CHANGE, fetch_redirect_response=False)


class StrangerLockoutTests(SignInTestCase):
    def stranger_fails(self, times: int) -> list[list[str]]:
        return [
            self.errors(
                self.client.post(
                    "/accounts/login/",
                    {"username": "sm_clerk", "password": f"guess-{i}"},
                    REMOTE_ADDR=STRANGER,
                )
            )
            for i in range(times)
        ]

    def test_a_stranger_locks_only_their_own_address(self) -> None:
        self.assertEqual(self.stranger_fails(6)[-2:], [[LOCKED], [LOCKED]])
        # The owner, from the office's address, signs in as usual.
        self.assertRedirects(self.sign_in("sm_clerk"), HOME, fetch_redirect_response=False)
        self.assertTrue(SignInThrottle.objects.get(username=f"sm_clerk|{STRANGER}").is_locked())

    @override_settings(TRUSTED_PROXIES="127.0.0.1/32")
    def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_counted(self) -> None:
        for i in range(5):
            self.client.post(
                "/accounts/login/",
                {"username": "sm_clerk", "password": f"guess-{i}"},
                HTTP_X_FORWARDED_FOR=STRANGER,
            )
        self.assertTrue(SignInThrottle.objects.get(username=f"sm_clerk|{STRANGER}").is_locked())
        self.assertFalse(SignInThrottle.objects.filter(username="sm_clerk|127.0.0.1").exists())
        self.assertRedirects(self.sign_in("sm_clerk"), HOME, fetch_redirect_response=False)

    def test_a_locked_attempt_is_refused_before_any_password_hashing(self) -> None:
        with mock.patch.object(User, "check_password", autospec=True, return_value=False) as check:
            self.stranger_fails(5)
            self.assertEqual(check.call_count, 5)
            self.assertEqual(self.stranger_fails(3), [[LOCKED]] * 3)
            self.assertEqual(check.call_count, 5)

    def test_every_lock_and_unlock_is_audited(self) -> None:
        with clock(T0):
            self.assertEqual(self.stranger_fails(4), [[INVALID]] * 4)
            self.assertFalse(AuditEvent.objects.filter(action="accounts.sign_in_locked").exists())
            self.stranger_fails(1)
        locked = AuditEvent.objects.get(action="accounts.sign_in_locked")
        self.assertEqual(
            (locked.target_name, locked.ip, locked.person_id), ("sm_clerk", STRANGER, self.sm_clerk.pk)
        )
        with clock(T0 + dt.timedelta(minutes=2)):
            self.stranger_fails(1)
        self.assertEqual(AuditEvent.objects.filter(action="accounts.sign_in_unlocked").count(), 1)
        self.assertEqual(AuditEvent.objects.filter(action="accounts.sign_in_locked").count(), 2)
        row = SignInThrottle.objects.get(username=f"sm_clerk|{STRANGER}")
        from fawang.accounts.backends import do_unlock

        with self.assertRaises(PermissionDenied):
            do_unlock(row.pk, actor=self.sm_admin)
        do_unlock(row.pk, actor=self.sysadmin)
        self.assertFalse(SignInThrottle.objects.filter(pk=row.pk).exists())
        unlocked = AuditEvent.objects.filter(action="accounts.sign_in_unlocked").order_by("-pk").first()
        assert unlocked is not None
        self.assertEqual(unlocked.actor_id, self.sysadmin.pk)


class DemoCodeTests(SignInTestCase):
    def test_the_demo_shows_its_own_accounts_code_and_nothing_else_does(self) -> None:
        # The demo flags its accounts (fawang/orgs/demo.py); the test world's persona is flagged here the same way.
        User.objects.filter(pk=self.sm_supervisor.pk).update(is_demo=True)
        supervisor = User.objects.get(pk=self.sm_supervisor.pk)
        self.assertTrue(supervisor.is_demo and supervisor.has_totp)
        with clock(T0):
            self.sign_in("sm_supervisor")
            with override_settings(DEMO=False):
                self.assertNotContains(self.client.get(VERIFY), "data-demo-code")
            with override_settings(DEMO=True):
                page = self.client.get(VERIFY)
                code = self.code(supervisor.totp_secret, T0)
                self.assertContains(page, f"<code data-demo-code>{code}</code>", html=False)
                r = self.client.post(VERIFY, {"code": code})
        self.assertRedirects(r, HOME, fetch_redirect_response=False)
