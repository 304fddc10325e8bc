"""The guide, FAQ or case shown above the articles (issue 15, item 4): put forward only when the entry search and the
statute search agree on it, with why, escaped, rated like any result; the same through the API."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.test import override_settings
from django.urls import reverse

from fawang.knowledge import actions, searching
from fawang.knowledge.answers import plain_summary
from fawang.knowledge.models import KnowledgeEntry
from fawang.test import BaseTestCase

from .sample import import_sample

INDEX_DIR = Path(tempfile.mkdtemp(prefix="fawang-test-lawindex-answers-")) / "index"
QUESTION = "申请法律援助以后多久能有决定"
GUIDE_BODY = (
    "申请以后，法律援助机构七日内决定给不给法律援助，决定给的，三日内指派律师。\n\n"
    "依据《中华人民共和国法律援助法》第四十三条，法律援助机构应当自收到申请之日起七日内进行审查。"
)


@override_settings(LAW_INDEX_DIR=str(INDEX_DIR))
class AnswerTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_sample(INDEX_DIR.parent / "source")
        cls.addClassCleanup(shutil.rmtree, INDEX_DIR.parent, True)
        searching.build(INDEX_DIR)

    def entry(self, *, published: bool = True, **fields: Any) -> KnowledgeEntry:
        fields = {"kind": "guide", "title": "申请法律援助后多久有结果", "body": GUIDE_BODY, **fields}
        entry = actions.create_entry(actor=self.sysadmin, unit_id=self.unit("siming.legal_aid").pk, **fields)
        return actions.publish(entry.pk, actor=self.sysadmin) if published else entry

    def page(self, q: str = QUESTION, **params: str) -> str:
        r = self.client.get(reverse("knowledge:search"), {"q": q, **params})
        self.assertEqual(r.status_code, 200)
        return r.content.decode()

    @staticmethod
    def answer_card(html: str) -> str:
        found = re.search(r'<section aria-labelledby="answer-title".*?</section>', html, re.S)
        return found.group(0) if found else ""

    def test_the_entry_citing_a_top_article_is_shown_above_the_articles_with_why(self) -> None:
        guide = self.entry()
        html = self.page()
        card = self.answer_card(html)
        self.assertIn("这篇解答可能正是您要找的", card)
        self.assertIn(f'href="{guide.get_absolute_url()}"', card)
        # The opening paragraph in the entry's own plain words, not the statute's.
        self.assertIn("法律援助机构七日内决定给不给法律援助，决定给的，三日内指派律师。", card)
        self.assertRegex(card, r"推荐原因：引用了检索结果第 [1-5] 条《中华人民共和国法律援助法》第四十三条")
        self.assertIn(f'name="entry" value="{guide.pk}"', card)  # 这条有帮助吗
        self.assertLess(html.index("answer-title"), html.index("results-title"))
        # Not repeated in the plain list of entries below it.
        self.assertEqual(html.count(f'href="{guide.get_absolute_url()}"'), 2)  # title and 阅读全文

    def test_words_alone_are_not_enough(self) -> None:
        # Matches the question's words but cites nothing, or cites an article the statute search does not rank.
        plain = self.entry(title="申请法律援助多久能有决定", body="一般七日内能有决定，请耐心等待。")
        elsewhere = self.entry(
            title="申请法律援助多久能有决定？",
            body="申请以后多久能有决定，见《中华人民共和国民事诉讼法》第一条。",
        )
        self.assertTrue(elsewhere.citations.exists())
        html = self.page()
        self.assertEqual(self.answer_card(html), "")
        self.assertIn("先看看这些指南问答案例", html)
        self.assertIn(plain.get_absolute_url(), html)

    def test_never_a_draft_a_publicity_article_or_on_filtered_views(self) -> None:
        self.entry(published=False)
        self.entry(kind="publicity", title="普法：申请法律援助多久能有决定")
        self.assertEqual(self.answer_card(self.page()), "")
        self.entry()
        self.assertNotEqual(self.answer_card(self.page()), "")
        for params in ({"within": "laws"}, {"within": "entries"}, {"order": "date"}, {"page": "2"}):
            self.assertEqual(self.answer_card(self.page(**params)), "", params)

    def test_the_summary_is_escaped(self) -> None:
        self.entry(body="<b>七日内</b>决定。\n\n" + GUIDE_BODY)
        card = self.answer_card(self.page())
        self.assertIn("&lt;b&gt;七日内&lt;/b&gt;决定。", card)
        self.assertNotIn("<b>", card)

    def test_plain_summary_keeps_the_first_paragraph_to_a_full_sentence(self) -> None:
        self.assertEqual(plain_summary("\n\n第一段。\n第二段。"), "第一段。")
        long = "这是一句话。" * 40
        self.assertEqual(plain_summary(long, limit=20), "这是一句话。这是一句话。这是一句话。")
        self.assertEqual(plain_summary("没有句号" * 10, limit=8), "没有句号没有句号…")
        self.assertEqual(
            plain_summary("问：公司欠薪怎么办？\n\n答：可以投诉。\n\n1. 收集证据。"), "可以投诉。"
        )

    def test_the_api_gives_the_same_answer(self) -> None:
        guide = self.entry()
        r = self.client.get(reverse("api:law_answer"), {"q": QUESTION})
        self.assertEqual(r.status_code, 200)
        answer = r.json()["answer"]
        self.assertEqual(
            (answer["entry_id"], answer["kind"], answer["title"], answer["url"]),
            (guide.pk, "guide", "申请法律援助后多久有结果", guide.get_absolute_url()),
        )
        self.assertEqual(
            [(c["law_title"], c["label"]) for c in answer["cites"]],
            [("中华人民共和国法律援助法", "第四十三条")],
        )
        self.assertLessEqual(answer["cites"][0]["rank"], 5)
        self.assertTrue(answer["why"][0].startswith("引用了检索结果第"))
        self.assertTrue(answer["summary"].startswith("申请以后，法律援助机构七日内"))
        # The same question in the article search lists the cited article at that rank, with why it matched.
        results = self.client.get(reverse("api:law_search"), {"q": QUESTION}).json()["results"]
        self.assertEqual(results[answer["cites"][0]["rank"] - 1]["label"], "第四十三条")
        self.assertTrue(any(r["why"] for r in results))
        # No answering entry: null, not an error.
        r = self.client.get(reverse("api:law_answer"), {"q": "老板拖欠工资怎么办"})
        self.assertEqual(r.json(), {"answer": None})

    def test_the_api_refuses_a_missing_question_and_says_when_there_is_no_index(self) -> None:
        r = self.client.get(reverse("api:law_answer"))
        self.assertEqual((r.status_code, r.json()["error"]["code"]), (400, "invalid"))
        with override_settings(LAW_INDEX_DIR=str(INDEX_DIR.parent / "missing")):
            r = self.client.get(reverse("api:law_answer"), {"q": QUESTION})
        self.assertEqual((r.status_code, r.json()["error"]["code"]), (503, "search_index_missing"))
