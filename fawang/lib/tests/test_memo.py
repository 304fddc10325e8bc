"""Reference data remembered per process: loaded once within its lifetime, again after it, never when the
setting turns it off (tests)."""

from __future__ import annotations

from unittest import mock

from django.db import connection
from django.test import SimpleTestCase, override_settings
from django.test.utils import CaptureQueriesContext

from fawang.lib import memo
from fawang.matters.forms import MatterFilterForm
from fawang.test import BaseTestCase


class MemoTestCase(SimpleTestCase):
    def setUp(self) -> None:
        memo.forget()
        self.addCleanup(memo.forget)

    @override_settings(REFERENCE_CACHE_SECONDS=30)
    def test_a_value_is_loaded_once_within_its_lifetime_and_again_after(self) -> None:
        load = mock.Mock(side_effect=[1, 2])
        with mock.patch.object(memo.time, "monotonic", return_value=100.0):
            self.assertEqual(memo.remembered("k", load), 1)
            self.assertEqual(memo.remembered("k", load), 1)
        with mock.patch.object(memo.time, "monotonic", return_value=131.0):
            self.assertEqual(memo.remembered("k", load), 2)
        self.assertEqual(load.call_count, 2)

    @override_settings(REFERENCE_CACHE_SECONDS=10)
    def test_the_setting_is_the_lifetime(self) -> None:
        load = mock.Mock(side_effect=[1, 2])
        with mock.patch.object(memo.time, "monotonic", return_value=100.0):
            memo.remembered("k", load)
        with mock.patch.object(memo.time, "monotonic", return_value=109.0):
            self.assertEqual(memo.remembered("k", load), 1)
        with mock.patch.object(memo.time, "monotonic", return_value=111.0):
            self.assertEqual(memo.remembered("k", load), 2)

    @override_settings(REFERENCE_CACHE_SECONDS=0)
    def test_zero_turns_it_off(self) -> None:
        load = mock.Mock(side_effect=[1, 2])
        self.assertEqual([memo.remembered("k", load), memo.remembered("k", load)], [1, 2])


@override_settings(REFERENCE_CACHE_SECONDS=60)
class FilterBarTestCase(BaseTestCase):
    def setUp(self) -> None:
        memo.forget()
        self.addCleanup(memo.forget)

    def test_the_second_filter_bar_reads_no_names_or_regions(self) -> None:
        def render() -> str:
            form = MatterFilterForm({"status": "open"}, region_root="350203")
            form.is_valid()
            return "".join(str(form[name]) for name in ("item", "topic", "region"))

        with CaptureQueriesContext(connection) as first:
            html = render()
        with CaptureQueriesContext(connection) as second:
            self.assertEqual(render(), html)
        self.assertEqual(len(first.captured_queries), 3)
        self.assertEqual(len(second.captured_queries), 0)
        self.assertIn("法律援助申请", html)
        self.assertIn("婚姻家庭", html)
        self.assertIn("厦港街道", html)
