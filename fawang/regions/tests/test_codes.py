from __future__ import annotations

from django.test import SimpleTestCase

from fawang.lib import codes
from fawang.regions.models import Region
from fawang.test import BaseTestCase


class CodesTestCase(SimpleTestCase):
    def test_level_and_parent_follow_the_code_length(self) -> None:
        self.assertEqual(
            [codes.level_of(c) for c in ("35", "3502", "350203", "350203001", "350203001001")],
            [1, 2, 3, 4, 5],
        )
        self.assertEqual(codes.parent_code("350203001001"), "350203001")
        self.assertEqual(codes.parent_code("3502"), "35")
        self.assertIsNone(codes.parent_code("35"))
        with self.assertRaisesMessage(ValueError, "区划代码长度不正确"):
            codes.level_of("350")

    def test_prefix_range_is_the_prefix_and_its_successor_of_the_same_width(self) -> None:
        self.assertEqual(codes.prefix_range("3502"), ("3502", "3503"))
        self.assertEqual(codes.prefix_range("350299"), ("350299", "350300"))
        self.assertEqual(codes.prefix_range("09"), ("09", "10"))

    def test_prefix_range_rejects_non_digits_and_all_nines(self) -> None:
        with self.assertRaisesMessage(ValueError, "区划代码只能由数字组成"):
            codes.prefix_range("35a")
        with self.assertRaisesMessage(ValueError, "区划代码只能由数字组成"):
            codes.prefix_range("")
        with self.assertRaisesMessage(ValueError, "区划代码前缀无后继"):
            codes.prefix_range("999")

    def test_under_is_a_half_open_range(self) -> None:
        q = codes.under("region_id", "350203")
        self.assertEqual(sorted(q.children), [("region_id__gte", "350203"), ("region_id__lt", "350204")])

    def test_minimal_prefixes_drops_covered_codes(self) -> None:
        self.assertEqual(
            codes.minimal_prefixes(["350203", "3502", "350322100", "350322", "3502", "350206001"]),
            ["3502", "350322"],
        )
        self.assertEqual(codes.minimal_prefixes([]), [])
        self.assertEqual(codes.minimal_prefixes(["350203", "350206"]), ["350203", "350206"])


class UnderQueryTestCase(BaseTestCase):
    def test_under_selects_the_subtree_and_nothing_beside_it(self) -> None:
        found = set(Region.objects.filter(codes.under("code", "350203")).values_list("code", flat=True))
        self.assertIn("350203", found)
        self.assertIn("350203001001", found)
        self.assertNotIn("3502", found)
        self.assertNotIn("350206", found)
        self.assertNotIn("350206001", found)
        self.assertTrue(all(code.startswith("350203") for code in found))
        self.assertEqual(len(found), Region.objects.filter(code__startswith="350203").count())

    def test_under_any_of_nothing_matches_nothing(self) -> None:
        self.assertEqual(Region.objects.filter(codes.under_any("code", [])).count(), 0)
        both = Region.objects.filter(codes.under_any("code", ["350203", "350206", "350206001"]))
        self.assertEqual(both.count(), Region.objects.filter(code__regex=r"^35020[36]").count())
