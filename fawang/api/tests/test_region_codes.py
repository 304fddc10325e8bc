"""Issue 14, item 29: region codes have variable length (35, 3502, 350203, 350203001); the zero-padded forms people
copy from other systems (350200, 350200000000) are accepted, and an unknown parent says why, with the code forms."""

from __future__ import annotations

from django.test import SimpleTestCase

from fawang.lib import codes
from fawang.regions.forms import RegionField
from fawang.test import BaseTestCase

URL = "/api/v1/regions/"


class CanonicalTestCase(SimpleTestCase):
    def test_padded_forms_lose_their_zero_levels(self) -> None:
        for given, expected in (
            ("350200", "3502"),
            ("350200000000", "3502"),
            ("350203000000", "350203"),
            ("350203001000", "350203001"),
            ("350000", "35"),
            (" 3502 ", "3502"),
            ("350201", "350201"),  # 市辖区 is a real code, not padding
            ("350203001001", "350203001001"),
            ("35x2", "35x2"),
            ("3502000", "3502000"),  # not a code length: left for the caller's error
        ):
            with self.subTest(given=given):
                self.assertEqual(codes.canonical(given), expected)


class RegionApiTestCase(BaseTestCase):
    def names(self, parent: str) -> list[str]:
        response = self.client.get(URL, {"parent": parent})
        self.assertEqual(response.status_code, 200, response.content.decode())
        return [row["code"] for row in response.json()]

    def test_the_padded_parent_lists_the_same_children(self) -> None:
        children = self.names("3502")
        self.assertIn("350203", children)
        self.assertEqual(self.names("350200"), children)
        self.assertEqual(self.names("350200000000"), children)

    def test_an_unknown_parent_says_why(self) -> None:
        response = self.client.get(URL, {"parent": "990000"})
        self.assertEqual(response.status_code, 404)
        error = response.json()["error"]
        self.assertEqual(error["code"], "not_found")
        self.assertIn("没有代码为 99 的区划", error["message"])
        self.assertIn("350200000000", error["message"])
        response = self.client.get(URL, {"parent": "35020"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("区划代码格式不正确", response.json()["error"]["message"])

    def test_the_region_field_takes_padded_codes(self) -> None:
        field = RegionField(min_level=3)
        self.assertEqual(field.clean("350203000000").code, "350203")

    def test_the_schema_documents_the_code_forms(self) -> None:
        schema = self.client.get("/api/v1/schema/").content.decode()
        self.assertIn("也接受其他系统常用的补零写法", schema)
