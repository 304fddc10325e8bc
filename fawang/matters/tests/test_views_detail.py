"""The matter detail: only the actions a user may take, each action form's round trip, the Chinese errors that
keep the input, the reveal of personal data (access log), escaping, attachments, and the same 404 outside."""

from __future__ import annotations

import tempfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from .. import actions
from ..models import AccessLog, Attachment, Callback, Evaluation, Matter, MatterEvent
from ..permissions import available_actions
from .base import MatterTestCase, id_number

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def codes(user: Any, matter: Matter) -> list[str]:
    """The shared workflow's actions offered (those defined in fawang.matters; the lines' own, such as legal aid's
    decisions, are tested in their apps)."""
    return [
        spec.code
        for spec in available_actions(user, matter)
        if spec.perform.__module__.startswith("fawang.matters")
    ]


class AvailableActionsTestCase(MatterTestCase):
    def test_by_role_and_status(self) -> None:
        matter = self.submit()
        # A window clerk takes in, transfers and records supplied materials; never accepts or completes.
        self.assertEqual(codes(self.sm_clerk, matter), ["comment", "transfer", "change_item", "withdraw"])
        self.assertEqual(
            codes(self.sm_handler, matter),
            [
                "accept",
                "request_materials",
                "comment",
                "transfer",
                "change_item",
                "escalate",
                "merge",
                "reject",
                "withdraw",
            ],
        )
        self.assertEqual(codes(self.sm_supervisor, matter), ["comment", "transfer", "escalate"])
        # Outside their regions a handler may do nothing (the page would be a 404 anyway).
        self.assertEqual(codes(self.hl_handler, matter), [])
        actions.do_accept(matter.pk, actor=self.sm_handler)
        matter.refresh_from_db()
        self.assertIn("complete", codes(self.sm_handler, matter))
        self.assertIn("assign", codes(self.sm_handler, matter))
        self.assertNotIn("complete", codes(self.sm_clerk, matter))
        self.assertNotIn("accept", codes(self.sm_handler, matter))
        actions.do_request_materials(matter.pk, actor=self.sm_handler, missing=["身份证明"])
        matter.refresh_from_db()
        self.assertEqual(codes(self.sm_clerk, matter), ["supply_materials", "comment", "withdraw"])
        actions.do_supply_materials(matter.pk, actor=self.sm_clerk)
        actions.do_complete(matter.pk, actor=self.sm_handler, result="已办结。")
        matter.refresh_from_db()
        # Completing it made sm_handler its handler of record, who may not record a rating of their own work.
        self.assertEqual(codes(self.sm_handler, matter), ["comment", "change_item", "close", "reopen"])
        # The clerk may record the person's rating; the handler may not rate their own matter.
        self.assertIn("rate", codes(self.sm_clerk, matter))
        matter.handler = self.sm_handler
        self.assertNotIn("rate", codes(self.sm_handler, matter))
        actions.do_rate(matter.pk, actor=self.sm_clerk, level=Evaluation.Level.SATISFIED)
        matter.refresh_from_db()
        self.assertEqual(matter.status, Matter.Status.CLOSED)
        self.assertNotIn("rate", codes(self.sm_clerk, matter))
        self.assertEqual(codes(self.sm_handler, matter), ["comment", "reopen"])


