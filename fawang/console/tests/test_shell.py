"""The console layout's navigation and unit switcher, written in Python (templatetags/console_shell.py): the
same HTML as the template fragments they replaced in console/base.html, kept here as the reference."""

from __future__ import annotations

from typing import Any

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from fawang.console.nav import build_nav
from fawang.orgs.web import current_unit, memberships
from fawang.test import BaseTestCase

# console/base.html before the tags, byte for byte (each fragment from its {% if %} to its {% endif %}).
SIDENAV = """{% load i18n %}{% if console_nav %}
  <nav class="sidenav" id="console-nav" aria-label="{% translate '工作台导航' %}">
    <button type="button" class="nav-toggle" aria-expanded="false" aria-controls="console-nav-groups">{% translate "菜单" %}</button>
    <div class="nav-groups" id="console-nav-groups">
      {% regroup console_nav by section as nav_sections %}
      {% for group in nav_sections %}
      <div class="nav-section">
        {% if group.grouper %}<h2 id="nav-section-{{ forloop.counter }}">{{ group.grouper }}</h2>{% endif %}
        <ul{% if group.grouper %} aria-labelledby="nav-section-{{ forloop.counter }}"{% endif %}>
          {% for item in group.list %}
          <li><a href="{{ item.url }}"{% if item.active %} aria-current="page"{% endif %}>{{ item.label }}</a></li>
          {% endfor %}
        </ul>
      </div>
      {% endfor %}
    </div>
  </nav>
  {% endif %}"""
SWITCHER = """{% load i18n %}{% if user_memberships|length > 1 %}
    <form method="post" action="{% url 'console:switch_unit' %}" class="unit-switch">
      {% csrf_token %}
      <label class="visually-hidden" for="unit-switch-select">{% translate "切换单位" %}</label>
      <select id="unit-switch-select" name="unit" data-autosubmit>
        {% for membership in user_memberships %}
        <option value="{{ membership.unit.pk }}"{% if current_unit and membership.unit.pk == current_unit.pk %} selected{% endif %}>{{ membership.unit.name }}（{{ membership.get_role_display }}）</option>
        {% endfor %}
      </select>
      <button type="submit" class="header-btn">{% translate "切换" %}</button>
    </form>
    {% endif %}"""


class ShellTestCase(BaseTestCase):
    def context_of(self, user: Any, path: str) -> dict[str, Any]:
        request = RequestFactory().get(path)
        request.user = user
        request.session = {}  # type: ignore[assignment]
        return {
            "console_nav": build_nav(request),
            "current_unit": current_unit(request),
            "user_memberships": memberships(request),
            "csrf_token": "t0ken",
        }

    def assert_same(self, context: dict[str, Any]) -> tuple[str, str]:
        nav = Template("{% load console_shell %}{% console_sidenav %}").render(Context(context))
        switcher = Template("{% load console_shell %}{% unit_switcher %}").render(Context(context))
        self.assertEqual(nav, Template(SIDENAV).render(Context(context)))
        self.assertEqual(switcher, Template(SWITCHER).render(Context(context)))
        return nav, switcher

    def test_same_html_for_each_persona(self) -> None:
        for user in (self.sm_clerk, self.xm_supervisor, self.sm_handler, self.hl_clerk):
            with self.subTest(user=user.username):
                self.assert_same(self.context_of(user, reverse("matters:unit_queue")))
        nav, switcher = self.assert_same(self.context_of(self.sm_clerk, reverse("matters:unit_queue")))
        self.assertIn('aria-current="page">本单位事项</a>', nav)
        self.assertIn('<input type="hidden" name="csrfmiddlewaretoken" value="t0ken">', switcher)
        self.assertEqual(switcher.count(" selected>"), 1)

    def test_same_html_with_markup_in_labels_and_no_section(self) -> None:
        context = self.context_of(self.sm_clerk, "/console/")
        context["console_nav"] = [
            {"section": "", "label": "<b>首页</b>", "url": '/console/?a="1"&b', "active": True},
            {"section": "甲&乙", "label": "一", "url": "/one/", "active": False},
            {"section": "甲&乙", "label": "二", "url": "/two/", "active": False},
            {"section": "", "label": "三", "url": "/three/", "active": False},
        ]
        nav, _switcher = self.assert_same(context)
        self.assertIn("&lt;b&gt;首页&lt;/b&gt;", nav)
        self.assertIn('href="/console/?a=&quot;1&quot;&amp;b"', nav)

    def test_nothing_without_nav_or_with_one_unit(self) -> None:
        context = self.context_of(self.sm_clerk, "/console/")
        context.update(console_nav=[], user_memberships=context["user_memberships"][:1])
        nav, switcher = self.assert_same(context)
        self.assertEqual((nav, switcher), ("", ""))
