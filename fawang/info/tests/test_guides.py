"""办事指南 generated from the catalogue: the index by business line, one page per active item, the entries the
console linked to it, and the 在线申请/预约 slot."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fawang.catalog.models import ServiceItem
from fawang.knowledge import actions
from fawang.knowledge.models import KnowledgeEntry
from fawang.test import BaseTestCase

INDEX = reverse("info:guides")


def guide_url(code: str) -> str:
    return reverse("info:guide", args=[code])


class GuideTestCase(BaseTestCase):
    def entry(self, title: str, *, items: list[ServiceItem], published: bool = True, **fields: Any) -> Any:
        entry = actions.create_entry(
            actor=self.sysadmin,
            unit_id=self.unit("siming.legal_aid").pk,
            kind=fields.pop("kind", KnowledgeEntry.Kind.FAQ),
            title=title,
            body="申请法律援助需要准备哪些材料？身份证明和经济困难状况说明。",
            service_items=items,
            **fields,
        )
        return actions.publish(entry.pk, actor=self.sysadmin) if published else entry

    def test_the_index_lists_every_active_item_by_business_line(self) -> None:
        ServiceItem.objects.filter(code="remote_visit").update(is_active=False)
        r = self.client.get(INDEX)
        self.assertEqual(r.status_code, 200)
        for item in ServiceItem.objects.active():
            self.assertContains(r, f'<a href="{guide_url(item.code)}">{item.name}</a>', html=True)
        self.assertNotContains(r, "监所远程探视预约")
        html = r.content.decode()
        # 法律援助 comes before 人民调解 (the catalogue's order of lines), each under its own heading.
        self.assertLess(html.index('id="line-legal_aid"'), html.index('id="line-mediation"'))
        self.assertLess(html.index('id="line-legal_aid"'), html.index("法律援助异议审查"))

    def test_the_legal_aid_guide_says_everything_a_person_needs(self) -> None:
        r = self.client.get(guide_url("legal_aid"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "<h1>法律援助申请</h1>", html=True)
        self.assertContains(r, "法律援助中心（县级及以上）")
        # Time limits per step, in the unit the catalogue gives, with their legal basis.
        self.assertContains(r, '<td class="nowrap" data-label="时限">7 自然日</td>', html=True)
        self.assertContains(r, '<td class="nowrap" data-label="时限">3 自然日</td>', html=True)
        self.assertContains(r, "第四十三条第一款：自收到申请之日起七日内审查并作出是否给予法律援助的决定")
        # Materials, required and optional, and the 一次性告知 rule.
        self.assertContains(r, "<strong>法律援助申请表</strong>", html=True)
        self.assertContains(r, "必须提交")
        self.assertContains(r, "视情况提交")  # 代理人身份证明 is optional
        self.assertContains(r, "请在 15 个工作日内补正")
        for channel in ("窗口", "网站", "APP", "微信", "邮寄"):
            self.assertContains(r, f'<span class="badge badge-info">{channel}</span>', html=True)
        self.assertNotContains(r, '<span class="badge badge-info">热线</span>', html=True)
        self.assertContains(r, "需要登记申请人的身份证号码")
        self.assertContains(r, "<dd>免费</dd>", html=True)
        self.assertContains(r, "第二条、第三十一条、第三十八条")  # 设定依据
        self.assertContains(r, "经济困难的公民和符合法定条件的其他当事人")  # who may apply

    def test_the_apply_slot_links_online_items_and_tells_the_others_where_to_go(self) -> None:
        consultation = self.client.get(guide_url("consultation"))
        self.assertContains(consultation, f'href="{reverse("me:ask")}"')
        self.assertContains(consultation, "在线办理：法律咨询")
        legal_aid = self.client.get(guide_url("legal_aid"))
        self.assertContains(legal_aid, f'href="{reverse("applications:start", args=["legal_aid"])}"')
        self.assertContains(legal_aid, "在线办理：法律援助申请")
        # Complaints are made on the matter they are about: no online form, the other channels are named.
        complaint = self.client.get(guide_url("complaint"))
        self.assertNotContains(complaint, "在线办理：投诉")
        ServiceItem.objects.filter(code="legal_aid").update(channels=["window"])
        self.assertContains(self.client.get(guide_url("legal_aid")), "本事项请到服务点窗口办理")

    def test_an_item_without_timed_steps_or_materials_says_so(self) -> None:
        ServiceItem.objects.filter(code="appraisal").update(accept_limit=None)
        r = self.client.get(guide_url("appraisal"))
        self.assertContains(r, "本事项一般当场办理，不另设办理时限。")
        self.assertContains(r, "无需提交书面材料。")
        self.assertContains(r, "不需要身份证号码")

    def test_published_entries_linked_to_the_item_are_listed_and_drafts_are_not(self) -> None:
        legal_aid = ServiceItem.objects.get(code="legal_aid")
        shown = self.entry("申请法律援助要准备什么？", items=[legal_aid])
        self.entry("草稿：还没有发布的问答", items=[legal_aid], published=False)
        self.entry("人民调解的问答", items=[ServiceItem.objects.get(code="mediation")])
        r = self.client.get(guide_url("legal_aid"))
        self.assertContains(
            r, f'<a href="{shown.get_absolute_url()}">申请法律援助要准备什么？</a>', html=True
        )
        self.assertNotContains(r, "草稿：还没有发布的问答")
        self.assertNotContains(r, "人民调解的问答")

    def test_catalogue_text_is_escaped(self) -> None:
        ServiceItem.objects.filter(code="mediation").update(
            guide_conditions="<script>alert(1)</script>邻里纠纷"
        )
        r = self.client.get(guide_url("mediation"))
        self.assertContains(r, "&lt;script&gt;alert(1)&lt;/script&gt;邻里纠纷")
        self.assertNotContains(r, "<script>alert(1)</script>")

    def test_an_inactive_or_unknown_item_is_404(self) -> None:
        ServiceItem.objects.filter(code="notary").update(is_active=False)
        self.assertEqual(self.client.get(guide_url("notary")).status_code, 404)
        self.assertEqual(self.client.get(guide_url("no-such-item")).status_code, 404)

    def test_query_counts_are_fixed(self) -> None:
        legal_aid = ServiceItem.objects.get(code="legal_aid")
        self.entry("问答一", items=[legal_aid])
        self.entry("问答二", items=[legal_aid])
        with self.assertNumQueries(4):  # item, materials, entries, local bases (地方依据)
            self.client.get(guide_url("legal_aid"))
        with self.assertNumQueries(1):
            self.client.get(INDEX)

    def test_the_home_page_service_list_links_the_guides(self) -> None:
        r = self.client.get(reverse("portal:home"))
        for code in ("consultation", "legal_aid", "mediation", "notary", "appraisal", "lawyer"):
            self.assertContains(
                r, f'<a class="btn btn-sm elder-hide" href="{guide_url(code)}">办事指南</a>', html=True
            )
        self.assertContains(r, f'<a href="{INDEX}">办事指南</a>', html=True)  # the navigation
        ServiceItem.objects.filter(code="notary").update(is_active=False)
        self.assertNotContains(self.client.get(reverse("portal:home")), guide_url("notary"))


class ConsoleLinkTestCase(BaseTestCase):
    def test_an_editor_links_an_faq_to_a_service_item_in_the_console(self) -> None:
        legal_aid = ServiceItem.objects.get(code="legal_aid")
        self.client.force_login(self.sm_handler)
        r = self.client.get(reverse("knowledge_console:create"))
        self.assertContains(r, "相关服务事项")
        r = self.client.post(
            reverse("knowledge_console:create"),
            {
                "unit": str(self.unit("siming.legal_aid").pk),
                "kind": "faq",
                "title": "法律援助收费吗？",
                "body": "法律援助是免费的。",
                "service_items": [str(legal_aid.pk)],
                "manual": "",
            },
        )
        entry = KnowledgeEntry.objects.get(title="法律援助收费吗？")
        self.assertRedirects(r, reverse("knowledge_console:edit", args=[entry.pk]))
        self.assertEqual(list(entry.service_items.all()), [legal_aid])
        self.assertNotContains(self.client.get(guide_url("legal_aid")), "法律援助收费吗？")  # still a draft
        self.client.post(reverse("knowledge_console:publish", args=[entry.pk]))
        self.assertContains(self.client.get(guide_url("legal_aid")), "法律援助收费吗？")
        # Editing without the box ticked removes the link.
        self.client.post(
            reverse("knowledge_console:edit", args=[entry.pk]),
            {"kind": "faq", "title": "法律援助收费吗？", "body": "法律援助是免费的。", "manual": ""},
        )
        self.assertEqual(entry.service_items.count(), 0)
