from __future__ import annotations

import re

from django import forms
from django.urls import reverse

from fawang.regions.forms import RegionCascadeMixin, RegionField
from fawang.regions.models import Region
from fawang.regions.widgets import RegionSelect, region_label
from fawang.test import BaseTestCase

CHILDREN = reverse("regions:children")


def option_codes(html: str, select_id: str) -> list[str]:
    """The option values of one <select> in ``html`` (empty placeholder left out)."""
    match = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select #{select_id}"
    return [v for v in re.findall(r'<option value="([^"]*)"', match.group(1)) if v]


def selected_code(html: str, select_id: str) -> str | None:
    match = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select #{select_id}"
    found = re.search(r'<option value="([^"]*)" selected>', match.group(1))
    return found.group(1) if found else None


class ChildrenEndpointTestCase(BaseTestCase):
    def get(self, **params: str) -> tuple[int, str]:
        response = self.client.get(CHILDREN, {"picker": "region", "id": "id_region", **params})
        return response.status_code, response.content.decode()

    def test_it_fills_the_next_level_with_the_direct_children(self) -> None:
        status, html = self.get(region_1="35", region_2="3502", region_3="350203")
        self.assertEqual(status, 200)
        towns = set(Region.objects.filter(parent_id="350203").values_list("code", flat=True))
        self.assertEqual(set(option_codes(html, "id_region_4")), towns)
        self.assertEqual(len(towns), 10)
        self.assertEqual(selected_code(html, "id_region_3"), "350203")
        self.assertNotIn('id="id_region_5"', html)
        self.assertIn('<label for="id_region_4">乡镇（街道）</label>', html)
        self.assertIn(">厦港街道<", html)

    def test_asking_for_a_province_returns_its_cities_and_no_villages(self) -> None:
        status, html = self.get(region_1="35")
        self.assertEqual(status, 200)
        self.assertEqual(set(option_codes(html, "id_region_2")), {f"35{n:02d}" for n in range(1, 10)})
        self.assertNotIn('id="id_region_3"', html)
        every_value = re.findall(r'<option value="(\d+)"', html)
        self.assertTrue(every_value)
        self.assertEqual({len(v) for v in every_value}, {2, 4})  # provinces and Fujian's cities only

    def test_it_is_public_and_cacheable(self) -> None:
        response = self.client.get(CHILDREN, {"picker": "region", "region_1": "35"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("max-age=86400", response["Cache-Control"])
        self.assertIn("public", response["Cache-Control"])

    def test_it_only_answers_get(self) -> None:
        self.assertEqual(self.client.post(CHILDREN, {"picker": "region", "region_1": "35"}).status_code, 405)

    def test_unknown_or_malformed_codes_give_404(self) -> None:
        for params in (
            {"region_1": "99"},  # no such province
            {"region_1": "35", "region_2": "3599"},  # no such city
            {"region_1": "abc"},
            {"region": "350203999999"},
            {"root": "3502", "region_3": "350322"},  # 仙游县 is not under 厦门市
            {"root": "9999"},
            {"root": "35x"},
            {"max_level": "9"},
            {"picker": 'x" onmouseover="alert(1)'},
        ):
            with self.subTest(params=params):
                self.assertEqual(self.get(**params)[0], 404)

    def test_a_root_starts_the_picker_below_it(self) -> None:
        status, html = self.get(root="3502", max_level="4", region_3="350206")
        self.assertEqual(status, 200)
        self.assertNotIn('id="id_region_1"', html)
        self.assertNotIn('id="id_region_2"', html)
        self.assertEqual(
            option_codes(html, "id_region_3"),
            list(Region.objects.filter(parent_id="3502").values_list("code", flat=True)),
        )
        self.assertTrue(all(c.startswith("350206") for c in option_codes(html, "id_region_4")))
        # max_level 4: no village select and no "下一级" once a town could be chosen.
        status, html = self.get(root="3502", max_level="4", region_3="350206", region_4="350206001")
        self.assertNotIn("id_region_5", html)
        self.assertNotIn("下一级", html)


class PlaceholderLabelTestCase(BaseTestCase):
    def test_placeholders_carry_the_name_of_their_place(self) -> None:
        self.assertEqual(region_label(Region.objects.get(code="1101")), "市辖区（北京市）")
        self.assertEqual(region_label(Region.objects.get(code="5002")), "县（重庆市）")
        self.assertEqual(region_label(Region.objects.get(code="350203001001")), "鸿山社区")
        self.assertEqual(region_label(Region.objects.get(code="350203")), "思明区")

    def test_placeholders_stay_selectable(self) -> None:
        status = self.client.get(CHILDREN, {"picker": "region", "region_1": "11", "region_2": "1101"})
        html = status.content.decode()
        self.assertIn('<option value="1101" selected>市辖区（北京市）</option>', html)
        self.assertIn("110101", option_codes(html, "id_region_3"))


class ApplicationForm(RegionCascadeMixin, forms.Form):
    name = forms.CharField(label="姓名")
    region = RegionField(label="所在地区", root="3502")


class NoScriptCascadeTestCase(BaseTestCase):
    """Without JavaScript the "下一级" button submits the form and the server fills in the next level."""

    def test_next_button_rerenders_with_the_next_level_and_no_errors(self) -> None:
        form = ApplicationForm({"region_3": "350203", "region__next": "1"})
        self.assertTrue(form.cascading)
        self.assertFalse(form.is_valid())
        self.assertEqual(form.errors, {})
        html = str(form["region"])
        self.assertEqual(selected_code(html, "id_region_3"), "350203")
        self.assertIn("350203001", option_codes(html, "id_region_4"))
        self.assertNotIn("id_region_5", html)
        self.assertIn('name="region__next"', html)  # still more levels to go

    def test_changing_an_upper_level_drops_the_stale_lower_ones(self) -> None:
        form = ApplicationForm({"region_3": "350206", "region_4": "350203001", "region__next": "1"})
        html = str(form["region"])
        self.assertEqual(selected_code(html, "id_region_3"), "350206")
        self.assertIsNone(selected_code(html, "id_region_4"))
        self.assertTrue(all(c.startswith("350206") for c in option_codes(html, "id_region_4")))

    def test_the_real_submit_cleans_to_the_deepest_region(self) -> None:
        form = ApplicationForm(
            {"name": "王小明", "region_3": "350203", "region_4": "350203001", "region_5": "350203001001"}
        )
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["region"], Region.objects.get(code="350203001001"))

    def test_the_finder_page_cascades_without_javascript(self) -> None:
        response = self.client.get(
            reverse("portal:finder"), {"region_1": "35", "region_2": "3502", "region__next": "1"}
        )
        html = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(selected_code(html, "id_region_2"), "3502")
        self.assertIn("350203", option_codes(html, "id_region_3"))
        self.assertIn(
            '<noscript><button type="submit" class="btn btn-secondary btn-sm" name="region__next"', html
        )


class WidgetQueryTestCase(BaseTestCase):
    def test_rendering_a_deep_choice_is_one_query(self) -> None:
        widget = RegionSelect(max_level=5)
        with self.assertNumQueries(1):
            html = widget.render("region", "350203001001", {"id": "id_region"})
        self.assertEqual(selected_code(html, "id_region_5"), "350203001001")
        self.assertEqual(selected_code(html, "id_region_1"), "35")
