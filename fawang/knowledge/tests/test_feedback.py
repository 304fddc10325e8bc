"""“这条有帮助吗”: feedback on search results is kept (public and staff apart), shows why each result matched, and
turns into training questions."""

from __future__ import annotations

import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from fawang.knowledge import actions, learning, searching
from fawang.knowledge.models import Article, SearchFeedback
from fawang.test import BaseTestCase

from .sample import AID, import_sample

INDEX_DIR = Path(tempfile.mkdtemp(prefix="fawang-test-lawindex-feedback-")) / "index"


@override_settings(LAW_INDEX_DIR=str(INDEX_DIR))
class FeedbackTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_sample(INDEX_DIR.parent / "source")
        cls.addClassCleanup(shutil.rmtree, INDEX_DIR.parent, True)
        searching.build(INDEX_DIR)

    def aid(self, label: str) -> Article:
        return Article.objects.get(law__source_id=AID, label=label)

    def test_each_result_says_why_it_matched_and_asks_if_it_helped(self) -> None:
        r = self.client.get(reverse("knowledge:search"), {"q": "没钱请律师打官司怎么办"})
        html = r.content.decode()
        self.assertIn("《中华人民共和国法律援助法》第二条", html)
        self.assertIn("匹配原因：没钱 → 经济困难、法律援助", html)
        self.assertIn("这条有帮助吗？", html)
        self.assertIn(f'name="article" value="{self.aid("第二条").pk}"', html)

    def test_the_public_answer_is_kept_and_thanked_in_place(self) -> None:
        article = self.aid("第二条")
        r = self.client.post(
            reverse("knowledge:feedback"),
            {"q": " 没钱 请律师 ", "article": article.pk, "helpful": "yes"},
            headers={"HX-Request": "true"},
        )
        self.assertContains(r, "谢谢，您的反馈已记录")
        row = SearchFeedback.objects.get()
        self.assertEqual(
            (row.question, row.article_id, row.entry_id, row.helpful, row.source, row.user_id),
            ("没钱 请律师", article.pk, None, True, "public", None),
        )

    def test_a_staff_answer_is_marked_staff_and_a_plain_post_goes_back(self) -> None:
        self.client.force_login(self.sm_clerk)
        back = reverse("knowledge:search") + "?q=%E6%B2%A1%E9%92%B1"
        r = self.client.post(
            reverse("knowledge:feedback"),
            {"q": "没钱", "article": self.aid("第四十三条").pk, "helpful": "no", "next": back},
        )
        self.assertRedirects(r, back, fetch_redirect_response=False)
        row = SearchFeedback.objects.get()
        self.assertEqual((row.source, row.user, row.helpful), ("staff", self.sm_clerk, False))

    def test_bad_input_is_refused_with_a_clear_message(self) -> None:
        url = reverse("knowledge:feedback")
        r = self.client.post(url, {"q": "", "article": self.aid("第二条").pk, "helpful": "yes"})
        self.assertContains(r, "缺少检索的问题，无法记录反馈。", status_code=400)
        r = self.client.post(url, {"q": "没钱", "article": "999999", "helpful": "yes"})
        self.assertContains(r, "这条条文不存在，可能已被更新，请重新检索。", status_code=400)
        r = self.client.post(url, {"q": "没钱", "helpful": "yes"})
        self.assertContains(r, "请指明是哪一条结果。", status_code=400)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertFalse(SearchFeedback.objects.exists())

    def test_an_off_site_next_is_ignored(self) -> None:
        r = self.client.post(
            reverse("knowledge:feedback"),
            {
                "q": "没钱",
                "article": self.aid("第二条").pk,
                "helpful": "yes",
                "next": "https://evil.example/",
            },
        )
        self.assertRedirects(r, reverse("knowledge:search"), fetch_redirect_response=False)

    def test_feedback_becomes_training_questions(self) -> None:
        two, three = self.aid("第二条"), self.aid("第四十三条")
        for helpful, article in ((True, two), (True, two), (False, two), (False, three)):
            actions.record_search_feedback("没钱请律师", helpful=helpful, actor=None, article_id=article.pk)
        actions.record_search_feedback("申请后多久有结果", helpful=True, actor=None, article_id=three.pk)

        @learning.register_feedback_source
        def adopted() -> list[learning.Judgement]:
            return [
                learning.Judgement("申请后多久有结果", two.pk, False),
                learning.Judgement("新问题", two.pk, True),
            ]

        self.addCleanup(learning.FEEDBACK_SOURCES.remove, adopted)
        rows = learning.feedback_questions()
        self.assertEqual(
            [(r["question"], r["relevant"]) for r in rows],
            [
                ("没钱请律师", [{"law": "中华人民共和国法律援助法", "article": "第二条"}]),
                ("申请后多久有结果", [{"law": "中华人民共和国法律援助法", "article": "第四十三条"}]),
                ("新问题", [{"law": "中华人民共和国法律援助法", "article": "第二条"}]),
            ],
        )
        out = Path(tempfile.mkdtemp(prefix="fawang-test-feedback-")) / "feedback.jsonl"
        self.addCleanup(shutil.rmtree, out.parent, True)
        stdout = StringIO()
        call_command("export_search_feedback", str(out), stdout=stdout)
        self.assertIn("已导出 3 个问题", stdout.getvalue())
        written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        self.assertEqual([r["question"] for r in written], ["没钱请律师", "申请后多久有结果", "新问题"])
        self.assertEqual({r["source"] for r in written}, {"feedback"})

    def test_an_unpublished_entry_cannot_be_rated(self) -> None:
        with self.assertRaisesMessage(ValidationError, "这篇指南问答案例不存在或已撤回"):
            actions.record_search_feedback("没钱", helpful=True, actor=None, entry_id=123456)
