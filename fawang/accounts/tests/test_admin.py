"""The back office of accounts: every save goes through the audited actions; a public account's phone stays
masked; accounts are never deleted."""

from __future__ import annotations

from django.urls import reverse

from fawang.accounts.models import User
from fawang.audit.testing import new_audit_rows
from fawang.test import BaseTestCase, admin_form_data


class AccountsAdminTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.sysadmin)

    def test_a_profile_edit_is_audited(self) -> None:
        url = reverse("admin:accounts_user_change", args=[self.sm_clerk.pk])
        data = admin_form_data(self.client.get(url))
        data["display_name"] = "林清（窗口）"
        data.pop("is_active")
        with new_audit_rows() as rows:
            response = self.client.post(url, data)
        self.assertRedirects(response, reverse("admin:accounts_user_changelist"))
        self.assertEqual(
            [(r.action, r.actor, r.person, r.before, r.after) for r in rows],
            [
                (
                    "accounts.update_account",
                    self.sysadmin,
                    self.sm_clerk,
                    {"display_name": self.sm_clerk.display_name, "is_active": True},
                    {"display_name": "林清（窗口）", "is_active": False},
                )
            ],
        )
        self.assertFalse(User.objects.get(pk=self.sm_clerk.pk).is_active)

    def test_an_administrator_sets_a_password_through_the_action(self) -> None:
        url = reverse("admin:auth_user_password_change", args=[self.sm_clerk.pk])
        with new_audit_rows() as rows:
            response = self.client.post(
                url,
                {
                    "password1": "Gulangyu-ferry-1880",
                    "password2": "Gulangyu-ferry-1880",
                    "usable_password": "true",
                },
            )
        self.assertRedirects(response, reverse("admin:accounts_user_change", args=[self.sm_clerk.pk]))
        user = User.objects.get(pk=self.sm_clerk.pk)
        self.assertTrue(user.check_password("Gulangyu-ferry-1880"))
        self.assertEqual([(r.action, r.person) for r in rows], [("accounts.reset_password", self.sm_clerk)])
        self.assertNotIn("pbkdf2", str(rows[0].after) + str(rows[0].before))

    def test_an_account_is_added_through_the_action(self) -> None:
        with new_audit_rows() as rows:
            response = self.client.post(
                reverse("admin:accounts_user_add"),
                {
                    "username": "ops_night",
                    "password1": "Gulangyu-ferry-1880",
                    "password2": "Gulangyu-ferry-1880",
                    "usable_password": "true",
                },
            )
        user = User.objects.get(username="ops_night")
        self.assertRedirects(response, reverse("admin:accounts_user_change", args=[user.pk]))
        self.assertEqual([(r.action, r.target_id) for r in rows], [("accounts.create_account", str(user.pk))])

    def test_public_phones_are_masked_and_accounts_not_deleted(self) -> None:
        changelist = self.client.get(reverse("admin:accounts_user_changelist"), {"q": "citizen"})
        self.assertContains(changelist, "138****0000")
        self.assertNotContains(changelist, "13800000000")
        page = self.client.get(reverse("admin:accounts_user_change", args=[self.citizen.pk]))
        self.assertContains(page, "138****0000")
        self.assertNotContains(page, "13800000000")
        delete = reverse("admin:accounts_user_delete", args=[self.citizen.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertTrue(User.objects.filter(pk=self.citizen.pk).exists())
