"""Issue 14, item 16: 农民工 declared in the first step (申请人信息) comes ticked in step 4 as the 第四十二条 ground
"申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员" — when the application is about pay or an injury — and
what the applicant then saves in step 4 stands."""

from __future__ import annotations

import re

from django.urls import reverse

from ..definitions import suggested_grounds
from ..models import Application, Means
from .base import APPLICANT, LEGAL_AID_MATTER, MEANS, OTHER_PARTY, ApplicationTestCase

MIGRANT = 'value="migrant_worker"'


def ticked(html: str, value: str) -> bool:
    box = re.search(rf'<input type="checkbox" name="grounds_42" value="{value}"[^>]*>', html)
    assert box, f"no {value} box"
    return "checked" in box.group(0)


class SuggestedGroundsTestCase(ApplicationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.user)
        self.app = self.start()

    def means_page(self) -> str:
        page = self.client.get(reverse("applications:step", args=[self.app.pk, "means"]))
        self.assertEqual(page.status_code, 200)
        return page.content.decode()

    def test_a_migrant_worker_asking_for_pay_finds_the_exemption_ticked(self) -> None:
        self.save(self.app, "applicant", APPLICANT)  # 特殊群体: 农民工
        self.save(self.app, "matter", LEGAL_AID_MATTER)  # 案由: 请求确认劳动关系或者支付劳动报酬
        self.save(self.app, "parties", OTHER_PARTY)
        html = self.means_page()
        self.assertIn(MIGRANT, html)
        self.assertTrue(ticked(html, "migrant_worker"))
        self.assertFalse(ticked(html, "assistance_recipient"))
        self.assertIn("根据您在“申请人信息”中勾选的特殊群体，已预先勾选", html)
        # Submitting the step as it came (the box ticked, no income facts) saves the ground.
        self.client.post(
            reverse("applications:step", args=[self.app.pk, "means"]),
            {"grounds_42": ["migrant_worker"], "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0"},
        )
        self.assertEqual(Means.objects.get(application=self.app).exemption_grounds, ["migrant_worker"])

    def test_what_the_applicant_saved_in_step_four_stands(self) -> None:
        self.save(self.app, "applicant", APPLICANT)
        self.save(self.app, "matter", LEGAL_AID_MATTER)
        self.save(self.app, "means", MEANS)  # by economic difficulty, no ground
        html = self.means_page()
        self.assertFalse(ticked(html, "migrant_worker"))
        self.assertNotIn("已预先勾选", html)

    def test_no_migrant_ground_for_a_matter_not_about_pay_or_injury(self) -> None:
        self.save(self.app, "applicant", APPLICANT)
        self.save(self.app, "matter", {**LEGAL_AID_MATTER, "category": "maintenance"})
        self.assertFalse(ticked(self.means_page(), "migrant_worker"))

    def test_without_the_group_nothing_is_ticked_and_low_income_means_social_assistance(self) -> None:
        self.save(self.app, "applicant", {**APPLICANT, "special_groups": []})
        self.save(self.app, "matter", LEGAL_AID_MATTER)
        self.assertFalse(ticked(self.means_page(), "migrant_worker"))
        self.save(self.app, "applicant", {**APPLICANT, "special_groups": ["low_income", "migrant_worker"]})
        app = Application.objects.get(pk=self.app.pk)
        self.assertEqual(suggested_grounds(app), ["assistance_recipient", "migrant_worker"])
