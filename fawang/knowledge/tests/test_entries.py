"""Knowledge entries: written in the console (scoped by region), published to /laws/k/, found by the search."""

from __future__ import annotations

import shutil
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any, ClassVar

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from fawang.knowledge import actions
from fawang.knowledge.models import EntryCitation, KnowledgeEntry, Law
from fawang.test import BaseTestCase

from .sample import AID, import_sample

AID_CITE = "《中华人民共和国法律援助法》第四十三条"
GUIDE_BODY = (
    "经济困难的公民可以向法律援助机构申请法律援助。\n\n"
    f"依据{AID_CITE}，法律援助机构应当自收到申请之日起七日内作出是否给予法律援助的决定。"
)
WAGE_BODY = (
    "老板拖欠工资不发，可以先和单位协商，也可以向劳动保障监察部门投诉，或者申请劳动争议仲裁。"
    "劳动者也可以向法律援助机构申请法律援助。"
)
MISSING_INDEX = Path(tempfile.gettempdir()) / "fawang-test-no-such-lawindex"


class EntryTestCase(BaseTestCase):
    aid: ClassVar[Law]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        tmp = Path(tempfile.mkdtemp(prefix="fawang-laws-"))
        cls.addClassCleanup(shutil.rmtree, tmp, True)
        import_sample(tmp)
        cls.aid = Law.objects.get(source_id=AID)

    def entry(self, unit: str, *, published: bool = False, **fields: Any) -> KnowledgeEntry:
        fields = {
            "kind": KnowledgeEntry.Kind.GUIDE,
            "title": "法律援助申请指南",
            "body": GUIDE_BODY,
            **fields,
        }
        entry = actions.create_entry(actor=self.sysadmin, unit_id=self.unit(unit).pk, **fields)
        if published:
            entry = actions.publish(entry.pk, actor=self.sysadmin)
        return entry

    def form(self, **changes: str) -> dict[str, str]:
        return {"kind": "guide", "title": "法律援助申请指南", "body": GUIDE_BODY, "manual": "", **changes}


