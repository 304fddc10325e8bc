"""Issue 14, item 24: `load_demo` (and so `make run`) lists every demo sign-in, not 12 of them; item 2: the
centres' 法律咨询岗 accounts among them."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command

from fawang.accounts.models import User
from fawang.orgs.demo import PERSONA_USERNAMES
from fawang.test import BaseTestCase


class DemoAccountsTestCase(BaseTestCase):
    def test_every_demo_account_is_listed_with_where_it_works(self) -> None:
        out = StringIO()
        call_command("load_demo", stdout=out)
        text = out.getvalue()
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
