"""Model choice fields list their options with one plain query (no server-side cursor round trips)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fawang.matters.forms import MatterFilterForm, RequestForm, routable_units
from fawang.orgs.scoping import active_memberships
from fawang.test import BaseTestCase


class ListedChoicesTestCase(BaseTestCase):
    def test_a_select_of_units_is_one_query_and_lists_every_unit(self) -> None:
        form = RequestForm(user=self.sm_supervisor)
        # The list is built when the select is shown (a row rarely names a unit); the memberships it is filtered
        # by are read once per request (fawang/orgs/scoping.py), already read here as in a console page.
        active_memberships(self.sm_supervisor)
        with CaptureQueriesContext(connection) as ctx:
            html = str(form["unit"])
        self.assertEqual(len(ctx.captured_queries), 1)
        self.assertNotIn("DECLARE", ctx.captured_queries[0]["sql"])
        units = routable_units(self.sm_supervisor)
        self.assertGreater(units.count(), 10)
        for unit in units:
            self.assertIn(f'<option value="{unit.pk}">{unit.name}</option>', html)
        self.assertIn('<option value="" selected>（按分派规则自动分派）</option>', html)

    def test_a_posted_choice_is_still_validated_against_the_queryset(self) -> None:
        form = MatterFilterForm({"item": "999999"})
        self.assertFalse(form.is_valid())
        self.assertIn("item", form.errors)