class DetailTestCase(MatterTestCase):
    def setUp(self) -> None:
        self.matter = self.submit(description="<script>alert('x')</script>单位拖欠工资")

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def url(self, name: str = "matters:detail", matter: Matter | None = None) -> str:
        return reverse(name, args=[(matter or self.matter).pk])

    def act(self, user: Any, action: str, htmx: bool = False, **fields: Any) -> Any:
        data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client_for(user).post(self.url("matters:act"), data, headers=headers)

    def test_page_shows_only_allowed_actions(self) -> None:
        clerk = self.client_for(self.sm_clerk).get(self.url())
        self.assertEqual(clerk.status_code, 200)
        self.assertContains(clerk, self.matter.tracking_no)
        self.assertNotContains(clerk, 'name="action" value="complete"')
        self.assertNotContains(clerk, 'name="action" value="accept"')
        self.assertContains(clerk, 'name="action" value="transfer"')
        handler = self.client_for(self.sm_handler).get(self.url())
        self.assertContains(handler, 'name="action" value="accept"')
        self.assertContains(handler, 'name="action" value="reject"')
        # The materials checklist for 一次性告知 comes from the service item.
        self.assertContains(handler, "经济困难状况说明")

    def test_description_is_escaped(self) -> None:
        page = self.client_for(self.sm_clerk).get(self.url())
        self.assertContains(page, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;单位拖欠工资")
        self.assertNotContains(page, "<script>alert(")

    def test_other_regions_get_404(self) -> None:
        hl = self.client_for(self.hl_clerk)
        self.assertEqual(hl.get(self.url()).status_code, 404)
        self.assertEqual(
            hl.post(self.url("matters:act"), {"action": "comment", "comment-text": "x"}).status_code, 404
        )
        self.assertEqual(hl.post(self.url("matters:reveal")).status_code, 404)
        self.assertEqual(self.client_for(self.hl_handler).get(self.url()).status_code, 404)
        self.assertEqual(
            self.client_for(self.sm_clerk).get(reverse("matters:detail", args=[999999])).status_code, 404
        )
        self.assertEqual(MatterEvent.objects.filter(matter=self.matter, action="comment").count(), 0)

    def test_handler_accepts_assigns_and_completes(self) -> None:
        client = self.client_for(self.sm_handler)
        page = client.post(
            self.url("matters:act"), {"action": "accept", "accept-note": "材料齐全。"}, follow=True
        )
        self.assertEqual(page.redirect_chain, [(self.url(), 302)])
        self.assertContains(page, "已受理。")
        self.matter.refresh_from_db()
        self.assertEqual(self.matter.status, Matter.Status.ACCEPTED)
        # The handler choice lists only handlers of the matter's unit.
        assign = next(form for spec, form in page.context["action_forms"] if spec.code == "assign")
        self.assertEqual(list(assign.fields["handler"].queryset), [self.sm_handler])
        self.assertRedirects(self.act(self.sm_handler, "assign", handler=self.sm_handler.pk), self.url())
        self.assertRedirects(self.act(self.sm_handler, "complete", result="已代为申请劳动仲裁。"), self.url())
        self.matter.refresh_from_db()
        self.assertEqual(
            (self.matter.status, self.matter.result), (Matter.Status.COMPLETED, "已代为申请劳动仲裁。")
        )
        self.assertEqual(self.events(self.matter), ["submit", "accept", "assign", "complete"])
        self.assertEqual(MatterEvent.objects.get(matter=self.matter, action="accept").note, "材料齐全。")

    def test_errors_are_chinese_and_keep_the_input(self) -> None:
        # Completing a matter not yet accepted: the action refuses; the typed result stays in the form.
        response = self.act(self.sm_handler, "complete", result="已答复当事人的请求")
        self.assertContains(response, "该事项当前状态为“已提交”，不能办结。", status_code=400)
        self.assertContains(response, "已答复当事人的请求</textarea>", status_code=400)
        response = self.act(self.sm_handler, "reject", reason="  ")
        self.assertContains(response, "请填写不予受理的理由。", status_code=400)
        response = self.act(self.sm_handler, "request_materials", note="请尽快补齐")
        self.assertContains(response, "请一次性列出需要补正的全部材料。", status_code=400)
        self.assertContains(response, "请尽快补齐</textarea>", status_code=400)
        response = self.act(self.sm_handler, "transfer", reason="不属本中心管辖")
        self.assertContains(response, "请选择转办的机构。", status_code=400)
        self.assertContains(response, "不属本中心管辖</textarea>", status_code=400)
        # The role is checked by the action: a clerk posting 受理 by hand is refused.
        response = self.act(self.sm_clerk, "accept")
        self.assertContains(response, "您的岗位无权执行此操作。", status_code=403)
        self.assertEqual(self.events(self.matter), ["submit"])

    def test_an_action_outside_the_role_is_refused_on_a_short_page(self) -> None:
        # The page never offered the clerk 受理: the refusal says why and leads back, without the matter page.
        response = self.act(self.sm_clerk, "accept", note="受理。")
        self.assertContains(response, "您的岗位无权执行此操作。", status_code=403)
        self.assertContains(response, f'href="{self.url()}"', status_code=403)
        self.assertTemplateUsed(response, "matters/refused.html")
        self.assertTemplateNotUsed(response, "matters/detail.html")
        # Through htmx the fragment comes back with the error on the form, as every other refusal does.
        response = self.act(self.sm_clerk, "accept", htmx=True, note="受理。")
        self.assertContains(response, "您的岗位无权执行此操作。")
        self.assertTemplateUsed(response, "matters/_detail.html")
        self.assertEqual(self.events(self.matter), ["submit"])

    def test_request_and_supply_materials(self) -> None:
        response = self.act(
            self.sm_handler,
            "request_materials",
            missing=["经济困难状况说明", "申请人身份证明"],
            other="劳动合同\n工资条",
        )
        self.assertRedirects(response, self.url())
        event = MatterEvent.objects.get(matter=self.matter, action="request_materials")
        self.assertEqual(
            event.payload["missing"], ["经济困难状况说明", "申请人身份证明", "劳动合同", "工资条"]
        )
        self.assertTrue(event.visible_to_person)
        self.assertRedirects(self.act(self.sm_clerk, "supply_materials", note="窗口收到原件"), self.url())
        self.matter.refresh_from_db()
        self.assertEqual(self.matter.status, Matter.Status.SUBMITTED)

    def test_htmx_gets_the_refreshed_fragment(self) -> None:
        response = self.act(self.sm_handler, "comment", htmx=True, text="已电话联系", visible="on")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, 'id="matter-detail"')
        self.assertContains(response, "留言已保存。")
        self.assertContains(response, "已电话联系")
        event = MatterEvent.objects.get(matter=self.matter, action="comment")
        self.assertTrue(event.visible_to_person)
        # An error comes back as a fragment too (htmx leaves 4xx unswapped), with the message.
        response = self.act(self.sm_handler, "reject", htmx=True, reason="")
        self.assertContains(response, "请填写不予受理的理由。")
        self.assertNotContains(response, "<html")

    def test_internal_and_visible_events_are_marked(self) -> None:
        actions.do_comment(self.matter.pk, actor=self.sm_handler, text="内部核查收入")
        page = self.client_for(self.sm_handler).get(self.url())
        self.assertContains(page, '<span class="badge badge-muted">内部</span>')
        self.assertContains(page, '<span class="badge badge-info">服务对象可见</span>')

    def test_transfer_out_of_sight_goes_back_to_the_queue(self) -> None:
        hl_centre = self.unit("huli.centre")
        response = self.act(self.sm_clerk, "transfer", unit=hl_centre.pk, reason="属湖里区管辖")
        self.assertContains(response, "只能转办给您辖区内在用的机构。", status_code=400)
        self.matter.refresh_from_db()
        self.assertEqual(self.matter.unit, self.sm_legal_aid)
        response = self.act(self.sm_clerk, "transfer", unit=self.sm_centre.pk, reason="先由中心分流")
        self.assertRedirects(response, self.url())
        self.matter.refresh_from_db()
        self.assertEqual(self.matter.unit, self.sm_centre)
        self.assertEqual(MatterEvent.objects.get(matter=self.matter, action="transfer").note, "先由中心分流")

    def test_merge_by_tracking_number(self) -> None:
        dupe = self.submit(description="重复登记")
        response = self.act(self.sm_handler, "merge", tracking_nos="FW000000AAAAAAAA", reason="重复")
        self.assertContains(response, "未找到受理编号为 FW000000AAAAAAAA 的事项。", status_code=400)
        response = self.act(
            self.sm_handler, "merge", tracking_nos=dupe.tracking_no.lower(), reason="重复提交"
        )
        self.assertRedirects(response, self.url())
        dupe.refresh_from_db()
        self.assertEqual((dupe.status, dupe.parent_id), (Matter.Status.MERGED, self.matter.pk))

    def test_rating_recorded_by_the_clerk_opens_a_callback(self) -> None:
        actions.do_accept(self.matter.pk, actor=self.sm_handler)
        actions.do_complete(self.matter.pk, actor=self.sm_handler, result="已答复。")
        response = self.act(self.sm_clerk, "rate", level=Evaluation.Level.DISSATISFIED, comment="等太久")
        self.assertRedirects(response, self.url())
        self.assertEqual(Evaluation.objects.get(matter=self.matter).comment, "等太久")
        self.assertTrue(Callback.objects.filter(matter=self.matter).exists())

    def test_reveal_shows_full_data_once_and_writes_the_access_log(self) -> None:
        client = self.client_for(self.sm_handler)
        page = client.get(self.url())
        self.assertNotContains(page, id_number())
        self.assertNotContains(page, "13912345678")
        self.assertContains(page, "350203********")
        self.assertContains(page, "139****5678")
        self.assertContains(page, "查看完整信息")
        response = client.post(self.url("matters:reveal"), {"purpose": "联系服务对象"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, id_number())
        self.assertContains(response, "13912345678")
        self.assertEqual(response["Cache-Control"], "no-store")
        log = AccessLog.objects.get(matter=self.matter)
        self.assertEqual(
            (log.user, log.purpose, log.person_id), (self.sm_handler, "联系服务对象", self.matter.person_id)
        )
        # The next view is masked again.
        self.assertNotContains(client.get(self.url()), id_number())
        # A unit administrator may not see personal data: 403, nothing logged, no button.
        admin = self.client_for(self.sm_admin)
        self.assertNotContains(admin.get(self.url()), "查看完整信息")
        self.assertEqual(admin.post(self.url("matters:reveal")).status_code, 403)
        self.assertEqual(AccessLog.objects.filter(matter=self.matter).count(), 1)
        self.assertEqual(client.get(self.url("matters:reveal")).status_code, 405)


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="fawang-test-media-"))
class AttachmentViewTestCase(MatterTestCase):
    def test_upload_download_and_checks(self) -> None:
        matter = self.submit()
        client = Client()
        client.force_login(self.sm_clerk)
        url = reverse("matters:attachment_upload", args=[matter.pk])
        material = self.legal_aid.materials.get(name="申请人身份证明")
        response = client.post(url, {"file": SimpleUploadedFile("身份证.png", PNG), "material": material.pk})
        self.assertRedirects(response, reverse("matters:detail", args=[matter.pk]))
        attachment = Attachment.objects.get(matter=matter)
        self.assertEqual((attachment.original_name, attachment.material), ("身份证.png", material))
        self.assertIn("attach", self.events(matter))
        response = client.post(url, {"file": SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00evil")})
        self.assertContains(response, "只能上传 PDF、JPG、PNG 图片或 Word（.docx）文件。", status_code=400)
        response = client.post(url, {})
        self.assertContains(response, "请选择要上传的文件。", status_code=400)
        self.assertEqual(Attachment.objects.filter(matter=matter).count(), 1)

        download = client.get(reverse("matters:attachment", args=[attachment.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertTrue(download["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(download["Content-Type"], "image/png")
        self.assertEqual(download.getvalue(), PNG)
        self.assertTrue(
            AccessLog.objects.filter(matter=matter, user=self.sm_clerk, purpose="下载材料").exists()
        )
        other = Client()
        other.force_login(self.hl_clerk)
        self.assertEqual(other.get(reverse("matters:attachment", args=[attachment.pk])).status_code, 404)
        self.assertEqual(
            other.post(url, {"file": SimpleUploadedFile("a.png", PNG)}).status_code,
            404,
        )
