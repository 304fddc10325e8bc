"""Issue 14, item 19: the console home shows each role its own work first (my matters, the unit's new ones, due
soon and overdue, today's appointments), the directory after."""

from __future__ import annotations

from django.urls import reverse

from fawang.matters import actions
from fawang.matters.models import Matter
from fawang.matters.tests.base import MatterTestCase


class HomeWorkTestCase(MatterTestCase):
    def home(self) -> str:
        response = self.client.get(reverse("console:home"))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_handler_sees_their_matters_before_the_directory(self) -> None:
        before = Matter.objects.filter(handler=self.sm_handler).open().count()
        matter = self.submit()
        actions.do_accept(matter.pk, actor=self.sm_handler)
        actions.do_assign(matter.pk, actor=self.sm_handler, handler=self.sm_handler)
        self.client.force_login(self.sm_handler)
        html = self.home()
        self.assertLess(html.index("我的工作"), html.index("常用功能"))
        mine = reverse("matters:my_queue")
        self.assertIn(f'href="{mine}"><strong class="">{before + 1}</strong> 我承办的在办事项', html)
        self.assertIn("本机构待受理", html)
        self.assertIn("临近时限", html)
        self.assertNotIn("今日预约", html)  # not a front-desk role

    def test_a_window_clerk_sees_todays_appointments(self) -> None:
        self.client.force_login(self.sm_clerk)
        html = self.home()
        self.assertIn("今日预约", html)
        self.assertIn("本机构待受理", html)

    def test_a_unit_admin_gets_no_matter_tiles(self) -> None:
        self.client.force_login(self.sm_admin)
        self.assertNotIn("我承办的在办事项", self.home())
