"""The unit switcher: a person working for several units chooses which one they act for."""

from __future__ import annotations

from django.urls import reverse

from fawang.orgs.models import Membership
from fawang.orgs.web import SESSION_KEY
from fawang.test import BaseTestCase


class UnitSwitcherTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.sm_clerk)
        self.mine = list(
            Membership.objects.filter(user=self.sm_clerk).select_related("unit").order_by("unit__region_id")
        )

    def test_the_clerk_works_for_two_units_and_sees_a_switcher(self) -> None:
        self.assertEqual(len(self.mine), 2)
        response = self.client.get(reverse("console:home"))
        self.assertContains(response, 'name="unit"')
        for m in self.mine:
            self.assertContains(response, m.unit.name)

    def test_it_switches_to_another_own_unit(self) -> None:
        station = next(m.unit for m in self.mine if m.unit.kind == "station")
        response = self.client.post(reverse("console:switch_unit"), {"unit": station.pk, "next": "/console/"})
        self.assertRedirects(response, "/console/", fetch_redirect_response=False)
        self.assertEqual(self.client.session[SESSION_KEY], station.pk)
        page = self.client.get(reverse("console:home"))
        self.assertEqual(page.context["current_unit"], station)
        self.assertContains(page, f"已切换到：{station.name}")

    def test_it_refuses_a_unit_the_user_does_not_work_for(self) -> None:
        huli_centre = self.unit("huli.centre")
        response = self.client.post(
            reverse("console:switch_unit"), {"unit": huli_centre.pk, "next": "/console/"}, follow=True
        )
        self.assertContains(response, "只能切换到您任职的机构。")
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertNotEqual(response.context["current_unit"], huli_centre)

    def test_it_rejects_get(self) -> None:
        self.assertEqual(self.client.get(reverse("console:switch_unit")).status_code, 405)

    def test_it_ignores_an_off_site_next(self) -> None:
        station = next(m.unit for m in self.mine if m.unit.kind == "station")
        response = self.client.post(
            reverse("console:switch_unit"), {"unit": station.pk, "next": "https://evil.example/"}
        )
        self.assertRedirects(response, reverse("console:home"), fetch_redirect_response=False)
