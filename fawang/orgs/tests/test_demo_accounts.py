"""Issue 14, item 24: `load_demo` (and so `make run`) lists every demo sign-in, not 12 of them; item 2: the
centres' 法律咨询岗 accounts among them. The test database holds the test world (fawang/testing/world.py), not the
demo: this is the one test that loads the demo, over the world (the demo reuses the units and accounts it finds by
name), and checks what a newcomer signs in with and what the lines' demos made."""

from __future__ import annotations

import re
from io import StringIO
from typing import ClassVar

from django.core.management import call_command

from fawang.accounts.models import User
from fawang.corrections.models import Subject
from fawang.frontdesk.models import Schedule
from fawang.hotline import cti
from fawang.hotline.demo import DEMO_TOKEN
from fawang.hotline.models import CtiSystem
from fawang.legalaid.demo import DEMO_DOC
from fawang.legalaid.models import (
    AidLawyer,
    DutyStation,
    HardshipStandard,
    NotifyingPartner,
    ReferenceFigure,
    SubsidyRate,
)
from fawang.matters.models import Matter
from fawang.orgs.demo import DEMO_PASSWORD, PERSONA_USERNAMES
from fawang.publicity.models import Site
from fawang.resettlement.models import ReleaseNotice
from fawang.test import BaseTestCase
from fawang.testing.world import PASSWORD as WORLD_PASSWORD


class DemoAccountsTestCase(BaseTestCase):
    out: ClassVar[str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # The world's own legal-aid standards and roster stand where the legal-aid demo puts its own, and that
        # demo only runs on a database without a standard: clear them first (rolled back after the class).
        for model in (
            AidLawyer,
            DutyStation,
            NotifyingPartner,
            HardshipStandard,
            ReferenceFigure,
            SubsidyRate,
        ):
            model.objects.all().delete()
        out = StringIO()
        call_command("load_demo", stdout=out)
        cls.out = out.getvalue()

    def test_the_line_demos(self) -> None:
        self.assertTrue(Matter.objects.filter(idempotency_key__startswith="demo:").exists())
        self.assertTrue(CtiSystem.objects.filter(token_hash=cti.token_hash(DEMO_TOKEN)).exists())
        self.assertTrue(HardshipStandard.objects.filter(document=DEMO_DOC).exists())
        self.assertTrue(
            Schedule.objects.filter(unit__name="思明区公共法律服务中心", name="视频法律咨询").exists()
        )
        self.assertTrue(Subject.objects.exists())
        self.assertTrue(ReleaseNotice.objects.exists())
        self.assertTrue(Site.objects.filter(town_id="350203003").exists())  # 中华街道's square

    def test_every_demo_account_is_listed_with_where_it_works(self) -> None:
        text = self.out
        listed = re.findall(r"^  (\S+) +(.+)$", text, flags=re.M)
        names = [name for name, _ in listed]
        staff = set(User.objects.filter(kind=User.Kind.STAFF).values_list("username", flat=True))
        # The 33 personas of the spine, then the accounts the lines' demos add (legal aid: a handler per firm on
        # its roster, sm_firm1 ...).
        self.assertEqual(len(PERSONA_USERNAMES), 33)
        self.assertTrue(set(PERSONA_USERNAMES) <= staff)
        self.assertEqual(set(names), staff - {"citizen"})
        self.assertEqual(len(names), len(staff))
        self.assertEqual(names[: len(PERSONA_USERNAMES)], PERSONA_USERNAMES)
        self.assertIn(f"演示账号 {len(staff)} 个（密码均为 fawang-demo-2026）", text)
        what = dict(listed)
        # The legal-aid line's demo adds the handler of a law firm on its roster (fawang/legalaid/demo.py).
        self.assertIn("律师事务所（示例） 承办人（法律援助承办）", what["sm_firm1"])
        self.assertEqual(what["sm_corrections"], "厦港街道司法所 社区矫正工作人员")
        self.assertEqual(
            what["sm_clerk"], "思明区公共法律服务中心 窗口受理员；厦港街道公共法律服务工作站 窗口受理员"
        )
        self.assertIn("热线座席员", what["xy_agent"])
        self.assertEqual(what["sm_consultant"], "思明区公共法律服务中心 承办人（法律咨询岗）")
        self.assertEqual(what["fj_consultant"], "福建省公共法律服务中心 承办人（法律咨询岗）")

    def test_the_accounts_the_demo_made_sign_in_with_the_demo_password(self) -> None:
        # The demo's accounts share one hash of the password (demo_password_hash); the world's keep their own.
        by_demo = []
        for user in User.objects.filter(kind=User.Kind.STAFF).exclude(username="citizen"):
            if not user.check_password(WORLD_PASSWORD):
                self.assertTrue(user.check_password(DEMO_PASSWORD), user.username)
                self.assertFalse(user.check_password(DEMO_PASSWORD + "x"), user.username)
                by_demo.append(user.username)
        # Here the world holds the personas, so the demo makes only the legal-aid line's accounts; the end-to-end
        # tests sign in as the personas fawang/orgs/demo.py makes (tests/e2e/conftest.py's sign_in).
        self.assertEqual(by_demo, ["sm_firm1"])
