"""Law-change alerts: a re-import that marks a law 已修改 or 已废止 flags exactly the entries citing it."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from fawang.knowledge import actions, alerts
from fawang.knowledge.models import Article, KnowledgeEntry, Law
from fawang.test import BaseTestCase

from .sample import (
    AID,
    AID_43,
    AID_T,
    ARTICLES,
    CPL_2023,
    LAWS,
    art,
    changed,
    import_sample,
    law,
    write_source,
)

NEW_AID = "行政法/法律援助法(2026-06-01).md"
# The sample's 法律援助法 gets a new version in force: the 2021 text becomes 已修改.
AMENDED_LAWS = [*LAWS, law(NEW_AID, AID_T, "法律", "2026-06-01", "2026-07-01")]
AMENDED_ARTICLES = [
    *ARTICLES,
    art(NEW_AID, AID_T, "第二条", 2, 1, "本法所称法律援助，是国家建立的无偿提供法律服务的制度。"),
    art(NEW_AID, AID_T, "第四十三条", 43, 2, AID_43 + "（二〇二六年修正）"),
]


class AlertTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="fawang-laws-"))
        self.addCleanup(shutil.rmtree, self.tmp, True)
        import_sample(self.tmp)
        unit = self.unit("siming.legal_aid").pk
        self.cites_body = actions.create_entry(
            actor=self.sm_handler,
            unit_id=unit,
            kind="guide",
            title="法律援助申请指南",
            body="依据《中华人民共和国法律援助法》第四十三条，七日内作出决定。",
        )
        self.cites_manual = actions.create_entry(
            actor=self.sm_handler,
            unit_id=unit,
            kind="faq",
            title="什么是法律援助",
            body="法律援助是国家为经济困难公民无偿提供的法律服务。",
            manual=[Article.objects.get(law__source_id=AID, label="第二条")],
        )
        self.cites_other = actions.create_entry(
            actor=self.sm_handler,
            unit_id=unit,
            kind="publicity",
            title="民事诉讼法的立法根据",
            body="《中华人民共和国民事诉讼法》第一条规定了立法根据。",
        )
        self.plain = actions.create_entry(
            actor=self.sm_handler, unit_id=unit, kind="faq", title="无引用", body="没有引用任何法律。"
        )

    def flagged(self) -> dict[str, str]:
        return dict(KnowledgeEntry.objects.filter(needs_review=True).values_list("title", "review_note"))

    def test_a_repealed_law_flags_exactly_the_citing_entries(self) -> None:
        self.assertEqual(self.cites_other.citations.get().article.law.source_id, CPL_2023)
        r = import_sample(self.tmp, changed(LAWS, "path", AID, expired=True), ARTICLES)
        self.assertEqual((r.newly_superseded, r.flagged), ([Law.objects.get(source_id=AID).pk], 2))
        note = "所引用的《中华人民共和国法律援助法》（2021-08-20 公布）已标为“已废止”，请核对引用的条文是否仍然适用。"
        self.assertEqual(self.flagged(), {"法律援助申请指南": note, "什么是法律援助": note})
        # Importing the same files again flags nothing more.
        self.assertEqual(
            import_sample(self.tmp, changed(LAWS, "path", AID, expired=True), ARTICLES).flagged, 0
        )

    def test_a_new_version_flags_and_review_moves_citations_to_it(self) -> None:
        self.assertEqual(import_sample(self.tmp, AMENDED_LAWS, AMENDED_ARTICLES).flagged, 2)
        self.assertIn("已标为“已修改”", self.flagged()["法律援助申请指南"])
        entry = self.cites_body
        self.client.force_login(self.sm_supervisor)
        r = self.client.get(reverse("knowledge_console:list"))
        self.assertEqual(r.context["needs_review"], 2)
        r = self.client.get(reverse("knowledge_console:edit", args=[entry.pk]))
        self.assertContains(r, "所引用的《中华人民共和国法律援助法》（2021-08-20 公布）已标为“已修改”")
        r = self.client.post(reverse("knowledge_console:review", args=[entry.pk]))
        self.assertRedirects(r, reverse("knowledge_console:edit", args=[entry.pk]))
        entry.refresh_from_db()
        self.assertEqual(
            (entry.needs_review, entry.review_note, entry.updated_by), (False, "", self.sm_supervisor)
        )
        self.assertIsNotNone(entry.reviewed_at)
        self.assertEqual(entry.citations.get().article.law.source_id, NEW_AID)
        self.assertEqual(list(self.flagged()), ["什么是法律援助"])
        # A manual citation moves to the version in force too.
        self.client.post(reverse("knowledge_console:review", args=[self.cites_manual.pk]))
        self.assertEqual(
            list(
                self.cites_manual.citations.values_list("article__law__source_id", "article__label", "source")
            ),
            [(NEW_AID, "第二条", "manual")],
        )
        # Confirming twice is refused with a clear message.
        r = self.client.post(reverse("knowledge_console:review", args=[entry.pk]), follow=True)
        self.assertContains(r, "该条目没有待复核的提示。")

    def test_saving_with_reviewed_ticked_clears_the_flag(self) -> None:
        import_sample(self.tmp, AMENDED_LAWS, AMENDED_ARTICLES)
        entry = self.cites_manual
        self.client.force_login(self.sm_handler)
        data = {"kind": "faq", "title": entry.title, "body": entry.body, "manual": "《法律援助法》第二条"}
        self.client.post(reverse("knowledge_console:edit", args=[entry.pk]), data)
        entry.refresh_from_db()
        self.assertTrue(entry.needs_review)  # saved, but not confirmed
        self.client.post(reverse("knowledge_console:edit", args=[entry.pk]), {**data, "reviewed": "on"})
        entry.refresh_from_db()
        self.assertEqual((entry.needs_review, entry.review_note), (False, ""))

    def test_command_reports_flagged_entries(self) -> None:
        out = StringIO()
        laws_path, articles_path = write_source(self.tmp / "v2", AMENDED_LAWS, AMENDED_ARTICLES)
        call_command("import_laws", laws=laws_path, articles=articles_path, quiet_progress=True, stdout=out)
        self.assertIn("2 项引用这些法规的知识条目等内容已标记为待复核。", out.getvalue())

    def test_registered_sources_are_called_with_the_law_ids(self) -> None:
        seen: list[list[int]] = []

        def answers(law_ids: Sequence[int]) -> int:
            seen.append(list(law_ids))
            return 5

        alerts.register_citation_source(answers)
        alerts.register_citation_source(answers)  # once only
        self.addCleanup(alerts.CITATION_SOURCES.remove, answers)
        aid = Law.objects.get(source_id=AID).pk
        self.assertEqual(alerts.flag_citing([aid, aid]), 2 + 5)
        self.assertEqual(seen, [[aid]])
        self.assertEqual(alerts.flag_citing([]), 0)
        self.assertEqual(seen, [[aid]])
