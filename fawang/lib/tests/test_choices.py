"""Model choice fields list their options with one plain query (no server-side cursor round trips)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fawang.catalog.models import ServiceItem
from fawang.matters.forms import MatterFilterForm
from fawang.test import BaseTestCase


class ListedChoicesTestCase(BaseTestCase):
    def test_a_select_of_service_items_is_one_query_and_lists_every_item(self) -> None:
        form = MatterFilterForm()
        with CaptureQueriesContext(connection) as ctx:
            html = str(form["item"])
        self.assertEqual(len(ctx.captured_queries), 1)
        self.assertNotIn("DECLARE", ctx.captured_queries[0]["sql"])
        for item in ServiceItem.objects.all():
            self.assertIn(f'<option value="{item.pk}">{item.name}</option>', html)
        self.assertIn('<option value="" selected>全部事项</option>', html)

    def test_a_posted_choice_is_still_validated_against_the_queryset(self) -> None:
        form = MatterFilterForm({"item": "999999"})
        self.assertFalse(form.is_valid())
        self.assertIn("item", form.errors)