class ConsoleTestCase(EntryTestCase):
    def test_a_handler_writes_a_draft_and_citations_are_extracted(self) -> None:
        self.client.force_login(self.sm_handler)
        r = self.client.get(reverse("knowledge_console:create"))
        self.assertContains(r, "思明区法律援助中心")
        r = self.client.post(
            reverse("knowledge_console:create"),
            self.form(unit=str(self.unit("siming.legal_aid").pk), manual="《法律援助法》第二条"),
        )
        entry = KnowledgeEntry.objects.get(title="法律援助申请指南")
        self.assertRedirects(r, reverse("knowledge_console:edit", args=[entry.pk]))
        self.assertEqual(
            (entry.status, entry.unit.name, entry.created_by, entry.region),
            ("draft", "思明区法律援助中心", self.sm_handler, None),
        )
        self.assertEqual(
            sorted((c.article.label, c.source) for c in entry.citations.select_related("article")),
            [("第二条", "manual"), ("第四十三条", "auto")],
        )
        r = self.client.get(reverse("knowledge_console:edit", args=[entry.pk]))
        self.assertContains(
            r, f'<a class="law-cite" href="/laws/{self.aid.pk}/#a43">{AID_CITE}</a>', html=True
        )
        self.assertContains(
            r, "《中华人民共和国法律援助法》第二条</textarea>"
        )  # the manual one, back in its box

    def test_an_unknown_manual_citation_is_refused_and_nothing_is_saved(self) -> None:
        self.client.force_login(self.sm_handler)
        r = self.client.post(
            reverse("knowledge_console:create"),
            self.form(unit=str(self.unit("siming.legal_aid").pk), manual="《法律援助法》第九百条"),
        )
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "找不到这些条文：《法律援助法》第九百条", status_code=400)
        self.assertContains(r, "经济困难的公民可以向法律援助机构申请法律援助。", status_code=400)
        self.assertFalse(KnowledgeEntry.objects.exists())

    def test_a_handler_cannot_sign_for_another_unit(self) -> None:
        self.client.force_login(self.sm_handler)
        r = self.client.post(
            reverse("knowledge_console:create"), self.form(unit=str(self.unit("huli.bureau").pk))
        )
        self.assertEqual(r.status_code, 400)
        self.assertFalse(KnowledgeEntry.objects.exists())

    def test_editing_re_extracts_citations(self) -> None:
        entry = self.entry("siming.legal_aid")
        self.client.force_login(self.sm_supervisor)
        r = self.client.post(
            reverse("knowledge_console:edit", args=[entry.pk]),
            self.form(body="依据《中华人民共和国法律援助法》第二条。", local="on"),
        )
        self.assertRedirects(r, reverse("knowledge_console:edit", args=[entry.pk]))
        entry.refresh_from_db()
        self.assertEqual(list(entry.citations.values_list("article__label", flat=True)), ["第二条"])
        self.assertEqual((entry.updated_by, entry.region_id), (self.sm_supervisor, "350203"))

    def test_staff_of_another_district_get_404(self) -> None:
        entry = self.entry("siming.bureau")
        self.client.force_login(self.hl_supervisor)
        self.assertEqual(self.client.get(reverse("knowledge_console:edit", args=[entry.pk])).status_code, 404)
        for name in ("publish", "unpublish", "review"):
            self.assertEqual(
                self.client.post(reverse(f"knowledge_console:{name}", args=[entry.pk])).status_code, 404
            )
        r = self.client.post(reverse("knowledge_console:edit", args=[entry.pk]), self.form(title="改掉"))
        self.assertEqual(r.status_code, 404)
        r = self.client.get(reverse("knowledge_console:list"))
        self.assertEqual(list(r.context["page_obj"].object_list), [])
        entry.refresh_from_db()
        self.assertEqual((entry.title, entry.status), ("法律援助申请指南", "draft"))

    def test_roles_without_the_capability_get_403_and_no_menu(self) -> None:
        entry = self.entry("siming.centre")
        self.client.force_login(self.sm_clerk)
        self.assertEqual(self.client.get(reverse("knowledge_console:list")).status_code, 403)
        self.assertEqual(self.client.get(reverse("knowledge_console:edit", args=[entry.pk])).status_code, 403)
        self.assertNotContains(self.client.get(reverse("console:home")), reverse("knowledge_console:list"))
        self.client.force_login(self.sm_handler)
        self.assertContains(self.client.get(reverse("console:home")), reverse("knowledge_console:list"))

    def test_list_filters_and_review_badge(self) -> None:
        flagged = self.entry("siming.bureau", title="工资指南", kind="faq")
        KnowledgeEntry.objects.filter(pk=flagged.pk).update(needs_review=True, review_note="已修改")
        self.entry("siming.bureau", published=True)
        self.entry("huli.bureau", title="湖里的条目")
        self.client.force_login(self.sm_supervisor)
        # user, memberships (scope and unit switcher, one query), page count, review count, rows, session save x3
        # (the session is read from the cache: settings.SESSION_ENGINE)
        with self.assertNumQueries(8):
            r = self.client.get(reverse("knowledge_console:list"))
        self.assertEqual(r.context["needs_review"], 1)
        titles = [e.title for e in r.context["page_obj"].object_list]
        self.assertEqual(titles, ["工资指南", "法律援助申请指南"])
        r = self.client.get(reverse("knowledge_console:list"), {"review": "needs"})
        self.assertEqual([e.title for e in r.context["page_obj"].object_list], ["工资指南"])
        self.assertContains(r, '<span class="badge badge-warn">待复核</span>', html=True)
        r = self.client.get(reverse("knowledge_console:list"), {"status": "published", "kind": "guide"})
        self.assertEqual([e.title for e in r.context["page_obj"].object_list], ["法律援助申请指南"])


