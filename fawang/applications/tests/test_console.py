"""Staff see the application's facts on the matter detail, masked; 查看完整申请信息 shows them in full for one
response and writes the access log; staff of other regions get the same 404 as for the matter."""

from __future__ import annotations

from django.urls import reverse

from fawang.matters import actions as matter_actions
from fawang.matters.models import AccessLog, Matter

from .. import actions
from .base import ApplicationTestCase


class ConsoleTestCase(ApplicationTestCase):
    def submitted(self) -> Matter:
        app = self.fill_legal_aid(self.start())
        return actions.do_submit_application(app.pk, actor=self.user, pledge=True).matter

    def test_the_handler_sees_the_facts_masked(self) -> None:
        matter = self.submitted()
        self.client.force_login(self.sm_handler)
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "网上申请信息")
        self.assertContains(page, "请求确认劳动关系或者支付劳动报酬")
        self.assertContains(page, "家庭人均月收入")
        self.assertContains(page, "450.00 元")
        self.assertContains(page, "法律援助法 第四十一条")
        self.assertContains(page, "350203********3714")
        self.assertContains(page, "李*兰")  # household members' names masked too
        self.assertNotContains(page, "李秀兰")
        self.assertNotContains(page, matter.person.id_number)
        self.assertContains(page, "查看完整申请信息")

    def test_revealing_shows_everything_once_and_is_logged(self) -> None:
        matter = self.submitted()
        self.client.force_login(self.sm_handler)
        url = reverse("applications_console:reveal", args=[matter.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url, {"purpose": "核实身份"}, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertNotContains(response, "<html")  # the fragment htmx swaps in
        self.assertContains(response, matter.person.id_number)
        self.assertContains(response, "李秀兰")
        self.assertContains(response, "0592-1234567")
        log = AccessLog.objects.get(matter=matter)
        self.assertEqual((log.user, log.purpose), (self.sm_handler, "核实身份"))
        self.assertEqual(log.fields, "网上申请：申请人身份证号码、联系电话，当事人联系电话")
        # Without JavaScript the same answer is a whole page.
        page = self.client.post(url, {"purpose": "办理事项"})
        self.assertContains(page, "<html")
        self.assertContains(page, "返回事项详情")
        self.assertEqual(AccessLog.objects.filter(matter=matter).count(), 2)

    def test_roles_and_regions_decide(self) -> None:
        matter = self.submitted()
        url = reverse("applications_console:reveal", args=[matter.pk])
        # A unit administrator of 思明区 sees the matter but may not see full personal data.
        self.client.force_login(self.sm_admin)
        self.assertNotContains(
            self.client.get(reverse("matters:detail", args=[matter.pk])), "查看完整申请信息"
        )
        self.assertEqual(self.client.post(url, {"purpose": "核实身份"}).status_code, 403)
        # 湖里区 staff: the same 404 as for the matter.
        self.client.force_login(self.hl_clerk)
        self.assertEqual(self.client.get(reverse("matters:detail", args=[matter.pk])).status_code, 404)
        self.assertEqual(self.client.post(url, {"purpose": "核实身份"}).status_code, 404)
        # The citizen: the console does not exist for them.
        self.client.force_login(self.user)
        self.assertEqual(self.client.post(url, {"purpose": "核实身份"}).status_code, 404)
        self.assertFalse(AccessLog.objects.filter(matter=matter).exists())

    def test_a_matter_taken_in_at_the_window_has_no_facts_panel(self) -> None:
        matter = self.submit()
        self.client.force_login(self.sm_handler)
        self.assertNotContains(self.client.get(reverse("matters:detail", args=[matter.pk])), "网上申请信息")
        url = reverse("applications_console:reveal", args=[matter.pk])
        self.assertEqual(self.client.post(url, {"purpose": "核实身份"}).status_code, 404)

    def test_an_id_number_another_record_holds_is_flagged(self) -> None:
        matter_actions.resolve_person(
            matter_actions.PersonData(
                name="王建华", phone="13900001111", id_number=self.user.profile.id_number
            )
        )
        matter = self.submitted()
        self.assertEqual(matter.person.user, self.user)
        self.client.force_login(self.sm_handler)
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "申请人填写的身份证号码已登记在另一服务对象档案下，申请人尚未证明是本人")
        self.assertNotContains(page, "王*华")
