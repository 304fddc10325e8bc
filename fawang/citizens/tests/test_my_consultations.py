"""我的咨询: consultations apart from other matters, each with its thread state and new answers; the answers are
read when the consultation is opened; 问题已解决 on the page ends it, after which the person rates it."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.urls import reverse

from fawang.consult import legal_basis
from fawang.knowledge.tests.sample import import_sample
from fawang.matters import actions as matter_actions
from fawang.matters.models import Matter, MatterEvent
from fawang.notify.models import Message

from .. import actions
from .base import CitizenTestCase

ANSWER = "可以向劳动保障监察大队投诉，或申请劳动仲裁。"


class MyConsultationsTestCase(CitizenTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.make_citizen("13711117777", name="林晓燕", seq="601")
        region = self.region("350203001")
        self.asked = actions.do_ask(actor=self.user, question="公司拖欠工资怎么办？", region=region).matters[
            0
        ]
        self.waiting = actions.do_ask(
            actor=self.user, question="邻居噪音扰民怎么办？", region=region
        ).matters[0]
        self.aid = self.submit(person=self.person(name="林晓燕", phone="13711117777"))
        Matter.objects.filter(pk=self.aid.pk).update(submitted_by=self.user)
        self.client.force_login(self.user)

    def answer(self, matter: Matter, text: str = ANSWER) -> None:
        with self.captureOnCommitCallbacks(execute=True):  # deliver to the inbox, as the worker would
            matter_actions.do_comment(matter.pk, actor=self.sm_clerk, text=text, visible=True)

    def consultations(self) -> str:
        return self.client.get(reverse("me:matters"), {"kind": "consultations"}).content.decode()

    def test_the_consultations_tab_lists_only_consultations_with_their_state(self) -> None:
        self.answer(self.asked)
        page = self.client.get(reverse("me:matters"), {"kind": "consultations"})
        self.assertContains(page, "<h1>我的咨询</h1>", html=True)
        self.assertContains(
            page, '<a href="/me/matters/?kind=consultations" aria-current="page">我的咨询</a>', html=True
        )
        self.assertContains(page, reverse("me:matter", args=[self.asked.pk]))
        self.assertContains(page, reverse("me:matter", args=[self.waiting.pk]))
        self.assertNotContains(page, reverse("me:matter", args=[self.aid.pk]))
        html = page.content.decode()
        first = html[html.index(reverse("me:matter", args=[self.waiting.pk])) :]
        self.assertIn('<span class="badge badge-warn">待答复</span>', first[: first.index("</li>")])
        answered = html[html.index(reverse("me:matter", args=[self.asked.pk])) :]
        answered = answered[: answered.index("</li>")]
        self.assertIn('<span class="badge badge-info">已答复</span>', answered)
        self.assertIn("1 条新答复", answered)
        others = self.client.get(reverse("me:matters"), {"kind": "matters"})
        self.assertContains(others, reverse("me:matter", args=[self.aid.pk]))
        self.assertNotContains(others, reverse("me:matter", args=[self.asked.pk]))
        everything = self.client.get(reverse("me:matters"))
        for matter in (self.asked, self.waiting, self.aid):
            self.assertContains(everything, reverse("me:matter", args=[matter.pk]))
        # The portal's navigation leads to it.
        self.assertContains(everything, '<a href="/me/matters/?kind=consultations">我的咨询</a>', html=True)

    def test_opening_a_consultation_reads_its_answers(self) -> None:
        self.answer(self.asked)
        self.answer(self.asked, "也可以申请法律援助。")
        self.assertIn("2 条新答复", self.consultations())
        page = self.client.get(reverse("me:matter", args=[self.asked.pk]))
        self.assertContains(page, ANSWER)
        self.assertContains(page, '<span class="badge badge-info">已答复</span>', html=True)
        self.assertNotIn("条新答复", self.consultations())
        inbox = Message.objects.filter(user=self.user, kind="matter.answered")
        self.assertEqual(inbox.count(), 2)
        self.assertFalse(inbox.filter(read_at__isnull=True).exists())

    def test_mark_resolved_then_rate(self) -> None:
        url = reverse("me:matter", args=[self.asked.pk])
        self.assertNotContains(self.client.get(url), "问题已解决")  # nothing to confirm before an answer
        response = self.client.post(reverse("me:resolve", args=[self.asked.pk]))
        self.assertContains(response, "工作人员答复后，才能确认问题已解决。", status_code=400)
        self.answer(self.asked)
        page = self.client.get(url)
        self.assertContains(
            page, '<button type="submit" class="btn btn-primary btn-block">问题已解决</button>', html=True
        )
        self.assertContains(page, "提交追问")
        response = self.client.post(reverse("me:resolve", args=[self.asked.pk]))
        self.assertRedirects(response, url, fetch_redirect_response=False)
        matter = Matter.objects.get(pk=self.asked.pk)
        self.assertEqual((matter.status, matter.result), (Matter.Status.COMPLETED, ANSWER))
        page = self.client.get(url)
        self.assertContains(page, "感谢您的确认，本次咨询已办结。")
        self.assertContains(page, '<span class="badge badge-ok">已解决</span>', html=True)
        self.assertContains(page, "本人确认问题已解决，咨询办结")
        self.assertContains(page, "您已确认问题已解决。如有新的问题，请重新咨询。")
        self.assertNotContains(page, "提交追问")
        self.assertNotContains(page, f'action="{reverse("me:resolve", args=[self.asked.pk])}"')
        self.assertContains(page, "提交评价")
        self.assertContains(page, reverse("track:result_pdf", args=[matter.tracking_no]))
        self.assertIn('<span class="badge badge-ok">已解决</span>', self.consultations())
        # A follow-up is refused now (a new question is a new consultation); the rating closes it.
        response = self.client.post(reverse("me:follow_up", args=[matter.pk]), {"text": "再问一句"})
        self.assertContains(response, "如有新的问题，请重新提交咨询。", status_code=400)
        self.assertFalse(MatterEvent.objects.filter(matter=matter, note="再问一句").exists())
        self.client.post(reverse("me:rate", args=[matter.pk]), {"level": "5", "comment": "很及时"})
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, Matter.Status.CLOSED)
        self.assertContains(self.client.get(url), "您已评价：非常满意")

    def test_other_matters_have_no_resolve(self) -> None:
        matter_actions.do_comment(self.aid.pk, actor=self.sm_clerk, text="请带身份证原件。", visible=True)
        page = self.client.get(reverse("me:matter", args=[self.aid.pk]))
        self.assertNotContains(page, "问题已解决")
        self.assertNotContains(page, "待答复")
        response = self.client.post(reverse("me:resolve", args=[self.aid.pk]))
        self.assertContains(response, "只有法律咨询可以确认问题已解决。", status_code=400)

    def test_the_legal_basis_staff_cited_is_on_the_page(self) -> None:
        tmp = Path(tempfile.mkdtemp(prefix="fawang-laws-"))
        self.addCleanup(shutil.rmtree, tmp, True)
        import_sample(tmp)
        legal_basis.do_add_article(
            self.asked.pk, "《中华人民共和国法律援助法》第四十三条", actor=self.sm_clerk
        )
        page = self.client.get(reverse("me:matter", args=[self.asked.pk]))
        self.assertContains(page, "相关法律")
        self.assertContains(page, "《中华人民共和国法律援助法》第四十三条")
