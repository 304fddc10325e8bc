"""Issue 13, deliver 7: searching the matter lists by ID number or phone keeps both out of every URL."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from .base import MatterTestCase, id_number


class PrivateSearchTests(MatterTestCase):
    def setUp(self) -> None:
        self.matter = self.submit(person=self.person(name="张三", phone="13912345678", id_number=id_number()))
        self.client = Client()
        self.client.force_login(self.sm_supervisor)
        self.url = reverse("matters:list")

    def search(self, q: str, **extra: str) -> tuple[str, Any]:
        posted = self.client.post(self.url, {"q": q, **extra})
        self.assertEqual(posted.status_code, 302)
        location = posted["Location"]
        return location, self.client.get(location)

    def test_an_id_number_search_finds_the_matter_without_the_number_in_the_url(self) -> None:
        location, page = self.search(id_number(), status="open")
        self.assertNotIn(id_number(), location)
        self.assertNotIn(id_number()[-6:], location)
        self.assertIn("s=", location)
        self.assertIn("status=open", location)
        self.assertContains(page, self.matter.tracking_no)

    def test_a_phone_search_too(self) -> None:
        location, page = self.search("139 1234 5678")
        self.assertNotIn("1391234", location.replace("+", "").replace("%20", ""))
        self.assertContains(page, self.matter.tracking_no)

    def test_a_tracking_number_stays_in_the_url(self) -> None:
        location, page = self.search(self.matter.tracking_no)
        self.assertIn(self.matter.tracking_no, location)
        self.assertContains(page, self.matter.tracking_no)

    def test_a_token_from_another_session_finds_nothing(self) -> None:
        location, _page = self.search(id_number())
        other = Client()
        other.force_login(self.sm_supervisor)
        page = other.get(location)
        self.assertContains(page, "搜索条件已失效，请重新输入身份证号码或联系电话。")
        self.assertNotContains(page, self.matter.tracking_no)

    def test_the_filter_form_is_posted(self) -> None:
        page = self.client.get(self.url)
        self.assertContains(page, f'<form method="post" action="{self.url}" class="filters" role="search"')
