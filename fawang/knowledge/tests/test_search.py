from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import ClassVar

from django.test import override_settings
from django.urls import reverse

from fawang.knowledge import searching
from fawang.knowledge.models import Law
from fawang.test import BaseTestCase

from .sample import AID, CPL_2021, CPL_2023, OLD, SHANGHAI, import_sample

# Unique per run: parallel runs (SQLite and PostgreSQL, other developers) must not share it.
INDEX_DIR = Path(tempfile.mkdtemp(prefix="fawang-test-lawindex-")) / "index"


@override_settings(LAW_INDEX_DIR=str(INDEX_DIR))
class SearchPageTestCase(BaseTestCase):
    ids: ClassVar[dict[str, int]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_sample(INDEX_DIR.parent / "source")
        cls.addClassCleanup(shutil.rmtree, INDEX_DIR.parent, True)
        searching.build(INDEX_DIR)  # a dozen articles: well under a second
        cls.ids = dict(Law.objects.values_list("source_id", "pk"))

    def search(self, **params: str) -> tuple[str, list[str]]:
        r = self.client.get(reverse("knowledge:search"), params)
        self.assertEqual(r.status_code, 200)
        html = r.content.decode()
        links = [
            line.split('href="', 1)[1].split('"', 1)[0]
            for line in html.splitlines()
            if "<h3><a href=" in line
        ]
        return html, links

    def test_a_lay_question_finds_the_article_with_highlights(self) -> None:
        html, links = self.search(q="法律援助 申请 多久 决定", status="current")
        self.assertIn(f"/laws/{self.ids[AID]}/#a43", links[:2])
        self.assertIn("<mark>", html)
        self.assertIn("《中华人民共和国法律援助法》第四十三条", html)

    def test_everything_is_escaped(self) -> None:
        html, links = self.search(q="<b>网上平台</b> 提交申请")
        self.assertIn(f"/laws/{self.ids[AID]}/#a43-1", links)
        self.assertNotIn("<script>alert(1)", html)
        self.assertNotIn("<b>网上平台", html)
        self.assertIn("&lt;b&gt;网上平台&lt;/b&gt;", html)  # the query echoed in the box and title

    def test_filters(self) -> None:
        _, local = self.search(q="法律援助 七日 决定", level="地方性法规")
        self.assertEqual(local, [f"/laws/{self.ids[SHANGHAI]}/#a1"])
        _, shanghai = self.search(q="法律援助 七日 决定", scope="上海")
        self.assertEqual(shanghai, local)
        _, national = self.search(q="法律援助 七日 决定", scope="national")
        self.assertNotIn(local[0], national)
        self.assertTrue(national)
        html, old = self.search(q="民事诉讼 宪法 审判", date_to="2022-12-31")
        self.assertIn('name="date_to" value="2022-12-31"', html)  # the date box keeps its value
        self.assertEqual(old, [f"/laws/{self.ids[CPL_2021]}/#a1"])
        _, current = self.search(q="劳动教养 民事诉讼 宪法 审判", status="current")
        self.assertEqual(current, [f"/laws/{self.ids[CPL_2023]}/#a1"])
        _, everything = self.search(q="劳动教养 审查决定")
        self.assertIn(f"/laws/{self.ids[OLD]}/#a1", everything)
        # Without filters one version of a provision is shown: the one in force.
        _, versions = self.search(q="民事诉讼 宪法 审判")
        self.assertIn(f"/laws/{self.ids[CPL_2023]}/#a1", versions)
        self.assertNotIn(f"/laws/{self.ids[CPL_2021]}/#a1", versions)

    def test_date_order_and_title_only(self) -> None:
        _, by_date = self.search(q="法律援助 决定", order="date")
        # 法律援助法 (2021-08-20) before the 上海 regulation (2020-05-14), whatever their relevance.
        self.assertLess(
            by_date.index(f"/laws/{self.ids[AID]}/#a43"), by_date.index(f"/laws/{self.ids[SHANGHAI]}/#a1")
        )
        _, titles = self.search(q="民事诉讼法", title_only="on")
        self.assertEqual(titles, [f"/laws/{self.ids[CPL_2023]}/"])  # one entry per law: the version in force

    def test_empty_too_long_and_no_results(self) -> None:
        html, _ = self.search(q="  ")
        self.assertIn("请输入要查询的问题或关键词。", html)
        html, _ = self.search(q="法" * 201)
        self.assertIn("查询内容过长（201 字），请精简到 200 字以内。", html)
        html, _ = self.search(q="ZQXW")
        self.assertIn("没有找到相关的法律条文。", html)
        html, _ = self.search()
        self.assertNotIn("检索结果", html)

    def test_without_an_index_the_page_says_so(self) -> None:
        with override_settings(LAW_INDEX_DIR=str(INDEX_DIR / "missing")):
            html, links = self.search(q="法律援助")
        self.assertIn("检索索引尚未建立", html)
        self.assertEqual(links, [])
