"""The staff console in its default language (zh-hans) and in English."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from fawang.test import BaseTestCase

HOME = reverse("console:home")
CJK = re.compile(r"[\u3400-\u9fff]")


class ConsoleLanguageTestCase(BaseTestCase):
    def setUp(self) -> None:
        # LocaleMiddleware leaves the last request's language active in this thread; put the default back so
        # later tests that format messages outside a request still get Chinese.
        self.addCleanup(translation.activate, translation.get_language() or settings.LANGUAGE_CODE)
        self.client.force_login(self.sm_supervisor)

    def english(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def main_of(self, html: str) -> str:
        match = re.search(r'<main id="main".*?</main>', html, re.S)
        assert match
        return match.group(0)

    def test_without_a_preference_the_console_is_in_chinese(self) -> None:
        response = self.client.get(HOME)
        self.assertContains(response, '<html lang="zh-hans">')
        for text in ("退出登录", "我的岗位", "常用功能", "辖区概况", "监督管理员", "跳到主要内容"):
            self.assertContains(response, text)
        self.assertNotContains(response, "Sign out")
        self.assertContains(response, 'name="language" value="en" lang="en">English</button>')

    def test_home_in_english(self) -> None:
        self.english()
        response = self.client.get(HOME)
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "<title>Home · 12348 Fawang Console</title>", html=True)
        self.assertContains(response, '<h1 class="page-title">Console</h1>', html=True)
        for text in (
            "Skip to main content",
            "Sign out",
            "Signed in as: ",
            "My posts",
            "Shortcuts",
            "Jurisdiction overview",
            "Village legal advisor coverage",
            "<td>Supervisor</td>",  # the role's label
            "Justice Bureau",  # the unit kind's label
        ):
            self.assertContains(response, text)
        for chinese in (
            "退出登录",
            "我的岗位",
            "常用功能",
            "辖区概况",
            "监督管理员",
            "跳到主要内容",
            "可见范围",
        ):
            self.assertNotContains(response, chinese)
        html = response.content.decode()
        headings = re.findall(r"<h[1-3][^>]*>.*?</h[1-3]>", self.main_of(html), re.S)
        self.assertGreaterEqual(len(headings), 3)
        for heading in headings:
            self.assertIsNone(CJK.search(heading), heading)

    def test_choosing_english_in_the_console_returns_to_the_same_page(self) -> None:
        units = reverse("console:unit_list")
        response = self.client.post(reverse("set_language"), {"language": "en", "next": units})
        self.assertRedirects(response, units, fetch_redirect_response=False)
        response = self.client.get(units)
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Service organisations")
        self.assertContains(response, "Public Legal Service Workstation")
        self.assertContains(response, "思明区公共法律服务中心")  # names are data and stay as entered
        self.assertNotContains(response, "服务机构</h1>")

    def test_messages_from_views_follow_the_language(self) -> None:
        self.english()
        response = self.client.post(reverse("console:switch_unit"), {"unit": "0", "next": HOME}, follow=True)
        self.assertContains(response, "You can only switch to an organisation where you hold a post.")
        self.assertNotContains(response, "只能切换到您任职的机构。")

    def test_navigation_in_english(self) -> None:
        """fawang/console/nav.py builds the labels from plain strings, not gettext_lazy."""
        self.english()
        html = self.client.get(HOME).content.decode()
        nav = re.search(r'<nav class="sidenav".*?</nav>', html, re.S)
        assert nav
        self.assertIsNone(CJK.search(nav.group(0)), nav.group(0))

    def test_list_filter_labels_in_english(self) -> None:
        """fawang/orgs/forms.py turns verbose names and "全部" into str at import time (_label, empty_label)."""
        self.english()
        response = self.client.get(reverse("console:unit_list"))
        self.assertContains(response, ">Organisation type</label>")
        self.assertNotContains(response, ">机构类型</label>")
