"""操作记录 in the console: who reads it, which rows they see (those of the units they reach), the filters, the
before → after in words, and the recent rows on the unit and staff pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fawang.accounts import actions as account_actions
from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.orgs import actions
from fawang.orgs.models import Membership, Unit
from fawang.test import HULI, SIMING, BaseTestCase

AUDIT = reverse("console:audit_list")


class AuditPageTestCase(BaseTestCase):
    sm_station: ClassVar[Unit]
    hl_station: ClassVar[Unit]
    hl_admin: ClassVar[User]
    rows: ClassVar[dict[str, AuditEvent]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.hl_admin = User.objects.get(username="hl_admin")
        cls.sm_station = Unit.objects.filter(kind=Unit.Kind.STATION, region__parent_id=SIMING).order_by("pk")[
            0
        ]
        cls.hl_station = Unit.objects.filter(kind=Unit.Kind.STATION, region__parent_id=HULI).order_by("pk")[0]
        mark = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        actions.update_unit(cls.sm_station.pk, actor=cls.sm_admin, require_2fa=True)
        actions.add_window(cls.hl_station.pk, actor=cls.hl_admin, kind="reception", number=9, name="湖里九号")
        actions.grant_role(cls.sm_clerk.pk, cls.sm_station.pk, Membership.Role.HANDLER, actor=cls.sm_admin)
        account_actions.do_change_password(cls.sm_clerk.pk, "Gulangyu-ferry-1880", actor=cls.sm_clerk)
        account_actions.do_change_password(cls.hl_clerk.pk, "Gulangyu-ferry-1880", actor=cls.hl_clerk)
        made = list(AuditEvent.objects.filter(id__gt=mark).order_by("id"))
        cls.rows = dict(
            zip(["sm_2fa", "hl_window", "sm_grant", "sm_password", "hl_password"], made, strict=True)
        )

    def login(self, user: User) -> None:
        # Fresh from the database: setUpTestData changed some passwords, which ends sessions made with the old.
        self.client.force_login(User.objects.get(pk=user.pk))

    def shown(self, user: User, **params: Any) -> set[str]:
        """Names (keys of ``rows``) of the test's rows on the page ``user`` gets with ``params``."""
        self.login(user)
        response = self.client.get(AUDIT, params)
        self.assertEqual(response.status_code, 200)
        ids = {e.pk for e in response.context["page_obj"].object_list}
        return {name for name, row in self.rows.items() if row.pk in ids}

    def test_supervisors_see_the_rows_of_the_units_they_reach(self) -> None:
        self.assertEqual(self.shown(self.sm_supervisor), {"sm_2fa", "sm_grant", "sm_password"})
        self.assertEqual(self.shown(self.hl_supervisor), {"hl_window", "hl_password"})
        self.assertEqual(self.shown(self.xm_supervisor), set(self.rows))
        self.assertEqual(self.shown(self.sm_admin), {"sm_2fa", "sm_grant", "sm_password"})
        self.assertEqual(self.shown(self.sysadmin), set(self.rows))

    def test_other_roles_are_refused(self) -> None:
        for user in (self.sm_clerk, self.sm_handler):
            self.login(user)
            self.assertEqual(self.client.get(AUDIT).status_code, 403)
        self.login(self.citizen)
        self.assertEqual(self.client.get(AUDIT).status_code, 404)

    def test_filters(self) -> None:
        today = timezone.localdate()
        self.assertEqual(self.shown(self.sm_supervisor, unit=self.sm_station.pk), {"sm_2fa", "sm_grant"})
        # A unit outside one's reach filters to nothing and is not named.
        self.assertEqual(self.shown(self.sm_supervisor, unit=self.hl_station.pk), set())
        self.assertNotContains(self.client.get(AUDIT, {"unit": self.hl_station.pk}), self.hl_station.name)
        self.assertEqual(self.shown(self.sm_supervisor, person="sm_clerk"), {"sm_grant", "sm_password"})
        self.assertEqual(
            self.shown(self.sm_supervisor, person="sm_admin"), {"sm_2fa", "sm_grant"}
        )  # as actor
        self.assertEqual(self.shown(self.sm_supervisor, person="hl_clerk"), set())
        self.assertEqual(self.shown(self.sm_supervisor, action="orgs.grant_role"), {"sm_grant"})
        self.assertEqual(
            self.shown(self.sm_supervisor, date_from=today.isoformat(), date_to=today.isoformat()),
            {"sm_2fa", "sm_grant", "sm_password"},
        )
        self.assertEqual(
            self.shown(self.sm_supervisor, date_to=(today - dt.timedelta(days=1)).isoformat()), set()
        )
        self.assertEqual(
            self.shown(self.sm_supervisor, date_from=(today + dt.timedelta(days=1)).isoformat()), set()
        )
        response = self.client.get(
            AUDIT, {"date_from": today.isoformat(), "date_to": (today - dt.timedelta(days=1)).isoformat()}
        )
        self.assertContains(response, "起始日期不能晚于截止日期。", status_code=400)

    def test_before_and_after_in_words(self) -> None:
        self.login(self.sm_supervisor)
        response = self.client.get(AUDIT, {"unit": self.sm_station.pk})
        self.assertContains(response, "修改机构信息")
        self.assertContains(response, "要求双因素登录：</span>否 → 是", html=False)
        self.assertContains(response, "授予角色")
        self.assertContains(response, "角色：</span>承办人", html=False)
        self.assertContains(response, "sm_admin")

    def test_the_list_reads_a_fixed_number_of_queries(self) -> None:
        self.login(self.xm_supervisor)
        self.client.get(AUDIT)  # warm the per-process caches

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(AUDIT).status_code, 200)
            return len(queries)

        before = count()
        for number in range(20, 40):
            actions.add_window(self.sm_station.pk, actor=self.sm_admin, kind="reception", number=number)
        self.assertEqual(count(), before)

    def test_recent_rows_on_the_unit_and_staff_pages(self) -> None:
        self.login(self.sm_supervisor)
        page = self.client.get(reverse("console:unit_detail", args=[self.sm_station.pk]))
        self.assertContains(page, "最近操作记录")
        self.assertContains(page, "要求双因素登录")
        self.assertContains(page, f"{AUDIT}?unit={self.sm_station.pk}")
        page = self.client.get(reverse("console:staff_detail", args=[self.sm_clerk.pk]))
        self.assertContains(page, "授予角色")
        self.assertContains(page, "修改本人密码")
        self.assertContains(page, f"{AUDIT}?person=sm_clerk")
        # Staff without the right see no trail there.
        self.login(self.sm_clerk)
        page = self.client.get(reverse("console:unit_detail", args=[self.sm_station.pk]))
        self.assertNotContains(page, "最近操作记录")

    def test_the_navigation_offers_it_to_readers_only(self) -> None:
        self.login(self.sm_supervisor)
        self.assertContains(self.client.get(reverse("console:home")), f'href="{AUDIT}"')
        self.login(self.sm_clerk)
        self.assertNotContains(self.client.get(reverse("console:home")), f'href="{AUDIT}"')
