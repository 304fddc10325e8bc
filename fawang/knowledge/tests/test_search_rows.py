"""The search page fetches article rows for the results it shows, not for every result it counts (issue 15, speed)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fawang.knowledge import results, searching
from fawang.test import BaseTestCase

from .sample import import_sample

INDEX_DIR = Path(tempfile.mkdtemp(prefix="fawang-test-lawindex-rows-")) / "index"


@override_settings(LAW_INDEX_DIR=str(INDEX_DIR))
class SearchRowsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_sample(INDEX_DIR.parent / "source")
        cls.addClassCleanup(shutil.rmtree, INDEX_DIR.parent, True)
        searching.build(INDEX_DIR)

    def article_queries(self, q: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            r = self.client.get(reverse("knowledge:search"), {"q": q})
        self.assertEqual(r.status_code, 200)
        return sum(
            'FROM "knowledge_article"' in x["sql"] for x in queries.captured_queries
        ), r.content.decode()

    def test_a_page_costs_two_article_queries_however_many_articles_match(self) -> None:
        few, html = self.article_queries("网上平台 提交申请")
        many, html_many = self.article_queries("法律援助 申请 决定 人民法院")
        self.assertIn("<mark>", html)
        self.assertIn("<mark>", html_many)
        self.assertEqual((few, many), (2, 2))  # the results' ids, then the rows of those shown

    def test_results_not_shown_have_no_row_until_asked(self) -> None:
        index = searching.get_index()
        assert index is not None
        found = results.search(index, results.SearchParams(query="法律援助 申请 决定 人民法院")).results
        self.assertGreater(len(found), 2)
        results.load_articles(found[:1])
        with self.assertNumQueries(0):
            self.assertTrue(found[0].article.text)
        with self.assertNumQueries(1):  # one not loaded with the page fetches its own row
            self.assertEqual(found[1].article.law, found[1].law)
