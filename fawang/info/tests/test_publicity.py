"""普法: publicity articles and 以案释法 cases written in the console, listed by category with a facet,
paginated, and read on their own pages; drafts and other kinds of entry are not part of it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fawang.knowledge import actions
from fawang.knowledge.models import KnowledgeEntry
from fawang.orgs.models import Speciality
from fawang.test import BaseTestCase

LIST = reverse("info:articles")


class PublicityTestCase(BaseTestCase):
    def write(
        self, title: str, kind: str = KnowledgeEntry.Kind.PUBLICITY, topic: str | None = "family", **kw: Any
    ) -> Any:
        entry = actions.create_entry(
            actor=self.sysadmin,
            unit_id=self.unit("xiamen.bureau").pk,
            kind=kind,
            title=title,
            body=kw.pop("body", "遭受家庭暴力，可以向公安机关报案，也可以向人民法院申请人身安全保护令。"),
            topic=Speciality.objects.get(code=topic) if topic else None,
        )
        if kw.get("published", True):
            entry = actions.publish(entry.pk, actor=self.sysadmin)
        return entry

    def test_articles_and_cases_are_listed_but_not_faqs_guides_or_drafts(self) -> None:
        article = self.write("遭受家庭暴力，可以向谁求助？")
        case = self.write("以案释法：讨薪获法律援助", kind=KnowledgeEntry.Kind.CASE, topic="labour")
        self.write("单位拖欠工资怎么办？", kind=KnowledgeEntry.Kind.FAQ, topic="labour")
        self.write("申请法律援助办事指南", kind=KnowledgeEntry.Kind.GUIDE)
        self.write("草稿：还没有发布", published=False)
        r = self.client.get(LIST)
        self.assertEqual(r.status_code, 200)
        self.assertContains(
            r, f'<a href="{reverse("info:article", args=[article.pk])}">{article.title}</a>', html=True
        )
        self.assertContains(
            r, f'<a href="{reverse("info:article", args=[case.pk])}">{case.title}</a>', html=True
        )
        for absent in ("单位拖欠工资怎么办？", "申请法律援助办事指南", "草稿：还没有发布"):
            self.assertNotContains(r, absent)

    def test_the_category_facet_counts_and_filters(self) -> None:
        self.write("家暴一")
        self.write("家暴二")
        self.write("讨薪案例", kind=KnowledgeEntry.Kind.CASE, topic="labour")
        self.write("没有分类的文章", topic=None)
        r = self.client.get(LIST)
        self.assertContains(r, '<a href="/pufa/?category=family">婚姻家庭（2）</a>', html=True)
        self.assertContains(r, '<a href="/pufa/?category=labour">劳动纠纷（1）</a>', html=True)
        self.assertNotContains(r, "交通事故（")  # no article in that category, no facet entry
        family = self.client.get(LIST, {"category": "family"})
        self.assertEqual([e.title for e in family.context["page_obj"]], ["家暴二", "家暴一"])
        self.assertContains(family, '<strong aria-current="page">婚姻家庭（2）</strong>', html=True)
        cases = self.client.get(LIST, {"kind": "case"})
        self.assertEqual([e.title for e in cases.context["page_obj"]], ["讨薪案例"])
        # The facet follows the kind chosen.
        self.assertNotContains(cases, "婚姻家庭（")
        self.assertContains(
            cases, '<a href="/pufa/?kind=case&amp;category=labour">劳动纠纷（1）</a>', html=True
        )

    def test_a_bad_category_gets_a_chinese_error(self) -> None:
        r = self.client.get(LIST, {"category": "no-such"})
        self.assertContains(r, "没有这个业务领域，请从列表中选择。", status_code=400)
        r = self.client.get(LIST, {"kind": "faq"})
        self.assertContains(r, "没有这个类型，请从列表中选择。", status_code=400)

    def test_pagination_ten_a_page_with_the_category_kept(self) -> None:
        for i in range(12):
            self.write(f"婚姻家庭普法第{i + 1}篇")
        r = self.client.get(LIST, {"category": "family"})
        self.assertEqual(len(r.context["page_obj"]), 10)
        self.assertContains(r, 'href="?category=family&amp;page=2"')
        second = self.client.get(LIST, {"category": "family", "page": "2"})
        self.assertEqual(
            [e.title for e in second.context["page_obj"]], ["婚姻家庭普法第2篇", "婚姻家庭普法第1篇"]
        )

    def test_list_query_count_is_fixed(self) -> None:
        for i in range(5):
            self.write(f"文章{i}")
        with self.assertNumQueries(3):  # facet, count, page (+unit, topic, region)
            self.client.get(LIST)

    def test_the_reading_page_links_the_law_and_related_articles(self) -> None:
        entry = self.write("家暴求助<b>指南</b>", body="可以申请人身安全保护令。<script>x</script>")
        other = self.write("家暴二")
        self.write("讨薪", kind=KnowledgeEntry.Kind.CASE, topic="labour")
        r = self.client.get(reverse("info:article", args=[entry.pk]))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, '<h1 id="article-title">家暴求助&lt;b&gt;指南&lt;/b&gt;</h1>', html=True)
        self.assertContains(r, "&lt;script&gt;x&lt;/script&gt;")
        self.assertContains(r, f'<a href="{reverse("info:article", args=[other.pk])}">家暴二</a>', html=True)
        self.assertNotContains(r, ">讨薪<")
        self.assertContains(r, '<a href="/pufa/?category=family">婚姻家庭</a>', html=True)

    def test_a_draft_or_an_faq_is_404_on_the_reading_page(self) -> None:
        draft = self.write("草稿", published=False)
        faq = self.write("问答", kind=KnowledgeEntry.Kind.FAQ)
        for entry in (draft, faq):
            self.assertEqual(self.client.get(reverse("info:article", args=[entry.pk])).status_code, 404)
