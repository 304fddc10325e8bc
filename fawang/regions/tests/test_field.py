from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from fawang.regions.forms import RegionField
from fawang.regions.models import Region
from fawang.test import BaseTestCase


class RegionFieldTestCase(BaseTestCase):
    def assert_error(self, field: RegionField, value: object, message: str) -> None:
        with self.assertRaises(ValidationError) as raised:
            field.clean(value)
        self.assertEqual(raised.exception.messages, [message])

    def test_a_valid_code_cleans_to_its_region(self) -> None:
        field = RegionField(root="3502")
        self.assertEqual(field.clean("350203001001"), Region.objects.get(code="350203001001"))
        self.assertEqual(field.clean(" 350203 "), Region.objects.get(code="350203"))

    def test_a_code_outside_the_root_is_refused_in_chinese(self) -> None:
        self.assert_error(
            RegionField(root="350203"), "350206001", "所选地区不在福建省厦门市思明区范围内，请重新选择。"
        )
        field = RegionField()
        field.root = Region.objects.get(code="350322")  # set per request, e.g. to the user's own county
        self.assert_error(field, "350203", "所选地区不在福建省莆田市仙游县范围内，请重新选择。")

    def test_garbage_is_refused_in_chinese(self) -> None:
        field = RegionField()
        for value in ("abc", "3502031", "35020300100x", "<script>"):
            with self.subTest(value=value):
                self.assert_error(field, value, "行政区划代码无效，请从列表中选择地区。")
        self.assert_error(field, "350203999999", "所选地区不存在，请重新选择。")

    def test_required_and_level_limits(self) -> None:
        self.assert_error(RegionField(), "", "这个字段是必填项。")
        self.assertIsNone(RegionField(required=False).clean(""))
        self.assert_error(RegionField(max_level=4), "350203001001", "最多选择到乡镇（街道）一级。")
        self.assert_error(RegionField(min_level=5), "350203001", "请选择到村（社区）一级。")

    def test_in_a_form_the_levels_are_read_from_the_selects(self) -> None:
        class F(forms.Form):
            region = RegionField(label="地区")

        form = F({"region_1": "35", "region_2": "3502", "region_3": "350322"})  # 仙游县 is not in 厦门市
        self.assertTrue(form.is_valid())
        self.assertEqual(form.cleaned_data["region"].code, "3502")
        form = F({"region_1": "zz"})
        self.assertFalse(form.is_valid())
        self.assertEqual(form.errors["region"], ["行政区划代码无效，请从列表中选择地区。"])

    def test_initial_region_renders_as_chosen(self) -> None:
        class F(forms.Form):
            region = RegionField(label="地区", root="3502")

        form = F(initial={"region": Region.objects.get(code="350203001")})
        html = str(form["region"])
        self.assertIn('<option value="350203001" selected>', html)
        self.assertIn("<fieldset>", str(form.as_div()))  # the label is a legend around the selects
        self.assertFalse(F(initial={"region": "350203"}, data={"region_3": "350203"}).has_changed())
