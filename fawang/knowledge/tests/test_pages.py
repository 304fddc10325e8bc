from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import ClassVar

from django.template import Context, Template
from django.urls import reverse

from fawang.knowledge.citations import link_citations
from fawang.knowledge.models import Law
from fawang.test import BaseTestCase

from .sample import AID, AID_43, CPL_2021, CPL_2023, import_sample


class LawPageTestCase(BaseTestCase):
    aid: ClassVar[Law]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        tmp = Path(tempfile.mkdtemp(prefix="fawang-laws-"))
        cls.addClassCleanup(shutil.rmtree, tmp, True)
        import_sample(tmp)
        cls.aid = Law.objects.get(source_id=AID)

    def test_law_page_has_toc_anchors_and_status(self) -> None:
        with self.assertNumQueries(3):  # law, its articles, its versions
            r = self.client.get(reverse("knowledge:law", args=[self.aid.pk]))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, '<article class="law-article" id="a43">', html=False)
        self.assertContains(r, 'id="a43-1"')
        self.assertContains(r, AID_43)
        self.assertContains(r, '<a href="#s1">第一章 总 则</a>', html=True)
        self.assertContains(r, '<h2 id="s2">第四章 程序和实施</h2>', html=True)
        self.assertContains(r, '<span class="badge badge-ok">现行有效</span>', html=True)
        # Article text is escaped, never rendered as markup.
        self.assertContains(r, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(r, "<script>alert(1)")

    def test_short_article_link_redirects_to_the_anchor(self) -> None:
        r = self.client.get(reverse("knowledge:article", args=[self.aid.pk, "a43"]))
        self.assertRedirects(r, f"/laws/{self.aid.pk}/#a43", fetch_redirect_response=False)
        self.assertEqual(
            self.client.get(reverse("knowledge:article", args=[self.aid.pk, "a999"])).status_code, 404
        )

    def test_old_version_shows_the_chain_and_a_warning(self) -> None:
        old, new = Law.objects.get(source_id=CPL_2021), Law.objects.get(source_id=CPL_2023)
        r = self.client.get(old.get_absolute_url())
        self.assertContains(r, "本文本已被修改")
        self.assertContains(r, '<span class="badge badge-warn">已修改</span>', html=True)
        self.assertContains(r, f'<a href="/laws/{new.pk}/">中华人民共和国民事诉讼法</a>', html=True)
        self.assertEqual(self.client.get("/laws/999999/").status_code, 404)

    def test_citation_links_to_the_article_of_the_version_in_force(self) -> None:
        html = link_citations("依据《中华人民共和国法律援助法》第四十三条，七日内决定。")
        self.assertEqual(
            html,
            f'依据<a class="law-cite" href="/laws/{self.aid.pk}/#a43">《中华人民共和国法律援助法》第四十三条</a>，七日内决定。',
        )
        new = Law.objects.get(source_id=CPL_2023)
        self.assertIn(f'href="/laws/{new.pk}/#a1"', link_citations("《民事诉讼法》第一条"))
        self.assertIn(f'href="/laws/{self.aid.pk}/"', link_citations("《法律援助法》规定"))

    def test_citation_filter_escapes_and_leaves_unknown_citations(self) -> None:
        out = Template("{% load laws %}{{ text|cite_laws }}").render(
            Context({"text": "<b>见</b>《不存在的法》第一条和《中华人民共和国法律援助法》第九十九条"})
        )
        self.assertEqual(
            out, "&lt;b&gt;见&lt;/b&gt;《不存在的法》第一条和《中华人民共和国法律援助法》第九十九条"
        )
