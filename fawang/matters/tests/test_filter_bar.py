"""The queue filter bar, written in Python (fawang/lib/fields.py, fawang/lib/formrenderer.py): the same HTML as
components/field.html over Django's widget templates, the choices of the form, its selection, and escaping."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from fawang.catalog.models import ServiceItem
from fawang.lib.fields import render_fields
from fawang.lib.formfields import choices_of

from ..forms import MatterFilterForm
from .base import MatterTestCase


def through_templates(form: MatterFilterForm) -> str:
    """The bar as it was drawn before: the include per field over Django's own widget and error templates."""
    return "".join(render_to_string("components/field.html", {"field": form[name]}) for name in form.fields)


class FilterBarTestCase(MatterTestCase):
    def form(self, data: dict[str, Any] | None, **kwargs: Any) -> MatterFilterForm:
        form = MatterFilterForm(data, **kwargs)
        form.is_valid()
        return form

    def assert_same_html(self, data: dict[str, Any] | None, **kwargs: Any) -> str:
        fast = str(render_fields(self.form(data, **kwargs)))
        self.assertEqual(fast, through_templates(self.form(data, renderer=DjangoTemplates(), **kwargs)))
        return fast

    def test_same_html_as_the_field_template(self) -> None:
        self.assert_same_html(None)
        self.assert_same_html({"status": "open"}, region_root="350203")
        html = self.assert_same_html(
            {
                "q": 'FW"<x>',
                "status": "accepted",
                "item": str(self.mediation.pk),
                "channel": "hotline",
                "region": "350203001",
                "due_soon": "on",
                "overdue": "on",
                "sort": "new",
            },
            region_root="350203",
        )
        self.assertIn('<input type="checkbox" name="overdue" id="id_overdue" checked>', html)
        self.assertIn('value="FW&quot;&lt;x&gt;"', html)

    def test_same_html_with_errors(self) -> None:
        html = self.assert_same_html({"item": "999999", "status": "nonsense", "region": "350203002"})
        self.assertIn('<div class="field field-error">', html)
        self.assertIn('<ul class="errorlist" id="id_item_error"><li>', html)
        self.assertIn('aria-invalid="true"', html)

    def test_options_follow_the_choices_with_the_selection_and_escaping(self) -> None:
        ServiceItem.objects.filter(pk=self.mediation.pk).update(name='<b>调解</b> "申请"')
        form = self.form({"item": str(self.mediation.pk), "status": "open"})
        html = str(render_fields(form))
        for name in ("status", "item", "channel", "topic", "sort"):
            select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
            assert select is not None, name
            options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1))
            self.assertEqual(
                [(unescape(value), unescape(label)) for value, _selected, label in options],
                [(str(value), str(label)) for value, label in choices_of(form, name)],
            )
            chosen = [value for value, selected, _label in options if selected]
            # Unfiltered selects stay on their "全部…" option; the sort has none, so nothing is marked.
            self.assertEqual(
                chosen, {"status": ["open"], "item": [str(self.mediation.pk)], "sort": []}.get(name, [""])
            )
        self.assertIn(
            f'<option value="{self.mediation.pk}" selected>&lt;b&gt;调解&lt;/b&gt; &quot;申请&quot;</option>',
            html,
        )
        self.assertNotIn("<b>调解", html)

    def test_the_queue_page_draws_the_bar(self) -> None:
        client = Client()
        client.force_login(self.sm_supervisor)
        response = client.get(reverse("matters:list"), {"status": "open", "overdue": "on", "q": "<i>"})
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('<option value="open" selected>未办结（全部在办）</option>', html)
        self.assertIn('<label for="id_q">查找</label>', html)
        self.assertIn(
            '<input type="search" name="q" value="&lt;i&gt;" placeholder="受理编号、联系电话或身份证号码" '
            'maxlength="40" aria-describedby="id_q_helptext" id="id_q">',
            html,
        )
        self.assertIn('<input type="checkbox" name="overdue" id="id_overdue" checked>', html)
        self.assertNotIn("<i>", html)
