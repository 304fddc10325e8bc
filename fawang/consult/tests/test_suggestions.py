"""Suggested law articles and similar consultations beside a matter, staff decisions on them (法律依据), the
feedback those decisions give later suggestions, and the topic suggested at intake and its correction."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from fawang.consult import legal_basis, suggestions
from fawang.knowledge import searching
from fawang.knowledge.models import Article
from fawang.knowledge.tests.sample import art, import_sample, law
from fawang.matters import actions
from fawang.matters.models import Matter, MatterArticle, MatterEvent, TopicSource
from fawang.matters.tests.base import MONDAY, MatterTestCase, at, id_number
from fawang.orgs.models import Speciality

INDEX_DIR = Path(tempfile.mkdtemp(prefix="fawang-test-matter-lawindex-")) / "index"

LCL = "社会法/劳动合同法(2012-12-28).md"
LCL_T = "中华人民共和国劳动合同法"
CC = "民法典/民法典(2020-05-28).md"
CC_T = "中华人民共和国民法典"
LAWS = [
    law(LCL, LCL_T, "法律", "2012-12-28", "2013-07-01"),
    law(CC, CC_T, "法律", "2020-05-28", "2021-01-01"),
]
ARTICLES = [
    art(
        LCL,
        LCL_T,
        "第三十条",
        30,
        1,
        "用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬。"
        "用人单位拖欠或者未足额支付劳动报酬的，劳动者可以依法向当地人民法院申请支付令。",
    ),
    art(
        LCL,
        LCL_T,
        "第三十八条",
        38,
        2,
        "用人单位有下列情形之一的，劳动者可以解除劳动合同：未按照劳动合同约定提供劳动保护或者劳动条件的；"
        "未及时足额支付劳动报酬的；未依法为劳动者缴纳社会保险费的。",
    ),
    art(
        LCL,
        LCL_T,
        "第八十五条",
        85,
        3,
        "用人单位未按照劳动合同的约定或者国家规定及时足额支付劳动者劳动报酬的，由劳动行政部门责令限期支付"
        "劳动报酬、加班费或者经济补偿；逾期不支付的，责令用人单位按应付金额百分之五十以上百分之一百以下的标准"
        "向劳动者加付赔偿金。",
    ),
    art(
        LCL,
        LCL_T,
        "第四十七条",
        47,
        4,
        "经济补偿按劳动者在本单位工作的年限，每满一年支付一个月工资的标准向劳动者支付。",
    ),
    art(
        CC,
        CC_T,
        "第一千零七十九条",
        1079,
        1,
        "夫妻一方要求离婚的，可以由有关组织进行调解或者直接向人民法院提起离婚诉讼。",
    ),
    art(
        CC,
        CC_T,
        "第一千零八十四条",
        1084,
        2,
        "离婚后，不满两周岁的子女，以由母亲直接抚养为原则。已满两周岁的子女，父母双方对抚养问题协议不成的，"
        "由人民法院根据双方的具体情况，按照最有利于未成年子女的原则判决。<b>粗体</b>",
    ),
]

WAGES = "公司拖欠工资三个月不发怎么办"


@override_settings(LAW_INDEX_DIR=str(INDEX_DIR))
class SuggestionTestCase(MatterTestCase):
    articles: ClassVar[dict[str, Article]]
    hl_centre: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        import_sample(INDEX_DIR.parent / "source", LAWS, ARTICLES)
        cls.addClassCleanup(shutil.rmtree, INDEX_DIR.parent, True)
        searching.build(INDEX_DIR)
        cls.articles = {f"{a.law.source_id}#{a.label}": a for a in Article.objects.select_related("law")}
        cls.hl_centre = cls.unit("huli.centre")

    def a(self, path: str, label: str) -> Article:
        return self.articles[f"{path}#{label}"]

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def consult(self, description: str = WAGES, **kwargs: Any) -> Matter:
        return self.submit(self.consultation, description=description, **kwargs)

    def completed(self, description: str, result: str, **kwargs: Any) -> Matter:
        matter = self.consult(description, **kwargs)
        handler = kwargs.get("handler", self.sm_handler)
        actions.do_accept(matter.pk, actor=handler, now=MONDAY)
        return actions.do_complete(matter.pk, actor=handler, result=result, now=at(2025, 3, 4))

    def ranked(self, matter: Matter) -> list[int]:
        found = suggestions.suggest_articles(matter, k=10)
        assert found is not None
        return [s.article.pk for s in found]

    def huli_consult(self, description: str) -> Matter:
        return self.consult(
            description,
            actor=self.hl_clerk,
            region="350206001",
            intake_unit=self.hl_centre,
            person=self.person(name="李四", id_number=id_number(region="350206")),
        )

    # ---------------------------------------------------------------------------------------- panel

    def test_panel_lists_articles_for_the_description_and_similar_consultations(self) -> None:
        done = self.completed("单位拖欠工资三个月了一直不发", "告知可向劳动监察大队投诉<script>x</script>。")
        self.completed("离婚后孩子抚养权归谁", "告知抚养权的规定。", person=self.person(name="王五"))
        matter = self.consult()
        client = self.client_for(self.sm_handler)
        detail = client.get(reverse("matters:detail", args=[matter.pk]))
        url = reverse("consult:suggestions", args=[matter.pk])
        self.assertContains(detail, f'hx-get="{url}"')
        self.assertContains(detail, '<h2 id="h-basis">法律依据</h2>', html=False)
        r = client.get(url, HTTP_HX_REQUEST="true")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "相关法律条文（建议）")
        a30 = self.a(LCL, "第三十条")
        self.assertContains(
            r,
            f'<a href="{a30.get_absolute_url()}" target="_blank" rel="noopener">《{LCL_T}》第三十条</a>',
            html=True,
        )
        self.assertContains(r, "拖欠</mark>或者未")  # the matched words highlighted
        # The four labour articles that match the question; an article with nothing but a prior for it (the
        # divorce article of the 民法典) is no suggestion.
        self.assertEqual(r.content.decode().count('name="decision" value="accepted"'), 4)
        self.assertLessEqual(4, suggestions.SUGGESTED)
        self.assertNotContains(r, '#a1079"')
        # Similar completed consultations: number, item, date and result (escaped), never the person.
        self.assertContains(r, "相似的已办结咨询")
        self.assertContains(r, done.tracking_no)
        self.assertContains(r, "告知可向劳动监察大队投诉&lt;script&gt;x&lt;/script&gt;。")
        self.assertNotContains(r, "张三")
        self.assertNotContains(r, "告知抚养权的规定")  # not similar

    def test_panel_without_index_says_so(self) -> None:
        matter = self.consult()
        with override_settings(LAW_INDEX_DIR=str(INDEX_DIR.parent / "missing")):
            r = self.client_for(self.sm_handler).get(reverse("consult:suggestions", args=[matter.pk]))
        self.assertContains(r, "法规检索索引尚未建立，暂无建议条文。")

    def test_scoping(self) -> None:
        matter = self.consult()
        hl_done = self.huli_consult("公司拖欠工资三个月不发，怎么办？")
        actions.do_accept(hl_done.pk, actor=self.hl_handler, now=MONDAY)
        actions.do_complete(hl_done.pk, actor=self.hl_handler, result="湖里区的答复。", now=at(2025, 3, 4))
        # A 湖里区 handler: the 思明区 matter's panel and its forms do not exist for them.
        hl = self.client_for(self.hl_handler)
        self.assertEqual(hl.get(reverse("consult:suggestions", args=[matter.pk])).status_code, 404)
        a30 = self.a(LCL, "第三十条")
        r = hl.post(
            reverse("consult:article_decide", args=[matter.pk]), {"article": a30.pk, "decision": "accepted"}
        )
        self.assertEqual(r.status_code, 404)
        r = hl.post(reverse("consult:article_add", args=[matter.pk]), {"citation": "《劳动合同法》第三十条"})
        self.assertEqual(r.status_code, 404)
        self.assertFalse(MatterArticle.objects.exists())
        # Similar consultations of the 思明区 handler never include 湖里区 matters, however similar.
        r = self.client_for(self.sm_handler).get(reverse("consult:suggestions", args=[matter.pk]))
        self.assertContains(r, "暂无相似的已办结咨询。")
        self.assertNotContains(r, hl_done.tracking_no)
        self.assertNotContains(r, "湖里区的答复")
        self.assertEqual(
            [m.pk for m in suggestions.similar_consultations(matter, self.sysadmin)], [hl_done.pk]
        )

    # ---------------------------------------------------------------------------------------- decisions

    def test_accept_reject_and_add_by_citation(self) -> None:
        matter = self.consult()
        client = self.client_for(self.sm_handler)
        a30, a47 = self.a(LCL, "第三十条"), self.a(LCL, "第四十七条")
        decide = reverse("consult:article_decide", args=[matter.pk])
        r = client.post(decide, {"article": a30.pk, "decision": "accepted"}, HTTP_HX_REQUEST="true")
        self.assertContains(r, f"已采纳《{LCL_T}》第三十条，列入法律依据。")
        # The 法律依据 card comes along out of band.
        self.assertContains(
            r,
            '<section class="card" id="matter-basis" aria-labelledby="h-basis" hx-swap-oob="true">',
            html=False,
        )
        self.assertContains(r, '<span class="badge badge-ok">已采纳</span>', html=True)
        r = client.post(decide, {"article": a47.pk, "decision": "rejected"}, HTTP_HX_REQUEST="true")
        self.assertContains(r, f"已不采纳《{LCL_T}》第四十七条。")
        # Deciding the same again is refused with a message; a bad decision too.
        r = client.post(decide, {"article": a47.pk, "decision": "rejected"}, HTTP_HX_REQUEST="true")
        self.assertContains(r, f"《{LCL_T}》第四十七条已是“不采纳”。")
        r = client.post(decide, {"article": a47.pk, "decision": "maybe"})
        self.assertContains(r, "请选择采纳或不采纳。", status_code=400)
        r = client.post(decide, {"article": "x"})
        self.assertContains(r, "请选择法律条文。", status_code=400)
        # Add by citation; a citation that names no article gets a Chinese error and saves nothing.
        add = reverse("consult:article_add", args=[matter.pk])
        r = client.post(add, {"citation": "民法典第一千零七十九条"}, HTTP_HX_REQUEST="true")
        self.assertContains(r, "无法识别“民法典第一千零七十九条”：请按《法律名称》第某条的格式填写")
        r = client.post(add, {"citation": "《民法典》第九千条"}, HTTP_HX_REQUEST="true")
        self.assertContains(r, "法规库中没有找到《民法典》第九千条，请核对法律名称和条号。")
        r = client.post(add, {"citation": ""})
        self.assertContains(r, "请填写法律条文", status_code=400)
        r = client.post(add, {"citation": " 《民法典》第一千零七十九条 "}, HTTP_HX_REQUEST="true")
        a1079 = self.a(CC, "第一千零七十九条")
        self.assertContains(r, f"已将《{CC_T}》第一千零七十九条列入法律依据。")
        rows = list(
            MatterArticle.objects.filter(matter=matter)
            .order_by("pk")
            .values_list("article_id", "source", "decision", "decided_by")
        )
        self.assertEqual(
            rows,
            [
                (a30.pk, "suggested", "accepted", self.sm_handler.pk),
                (a47.pk, "suggested", "rejected", self.sm_handler.pk),
                (a1079.pk, "added", "accepted", self.sm_handler.pk),
            ],
        )
        events = list(
            MatterEvent.objects.filter(matter=matter, action=MatterEvent.Action.LEGAL_BASIS)
            .order_by("pk")
            .values_list("note", "visible_to_person")
        )
        self.assertEqual(
            events,
            [
                (f"采纳《{LCL_T}》第三十条", False),
                (f"不采纳《{LCL_T}》第四十七条", False),
                (f"添加《{CC_T}》第一千零七十九条", False),
            ],
        )
        # The detail shows the legal basis; the person's tracking page shows accepted articles only.
        self.assertEqual(matter.legal_basis(), [a30, a1079])
        detail = client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(detail, f"《{LCL_T}》第三十条</a>")
        self.assertContains(detail, f"《{CC_T}》第一千零七十九条</a>")

    def test_decisions_read_as_english_for_an_english_speaking_member_of_staff(self) -> None:
        matter = self.consult()
        a30 = self.a(LCL, "第三十条")
        with translation.override("en"):
            legal_basis.do_decide_article(matter.pk, a30.pk, actor=self.sm_handler, decision="accepted")
            with self.assertRaises(ValidationError) as raised:
                legal_basis.do_decide_article(matter.pk, a30.pk, actor=self.sm_handler, decision="accepted")
            # The decision's label, not the button's verb.
            self.assertIn("is already 'Accepted'.", raised.exception.messages[0])
        note = MatterEvent.objects.get(matter=matter, action=MatterEvent.Action.LEGAL_BASIS).note
        self.assertTrue(note.startswith("Accepted "), note)
        self.assertIn("第三十条", note)

    def test_roles_without_handling_cannot_decide(self) -> None:
        matter = self.consult()
        a30 = self.a(LCL, "第三十条")
        client = self.client_for(self.sm_supervisor)
        r = client.get(reverse("consult:suggestions", args=[matter.pk]))
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, 'name="decision"')
        r = client.post(
            reverse("consult:article_decide", args=[matter.pk]), {"article": a30.pk, "decision": "accepted"}
        )
        self.assertContains(r, "您的岗位无权执行此操作。", status_code=403)
        self.assertFalse(MatterArticle.objects.exists())

    def test_public_tracking_page_shows_accepted_articles_only(self) -> None:
        matter = self.consult()
        a30, a47 = self.a(LCL, "第三十条"), self.a(LCL, "第四十七条")
        legal_basis.do_decide_article(matter.pk, a30.pk, actor=self.sm_handler, decision="accepted")
        legal_basis.do_decide_article(matter.pk, a47.pk, actor=self.sm_handler, decision="rejected")
        Matter.objects.filter(pk=matter.pk).update(submitted_by=self.citizen)
        client = self.client_for(self.citizen)
        r = client.get(reverse("track:matter", args=[matter.tracking_no]))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "相关法律")
        self.assertContains(r, f'<a href="{a30.get_absolute_url()}">《{LCL_T}》第三十条</a>', html=True)
        self.assertNotContains(r, "第四十七条")
        # Decisions are internal: not on the person's timeline.
        self.assertNotContains(r, "采纳")

    # ---------------------------------------------------------------------------------------- feedback

    def test_accepting_moves_an_article_up_and_rejecting_moves_it_down_for_similar_questions(self) -> None:
        a30, a38, a47 = self.a(LCL, "第三十条"), self.a(LCL, "第三十八条"), self.a(LCL, "第四十七条")
        new = self.consult("公司拖欠我工资三个月一直不发，怎么办")
        before = self.ranked(new)
        self.assertGreater(before.index(a38.pk), 0)
        past = self.consult(WAGES)
        past_alone = self.ranked(past)  # the search alone, before any decision
        unrelated = self.consult("离婚后孩子抚养权归谁", person=self.person(name="王五"))
        legal_basis.do_decide_article(unrelated.pk, a30.pk, actor=self.sm_handler, decision="rejected")
        self.assertEqual(self.ranked(new), before)  # a decision on an unrelated question changes nothing

        legal_basis.do_decide_article(past.pk, a38.pk, actor=self.sm_handler, decision="accepted")
        after_accept = self.ranked(new)
        self.assertLess(after_accept.index(a38.pk), before.index(a38.pk))

        legal_basis.do_decide_article(past.pk, a47.pk, actor=self.sm_handler, decision="rejected")
        after_reject = self.ranked(new)
        self.assertGreater(after_reject.index(a47.pk), after_accept.index(a47.pk))
        self.assertEqual(after_reject[0], a38.pk)
        # A matter's own decisions do not vote for itself.
        self.assertEqual(self.ranked(past), past_alone)

    # ---------------------------------------------------------------------------------------- topic

    def test_topic_is_suggested_at_intake_and_corrected_by_staff(self) -> None:
        labour = Speciality.objects.get(code="labour")
        family = Speciality.objects.get(code="family")
        matter = self.consult()
        self.assertEqual((matter.topic, matter.topic_source), (labour, TopicSource.AUTO))
        self.assertGreater(matter.topic_confidence or 0, 0.5)
        # Only consultations are classified; a topic chosen at intake is kept as chosen.
        aid = self.submit(self.legal_aid, description=WAGES)
        self.assertEqual((aid.topic_id, aid.topic_source), (None, ""))
        chosen = self.consult(topic=family)
        self.assertEqual((chosen.topic, chosen.topic_source), (family, TopicSource.STAFF))

        client = self.client_for(self.sm_handler)
        detail = client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(detail, '<span class="badge badge-info">自动分类 93%</span>', html=True)
        self.assertContains(detail, "更正领域")
        url = reverse("matters:topic", args=[matter.pk])
        r = client.post(url, {"topic": ""})
        self.assertContains(r, "请选择所涉领域。", status_code=400)
        r = client.post(url, {"topic": family.pk}, HTTP_HX_REQUEST="true")
        self.assertContains(r, "所涉领域已更正。")
        matter.refresh_from_db()
        self.assertEqual((matter.topic, matter.topic_source), (family, TopicSource.CORRECTED))
        event = MatterEvent.objects.get(matter=matter, action=MatterEvent.Action.TOPIC)
        self.assertEqual(event.note, "所涉领域：劳动纠纷 → 婚姻家庭")
        self.assertEqual(
            (event.payload["old_topic"], event.payload["new_topic"], event.payload["old_source"]),
            ("labour", "family", "auto"),
        )
        self.assertFalse(event.visible_to_person)
        r = client.post(url, {"topic": family.pk}, HTTP_HX_REQUEST="true")
        self.assertContains(r, "所涉领域没有变化。")
        # The 湖里区 handler cannot correct it.
        self.assertEqual(self.client_for(self.hl_handler).post(url, {"topic": labour.pk}).status_code, 404)

        out = StringIO()
        call_command("export_topic_corrections", stdout=out, stderr=StringIO())
        self.assertEqual(
            [json.loads(line) for line in out.getvalue().splitlines()],
            [{"question": WAGES, "topic": "婚姻家庭"}],
        )

    def test_supervision_counts_consultations_by_topic_in_the_users_regions(self) -> None:
        from django.utils import timezone

        from fawang.consult.hotspots import hotspots

        def counts(user: Any) -> dict[str, int]:
            return {h["topic__name"]: h["n"] for h in hotspots(user, timezone.now())}

        sm_before, hl_before = counts(self.sm_supervisor), counts(self.hl_supervisor)
        now = timezone.now()
        self.consult(now=now)
        self.consult("单位不给缴社保还拖欠加班费", now=now, person=self.person(name="王五"))
        self.consult("离婚后孩子抚养权归谁", now=now, person=self.person(name="赵六"))
        self.consult("离婚后孩子抚养权归谁", now=now - dt.timedelta(days=31), person=self.person(name="钱七"))
        self.submit(self.legal_aid, now=now)  # not a consultation
        hl = self.huli_consult("公司拖欠工资三个月不发，怎么办？")
        Matter.objects.filter(pk=hl.pk).update(submitted_at=now)
        sm_after, hl_after = counts(self.sm_supervisor), counts(self.hl_supervisor)
        self.assertEqual(sm_after.get("劳动纠纷", 0) - sm_before.get("劳动纠纷", 0), 2)
        self.assertEqual(sm_after.get("婚姻家庭", 0) - sm_before.get("婚姻家庭", 0), 1)
        self.assertEqual(hl_after.get("劳动纠纷", 0) - hl_before.get("劳动纠纷", 0), 1)
        self.assertEqual(hl_after.get("婚姻家庭", 0), hl_before.get("婚姻家庭", 0))
        labour = Speciality.objects.get(code="labour")
        page = self.client_for(self.sm_supervisor).get(reverse("matters:supervision"))
        self.assertContains(page, "咨询热点（近 30 日）")
        self.assertContains(
            page,
            f'<tr><td><a href="/console/matters/all/?topic={labour.pk}">劳动纠纷</a></td>'
            f'<td class="num">{sm_after["劳动纠纷"]}</td></tr>',
            html=True,
        )
