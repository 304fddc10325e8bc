from __future__ import annotations

from django.test import Client
from django.urls import reverse

from fawang.orgs.models import AdvisorAssignment, Unit
from fawang.test import BaseTestCase

HOME = reverse("portal:home")


class HomeTestCase(BaseTestCase):
    def test_it_offers_the_services_the_hotline_and_the_finder(self) -> None:
        response = self.client.get(HOME)
        self.assertEqual(response.status_code, 200)
        for service in ("法律咨询", "法律援助", "人民调解", "公证", "司法鉴定", "律师服务"):
            self.assertContains(response, f"<h3>{service}</h3>", html=True)
        self.assertContains(response, 'href="tel:12348"')
        self.assertContains(response, "找身边的服务点")
        self.assertContains(response, f'action="{reverse("portal:finder")}"')
        self.assertContains(response, '<label for="home_region_1">省（自治区、直辖市）</label>', html=True)
        self.assertContains(response, f'href="{reverse("portal:finder")}?kind=notary"')

    def test_it_stays_light(self) -> None:
        html = self.client.get(HOME).content.decode()
        self.assertNotIn("<img", html)
        self.assertNotIn("echarts", html)
        self.assertLess(len(html.encode()), 20_000)

    def test_elder_mode_marks_the_page(self) -> None:
        self.client.cookies["elder"] = "1"
        self.assertContains(self.client.get(HOME), '<html lang="zh-hans" class="elder">')

    def test_elder_toggle_sets_and_clears_the_cookie(self) -> None:
        response = self.client.post(reverse("portal:elder_toggle"), {"next": "/finder/"})
        self.assertRedirects(response, "/finder/", fetch_redirect_response=False)
        self.assertEqual(response.cookies["elder"].value, "1")
        response = self.client.post(reverse("portal:elder_toggle"), {"next": "https://evil.example/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(response.cookies["elder"].value, "")  # deleted


class UnitDetailTestCase(BaseTestCase):
    def url(self, unit: Unit) -> str:
        return reverse("portal:unit_detail", args=[unit.pk])

    def test_a_centre_shows_its_windows_functions_and_parent(self) -> None:
        centre = self.unit("siming.centre")
        response = self.client.get(self.url(centre))
        self.assertEqual(response.status_code, 200)
        for text in (
            "综合接待岗",
            "法律咨询岗",
            "法律援助岗",
            centre.address,
            centre.opening_hours,
            "基本服务",
            "思明区司法局",
        ):
            self.assertContains(response, text)
        self.assertContains(response, f'href="tel:{centre.phone}"')
        assert centre.parent is not None
        self.assertContains(response, f'href="{self.url(centre.parent)}"')

    def test_a_village_room_shows_its_advisor_but_not_the_advisor_phone(self) -> None:
        assignment = (
            AdvisorAssignment.objects.current()
            .select_related("practitioner", "room")
            .get(region_id="350203001001")
        )
        assert assignment.room is not None
        response = self.client.get(self.url(assignment.room))
        self.assertContains(response, assignment.practitioner.name)
        self.assertContains(response, assignment.service_schedule)
        self.assertNotContains(response, assignment.practitioner.phone)
        self.assertContains(response, f'href="tel:{assignment.room.phone}"')

    def test_staff_only_fields_never_appear(self) -> None:
        centre = self.unit("siming.centre")
        centre.require_2fa = True
        centre.description = "为群众提供一站式公共法律服务。"
        centre.save()
        response = self.client.get(self.url(centre))
        self.assertContains(response, "为群众提供一站式公共法律服务。")
        for hidden in ("双因素", "动态口令", "TOTP", "require_2fa", "启用", "创建时间"):
            self.assertNotContains(response, hidden)

    def test_inactive_units_hotlines_and_missing_ones_give_404(self) -> None:
        room = self.unit("siming.xiagang.room1")
        Unit.objects.filter(pk=room.pk).update(is_active=False)
        self.assertEqual(self.client.get(self.url(room)).status_code, 404)
        self.assertEqual(self.client.get(self.url(self.unit("xiamen.hotline_12345"))).status_code, 404)
        self.assertEqual(self.client.get(reverse("portal:unit_detail", args=[999999])).status_code, 404)

    def test_query_count_is_fixed(self) -> None:
        url = self.url(self.unit("siming.centre"))
        # unit (+region, parent), functions, windows, advisors, practitioners, whether it takes bookings
        with self.assertNumQueries(6):
            self.client.get(url)


class CsrfFailureTestCase(BaseTestCase):
    def test_a_stale_form_post_gets_a_chinese_page_that_says_nothing_was_saved(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.sm_clerk)
        r = client.post(reverse("matters:intake"), {"name": "陈建华", "csrfmiddlewaretoken": "stale"})
        self.assertContains(r, "页面已失效，本次提交未被处理", status_code=403)
        self.assertContains(r, "本次提交的内容没有保存", status_code=403)
        self.assertNotContains(r, "CSRF verification failed", status_code=403)
        r = client.post(reverse("matters:intake"), {"name": "陈建华"}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(r, "This page has expired; what you sent was not processed", status_code=403)
