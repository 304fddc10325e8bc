from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command

from fawang.knowledge.importer import import_laws
from fawang.knowledge.models import Article, Law
from fawang.test import BaseTestCase

from .sample import (
    AID,
    AID_43,
    AID_T,
    ARTICLES,
    CASE,
    CPL_2021,
    CPL_2023,
    FUTURE,
    LAWS,
    OLD,
    SHANGHAI,
    art,
    changed,
    import_sample,
    law,
)


class ImportTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="fawang-laws-"))
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def law(self, path: str) -> Law:
        return Law.objects.get(source_id=path)

    def test_it_imports_laws_and_articles_without_cases(self) -> None:
        r = import_sample(self.tmp)
        self.assertEqual((r.created, r.updated, r.unchanged), (6, 0, 0))
        self.assertEqual(r.articles_created, 9)
        self.assertFalse(Law.objects.filter(source_id=CASE).exists())
        self.assertFalse(Article.objects.filter(text__contains="张某某").exists())
        aid = self.law(AID)
        self.assertEqual(
            (aid.level, str(aid.publish_date), str(aid.effective_date)), ("法律", "2021-08-20", "2022-01-01")
        )
        a43 = aid.articles.get(label="第四十三条")
        self.assertEqual(
            (a43.number, a43.anchor, a43.section, a43.text), (43, "a43", "第四章 程序和实施", AID_43)
        )
        self.assertEqual(aid.articles.get(label="第四十三条之一").anchor, "a43-1")

    def test_it_derives_status_from_flags_dates_and_versions(self) -> None:
        import_sample(self.tmp)
        statuses = dict(Law.objects.values_list("source_id", "status"))
        self.assertEqual(
            statuses,
            {
                AID: "有效",
                CPL_2021: "已修改",  # a newer version is in force
                CPL_2023: "有效",
                OLD: "已废止",  # expired with no newer version
                FUTURE: "尚未生效",
                SHANGHAI: "有效",
            },
        )

    def test_it_links_versions_of_one_law(self) -> None:
        import_sample(self.tmp)
        new, old = self.law(CPL_2023), self.law(CPL_2021)
        self.assertEqual(new.chain_key, old.chain_key)
        self.assertEqual(list(old.versions()), [new, old])
        self.assertEqual(list(self.law(AID).versions()), [self.law(AID)])

    def test_it_resolves_the_region_of_local_regulations(self) -> None:
        import_sample(self.tmp)
        sh = self.law(SHANGHAI)
        self.assertEqual(sh.region_name, "上海")
        self.assertEqual(sh.region_id, "31")
        self.assertIsNone(self.law(AID).region_id)

    def test_a_second_import_changes_nothing(self) -> None:
        import_sample(self.tmp)
        before = dict(Article.objects.values_list("id", "text"))
        with self.assertNumQueries(1):  # read the existing laws' hashes; nothing written
            r = import_sample(self.tmp)
        self.assertEqual((r.created, r.updated, r.unchanged), (0, 0, 6))
        self.assertEqual((r.articles_created, r.articles_updated, r.articles_deleted), (0, 0, 0))
        self.assertEqual(dict(Article.objects.values_list("id", "text")), before)

    def test_it_updates_only_what_changed_and_keeps_article_ids(self) -> None:
        import_sample(self.tmp)
        a43 = Article.objects.get(law__source_id=AID, label="第四十三条")
        articles = changed(ARTICLES, "text", AID_43, text=AID_43 + "（修订）")
        articles = [a for a in articles if not (a["law_path"] == AID and a["article"] == "第二条")]
        r = import_sample(self.tmp, LAWS, articles)
        self.assertEqual((r.created, r.updated, r.unchanged), (0, 1, 5))
        self.assertEqual((r.articles_created, r.articles_updated, r.articles_deleted), (0, 1, 1))
        a43.refresh_from_db()
        self.assertTrue(a43.text.endswith("（修订）"))
        self.assertFalse(Article.objects.filter(law__source_id=AID, label="第二条").exists())

    def test_it_reports_laws_newly_no_longer_in_force(self) -> None:
        import_sample(self.tmp)
        laws = changed(LAWS, "path", AID, expired=True)
        r = import_sample(self.tmp, laws, ARTICLES)
        self.assertEqual(r.newly_superseded, [self.law(AID).pk])
        self.assertEqual(self.law(AID).status, "已废止")
        self.assertEqual(import_sample(self.tmp, laws, ARTICLES).newly_superseded, [])

    def test_a_new_version_marks_the_old_one_amended(self) -> None:
        import_sample(self.tmp)
        new_path = "行政法/法律援助法(2026-06-01).md"
        laws = [*LAWS, law(new_path, AID_T, "法律", "2026-06-01", "2026-07-01")]
        articles = [*ARTICLES, art(new_path, AID_T, "第四十三条", 43, 1, AID_43 + "（二〇二六年修正）")]
        r = import_sample(self.tmp, laws, articles)
        old = self.law(AID)
        self.assertEqual((r.created, r.updated, r.newly_superseded), (1, 1, [old.pk]))
        self.assertEqual(old.status, "已修改")
        self.assertEqual([v.source_id for v in old.versions()], [new_path, AID])

    def test_it_imports_a_subset_by_title(self) -> None:
        r = import_sample(self.tmp, only=["民事诉讼法"])
        self.assertEqual(r.created, 2)
        self.assertEqual(set(Law.objects.values_list("source_id", flat=True)), {CPL_2021, CPL_2023})
        # Statuses come from the whole source, so a subset agrees with a full import.
        self.assertEqual(self.law(CPL_2021).status, "已修改")

    def test_command_reports_counts(self) -> None:
        from io import StringIO

        from .sample import write_source

        laws_path, articles_path = write_source(self.tmp)
        out = StringIO()
        call_command("import_laws", laws=laws_path, articles=articles_path, quiet_progress=True, stdout=out)
        self.assertIn("法律法规：新增 6，更新 0，未变 0；条文：新增 9", out.getvalue())
        out = StringIO()
        call_command("import_laws", laws=laws_path, articles=articles_path, if_empty=True, stdout=out)
        self.assertIn("跳过", out.getvalue())
        self.assertEqual(import_laws(laws_path, articles_path).unchanged, 6)
