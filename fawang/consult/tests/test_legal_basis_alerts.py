"""A law change reaches the answers that relied on it: a re-import that marks a law 已修改 flags the matters whose
法律依据 cites it (待复核), staff see why on the detail page and clear it with 已复核."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.test import Client
from django.urls import reverse

from fawang.consult import legal_basis
from fawang.knowledge.models import Article, Law
from fawang.knowledge.tests.sample import ARTICLES, LAWS, changed, import_sample
from fawang.knowledge.tests.test_alerts import AID
from fawang.matters.models import MatterArticle, MatterEvent
from fawang.matters.tests.base import MatterTestCase


class LegalBasisAlertTestCase(MatterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp(prefix="fawang-laws-"))
        self.addCleanup(shutil.rmtree, self.tmp, True)
        import_sample(self.tmp)
        self.matter = self.submit(self.consultation, description="法律援助申请多久作出决定？")
        self.aid = Article.objects.get(law__source_id=AID, label="第四十三条")
        legal_basis.do_add_article(
            self.matter.pk, "《中华人民共和国法律援助法》第四十三条", actor=self.sm_clerk
        )
        self.other = self.submit(self.consultation, description="民事诉讼怎么起诉？")

    def test_amendment_flags_the_answer_and_staff_clear_it(self) -> None:
        result = import_sample(self.tmp, changed(LAWS, "path", AID, expired=True), ARTICLES)
        self.assertEqual(result.newly_superseded, [Law.objects.get(source_id=AID).pk])
        self.assertGreaterEqual(result.flagged, 1)
        row = MatterArticle.objects.get(matter=self.matter, article=self.aid)
        self.assertTrue(row.needs_review)
        self.assertIn("法律援助法", row.review_note)
        self.assertFalse(MatterArticle.objects.filter(matter=self.other).exists())

        client = Client()
        client.force_login(self.sm_clerk)
        page = client.get(reverse("matters:detail", args=[self.matter.pk]))
        self.assertContains(page, "待复核")
        self.assertContains(page, "已复核，仍然适用")

        # A 湖里区 clerk cannot clear it (not found), nor can a role that does not answer (forbidden).
        outsider = Client()
        outsider.force_login(self.hl_clerk)
        url = reverse("consult:article_decide", args=[self.matter.pk])
        self.assertEqual(
            outsider.post(url, {"article": self.aid.pk, "decision": "reviewed"}).status_code, 404
        )

        done = client.post(url, {"article": self.aid.pk, "decision": "reviewed"})
        self.assertEqual(done.status_code, 302)
        row.refresh_from_db()
        self.assertFalse(row.needs_review)
        self.assertTrue(
            MatterEvent.objects.filter(
                matter=self.matter, action="legal_basis", note__startswith="已复核"
            ).exists()
        )
        self.assertNotContains(
            client.get(reverse("matters:detail", args=[self.matter.pk])), "已复核，仍然适用"
        )
        # Nothing left to review: a second 已复核 is refused in Chinese.
        again = client.post(url, {"article": self.aid.pk, "decision": "reviewed"}, follow=True)
        self.assertContains(again, "该条文没有待复核的提示。")