class PublicTestCase(EntryTestCase):
    def test_publishing_makes_it_public_and_unpublishing_hides_it(self) -> None:
        entry = self.entry("siming.legal_aid")
        url = reverse("knowledge:entry", args=[entry.pk])
        self.assertEqual(self.client.get(url).status_code, 404)  # a draft is never public
        self.assertNotContains(self.client.get(reverse("knowledge:entries")), "法律援助申请指南")
        self.client.force_login(self.sm_handler)
        r = self.client.post(reverse("knowledge_console:publish", args=[entry.pk]))
        self.assertRedirects(r, reverse("knowledge_console:edit", args=[entry.pk]))
        entry.refresh_from_db()
        self.assertEqual(entry.status, "published")
        self.assertIsNotNone(entry.published_at)
        self.client.logout()
        r = self.client.get(url)
        self.assertContains(r, "<h1>法律援助申请指南</h1>", html=True)
        self.assertContains(
            r, f'<a class="law-cite" href="/laws/{self.aid.pk}/#a43">{AID_CITE}</a>', html=True
        )
        self.assertContains(r, "思明区法律援助中心")
        self.assertContains(self.client.get(reverse("knowledge:entries")), "法律援助申请指南")
        self.client.force_login(self.sm_handler)
        self.client.post(reverse("knowledge_console:unpublish", args=[entry.pk]))
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_html_in_the_body_is_escaped(self) -> None:
        entry = self.entry(
            "siming.bureau",
            published=True,
            title="<b>标题</b>",
            body=f"<script>alert(1)</script>\n{AID_CITE}",
        )
        r = self.client.get(reverse("knowledge:entry", args=[entry.pk]))
        self.assertNotContains(r, "<script>alert(1)")
        self.assertNotContains(r, "<b>标题</b>")
        self.assertContains(r, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertContains(r, "&lt;b&gt;标题&lt;/b&gt;")
        self.assertContains(r, 'class="law-cite"')


@override_settings(LAW_INDEX_DIR=str(MISSING_INDEX))
class EntrySearchTestCase(EntryTestCase):
    def setUp(self) -> None:
        self.guide = self.entry("siming.legal_aid", published=True)
        self.wage = self.entry(
            "siming.bureau", published=True, kind="faq", title="单位拖欠工资怎么办？", body=WAGE_BODY
        )
        self.draft = self.entry("siming.bureau", kind="faq", title="拖欠工资（草稿）", body=WAGE_BODY)

    def links(self, **params: str) -> list[str]:
        r = self.client.get(reverse("knowledge:search"), params)
        self.assertEqual(r.status_code, 200)
        return [
            line.split('href="', 1)[1].split('"', 1)[0]
            for line in r.content.decode().splitlines()
            if '<h3 class="entry-title"><a href=' in line
        ]

    def test_lay_words_find_the_entry_and_never_a_draft(self) -> None:
        links = self.links(q="老板不给发工资", within="entries")
        self.assertEqual(links, [self.wage.get_absolute_url()])
        r = self.client.get(reverse("knowledge:search"), {"q": "老板不给发工资", "within": "entries"})
        self.assertContains(r, "<mark>工资</mark>")
        self.assertContains(r, "找到 1 篇相关的指南问答案例")
        self.assertEqual(
            self.links(q="申请法律援助 多久 决定", within="entries")[0], self.guide.get_absolute_url()
        )

    def test_the_scope_selector(self) -> None:
        self.assertEqual(self.links(q="拖欠工资", within="laws"), [])
        r = self.client.get(reverse("knowledge:search"), {"q": "拖欠工资"})  # 全部 by default
        self.assertContains(r, self.wage.get_absolute_url())
        self.assertContains(r, "检索索引尚未建立")  # the statutes part says why it has no results
        r = self.client.get(reverse("knowledge:search"), {"q": "拖欠工资", "within": "entries"})
        self.assertNotContains(r, "检索索引尚未建立")

    def test_snippets_are_escaped(self) -> None:
        self.entry(
            "siming.bureau", published=True, title="加班费", body="<script>alert(1)</script>加班费怎么算"
        )
        r = self.client.get(reverse("knowledge:search"), {"q": "<b>加班费</b>", "within": "entries"})
        self.assertContains(r, "&lt;script&gt;alert(1)&lt;/script&gt;<mark>加班费</mark>")
        self.assertNotContains(r, "<script>alert(1)")

    def test_the_index_follows_edits(self) -> None:
        self.assertEqual(self.links(q="拖欠工资", within="entries"), [self.wage.get_absolute_url()])
        actions.unpublish(self.wage.pk, actor=self.sysadmin)
        actions.publish(self.draft.pk, actor=self.sysadmin)
        self.assertEqual(self.links(q="拖欠工资", within="entries"), [self.draft.get_absolute_url()])
        self.assertEqual(EntryCitation.objects.filter(entry=self.draft).count(), 0)


class DemoTestCase(EntryTestCase):
    def test_the_demo_command_is_idempotent_and_links_citations(self) -> None:
        out = StringIO()
        call_command("load_knowledge_demo", stdout=out)
        self.assertIn("知识条目：新增 8，更新 0", out.getvalue())
        call_command("load_knowledge_demo", stdout=out)
        self.assertIn("知识条目：新增 0，更新 8", out.getvalue())
        self.assertEqual(KnowledgeEntry.objects.published().count(), 8)
        guide = KnowledgeEntry.objects.get(title="申请法律援助办事指南")
        # Of the sample statutes only 法律援助法 第四十三条 is cited by the guide.
        self.assertEqual(
            list(guide.citations.values_list("article__law__source_id", "article__label")),
            [(AID, "第四十三条")],
        )
        self.assertEqual(KnowledgeEntry.objects.filter(kind="case").count(), 2)
        r = self.client.get(reverse("knowledge:search"), {"q": "老公打我", "within": "entries"})
        self.assertContains(r, "遭受家庭暴力，可以向谁求助？")
