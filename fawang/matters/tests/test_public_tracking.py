"""Tracking without an account: the one-time code flow, its limits, and what the person sees and does on the
matter's page (materials, rating, complaint), as a visitor with a code or as the signed-in owner."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from fawang.notify.models import Message

from .. import actions, tracking
from ..models import Attachment, Callback, Complaint, Evaluation, Matter, TrackingCode
from .base import MONDAY, MatterTestCase, at, id_number

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SENT = "验证码已发送至登记手机号"


class TrackingTestCase(MatterTestCase):
    ip = "203.0.113.7"

    def setUp(self) -> None:
        super().setUp()
        self.matter = self.submit(person=self.person(name="李四", phone="13912345678"))

    # --- helpers ---------------------------------------------------------------------------------------

    def ask(self, number: str, ip: str | None = None) -> Any:
        return self.client.post(reverse("track:start"), {"no": number}, REMOTE_ADDR=ip or self.ip)

    def codes_sent(self, matter: Matter | None = None) -> list[Message]:
        qs = Message.objects.filter(kind="otp.track").order_by("pk")
        if matter is not None:
            qs = qs.filter(related_id=str(matter.pk))
        return list(qs)

    def last_code(self, matter: Matter) -> str:
        body = self.codes_sent(matter)[-1].body
        found = re.search(r"验证码 (\d{6})", body)
        assert found, body
        return found.group(1)

    def verify(self, number: str, code: str) -> Any:
        return self.client.post(reverse("track:verify"), {"no": number, "code": code})

    def open_with_code(self, matter: Matter) -> None:
        self.assertEqual(self.ask(matter.tracking_no).status_code, 302)
        response = self.verify(matter.tracking_no, self.last_code(matter))
        self.assertRedirects(response, reverse("track:matter", args=[matter.tracking_no]))

    @staticmethod
    def without_tokens(response: Any) -> str:
        """The page without its CSRF tokens, which differ on every render."""
        return re.sub(
            r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", response.content.decode()
        )

    def page(self, matter: Matter) -> Any:
        return self.client.get(reverse("track:matter", args=[matter.tracking_no]))

    def age_codes(self, seconds: int) -> None:
        """Move every recorded code request back in time (instead of sleeping)."""
        for row in TrackingCode.objects.all():
            TrackingCode.objects.filter(pk=row.pk).update(
                created_at=row.created_at - dt.timedelta(seconds=seconds),
                expires_at=row.expires_at - dt.timedelta(seconds=seconds),
            )

    def complete(self, matter: Matter) -> Matter:
        actions.do_accept(matter.pk, actor=self.sm_handler, now=MONDAY)
        return actions.do_complete(
            matter.pk,
            actor=self.sm_handler,
            result="已代为申请劳动仲裁，用人单位已支付拖欠工资。",
            now=at(2025, 3, 20),
        )


class CodeFlowTestCase(TrackingTestCase):
    def test_the_whole_flow_sends_a_code_and_shows_the_persons_timeline(self) -> None:
        actions.do_comment(
            self.matter.pk, actor=self.sm_handler, text="内部意见：需核实劳动关系", visible=False
        )
        actions.do_comment(self.matter.pk, actor=self.sm_handler, text="请保持电话畅通。", visible=True)

        response = self.ask(self.matter.tracking_no.lower())  # people type in any case
        self.assertRedirects(
            response,
            reverse("track:verify") + f"?no={self.matter.tracking_no}&sent=1",
            fetch_redirect_response=False,
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, SENT)
        sms = self.codes_sent(self.matter)
        self.assertEqual([(m.channel, m.phone, m.sensitive) for m in sms], [("sms", "13912345678", True)])
        code = self.last_code(self.matter)
        self.assertNotContains(page, code)  # no gateway, but production never shows the code
        row = TrackingCode.objects.get(tracking_no=self.matter.tracking_no)
        self.assertEqual((row.matter, row.ip, row.attempts), (self.matter, self.ip, 0))
        self.assertNotIn(code, row.code_hash)
        self.assertAlmostEqual(
            (row.expires_at - row.created_at).total_seconds(), 600, delta=1, msg="valid for 10 minutes"
        )

        response = self.verify(self.matter.tracking_no, code)
        self.assertRedirects(response, reverse("track:matter", args=[self.matter.tracking_no]))
        page = self.page(self.matter)
        self.assertEqual(page.status_code, 200)
        self.assertIn("no-store", page["Cache-Control"])
        for text in (
            self.matter.tracking_no,
            "法律援助申请",
            "已提交",
            "您的申请已提交，正在等待办理机构受理。",
            "思明区法律援助中心",
            self.sm_legal_aid.phone,
            "已提交，由思明区法律援助中心办理",
            "请保持电话畅通。",
            "2025年3月3日",
        ):
            self.assertContains(page, text)
        self.assertNotContains(page, "内部意见")
        for name in {self.sm_handler.display_name, self.sm_clerk.display_name, self.sm_handler.username} - {
            ""
        }:
            self.assertNotContains(page, name)

    def test_the_code_is_used_once(self) -> None:
        self.open_with_code(self.matter)
        code = self.last_code(self.matter)
        self.client.cookies.clear()
        response = self.verify(self.matter.tracking_no, code)
        self.assertContains(response, "该验证码已经使用过，请重新获取。")
        self.assertEqual(self.page(self.matter).status_code, 404)

    def test_five_wrong_codes_lock_the_code(self) -> None:
        self.ask(self.matter.tracking_no)
        code = self.last_code(self.matter)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        for left in (4, 3, 2, 1):
            self.assertContains(
                self.verify(self.matter.tracking_no, wrong), f"验证码不正确，还可以再试 {left} 次。"
            )
        self.assertContains(
            self.verify(self.matter.tracking_no, wrong), "验证码错误次数过多，请重新获取验证码。"
        )
        # Locked: even the right code is refused now.
        response = self.verify(self.matter.tracking_no, code)
        self.assertContains(response, "验证码错误次数过多，请重新获取验证码。")
        self.assertEqual(TrackingCode.objects.get().attempts, 5)
        self.assertEqual(self.page(self.matter).status_code, 404)

    def test_an_expired_code_is_refused(self) -> None:
        self.ask(self.matter.tracking_no)
        TrackingCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        response = self.verify(self.matter.tracking_no, self.last_code(self.matter))
        self.assertContains(response, "验证码已过期，请重新获取。")
        self.assertEqual(self.page(self.matter).status_code, 404)

    def test_a_code_for_nothing_yet_asked(self) -> None:
        self.assertContains(self.verify(self.matter.tracking_no, "123456"), "请先获取验证码。")
        self.assertContains(self.verify(self.matter.tracking_no, "12ab"), "请输入短信中的 6 位数字验证码。")

    def test_resending_is_rate_limited_per_number_and_per_address(self) -> None:
        self.assertEqual(self.ask(self.matter.tracking_no).status_code, 302)
        response = self.ask(self.matter.tracking_no)
        self.assertContains(response, "获取验证码过于频繁，请 60 秒后再试。", status_code=429)
        self.assertEqual(len(self.codes_sent()), 1)

        # From another address, the same number is still limited. Another number from the first address is not
        # made to wait (the next person behind the same service-hall network), only counted.
        self.assertContains(
            self.ask(self.matter.tracking_no, ip="198.51.100.1"), "获取验证码过于频繁", status_code=429
        )
        other = self.submit(
            person=self.person(name="王五", phone="13700000001", id_number=id_number(seq="456"))
        )
        self.assertEqual(self.ask(other.tracking_no).status_code, 302)
        self.assertEqual(len(self.codes_sent(other)), 1)

        # A minute later it may be sent again, up to five times an hour per number.
        for _ in range(4):
            self.age_codes(61)
            self.assertEqual(self.ask(self.matter.tracking_no, ip=f"198.51.100.{_ + 10}").status_code, 302)
        self.age_codes(61)
        response = self.ask(self.matter.tracking_no, ip="198.51.100.99")
        self.assertContains(response, "获取验证码次数过多，请一小时后再试。", status_code=429)
        self.assertEqual(len(self.codes_sent(self.matter)), 5)
        # Only the latest code opens the page.
        first = re.search(r"验证码 (\d{6})", self.codes_sent(self.matter)[0].body)
        assert first
        if first.group(1) != self.last_code(self.matter):
            self.assertContains(self.verify(self.matter.tracking_no, first.group(1)), "验证码不正确")
        self.assertEqual(self.verify(self.matter.tracking_no, self.last_code(self.matter)).status_code, 302)

    def test_an_unknown_number_gets_the_same_answer_and_nothing_is_sent(self) -> None:
        unknown = tracking.generate()
        self.assertFalse(Matter.objects.filter(tracking_no=unknown).exists())
        known_page = self.client.get(self.ask(self.matter.tracking_no)["Location"])
        response = self.ask(unknown, ip="198.51.100.2")
        self.assertEqual(response["Location"], reverse("track:verify") + f"?no={unknown}&sent=1")
        unknown_page = self.client.get(response["Location"])
        self.assertContains(unknown_page, SENT)
        self.assertEqual(
            self.without_tokens(known_page).replace(self.matter.tracking_no, "N"),
            self.without_tokens(unknown_page).replace(unknown, "N"),
        )
        self.assertEqual(len(self.codes_sent()), 1)  # only the known number's
        # Verifying, and the limits, read the same as for a real number.
        self.assertContains(self.verify(unknown, "123456"), "验证码不正确，还可以再试 4 次。")
        self.assertContains(
            self.ask(unknown, ip="198.51.100.3"), "获取验证码过于频繁，请 60 秒后再试。", status_code=429
        )

    def test_a_wrong_check_character_is_refused_before_any_lookup(self) -> None:
        number = self.matter.tracking_no
        typo = number[:-1] + ("A" if number[-1] != "A" else "B")
        response = self.ask(typo)
        self.assertContains(response, "受理编号有误，请核对后重新输入")
        self.assertFalse(TrackingCode.objects.exists())
        self.assertEqual(self.codes_sent(), [])

    @override_settings(NOTIFY_SHOW_CODES_IN_DEV=True)
    def test_the_demo_shows_the_code_when_told_to(self) -> None:
        page = self.client.get(self.ask(self.matter.tracking_no)["Location"])
        self.assertContains(
            page, f'<strong class="dev-code">{self.last_code(self.matter)}</strong>', html=False
        )

    def test_the_start_page_prefills_the_number_from_the_qr_code(self) -> None:
        page = self.client.get(reverse("track:start"), {"no": self.matter.tracking_no})
        self.assertContains(page, f'value="{self.matter.tracking_no}"')


class AccessTestCase(TrackingTestCase):
    def test_another_matters_page_needs_its_own_code(self) -> None:
        other = self.complete(
            self.submit(person=self.person(name="赵六", phone="13700000002", id_number=id_number(seq="456")))
        )
        self.open_with_code(self.matter)
        self.assertEqual(self.page(self.matter).status_code, 200)
        self.assertEqual(self.page(other).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("track:result_pdf", args=[other.tracking_no])).status_code, 404
        )
        self.assertEqual(
            self.client.post(reverse("track:rate", args=[other.tracking_no]), {"level": 5}).status_code, 404
        )
        self.assertFalse(Evaluation.objects.filter(matter=other).exists())

    def test_the_access_ends_after_thirty_minutes(self) -> None:
        self.open_with_code(self.matter)
        session = self.client.session
        grants = session["track_grants"]
        self.assertAlmostEqual(grants[self.matter.tracking_no], time.time() + 30 * 60, delta=5)
        session["track_grants"] = {self.matter.tracking_no: time.time() - 1}
        session.save()
        self.assertEqual(self.page(self.matter).status_code, 404)

    def test_a_signed_in_person_sees_their_own_matters_without_a_code(self) -> None:
        Matter.objects.filter(pk=self.matter.pk).update(submitted_by=self.citizen)
        other = self.submit(
            person=self.person(name="赵六", phone="13700000002", id_number=id_number(seq="456"))
        )
        self.client.force_login(self.citizen)
        self.assertContains(self.page(self.matter), "法律援助申请")
        self.assertEqual(self.page(other).status_code, 404)
        # Asking for a code for one's own matter goes straight to it.
        self.assertRedirects(
            self.ask(self.matter.tracking_no), reverse("track:matter", args=[self.matter.tracking_no])
        )
        self.assertEqual(self.codes_sent(), [])

    def test_html_in_the_description_is_escaped(self) -> None:
        matter = self.submit(
            person=self.person(name="钱七", phone="13700000003", id_number=id_number(seq="789")),
            description='<script>alert("x")</script><b>工资</b>',
        )
        self.open_with_code(matter)
        page = self.page(matter)
        self.assertContains(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;工资&lt;/b&gt;")
        self.assertNotContains(page, "<script>alert")


class MaterialsTestCase(TrackingTestCase):
    def setUp(self) -> None:
        super().setUp()
        actions.do_request_materials(
            self.matter.pk,
            actor=self.sm_handler,
            missing=["经济困难状况说明", "劳动合同或工资条"],
            note="复印件即可",
            now=MONDAY,
        )
        self.open_with_code(self.matter)

    def supply(self, *files: SimpleUploadedFile, note: str = "") -> Any:
        return self.client.post(
            reverse("track:supply", args=[self.matter.tracking_no]), {"uploads": list(files), "note": note}
        )

    def test_the_person_sees_everything_missing_at_once(self) -> None:
        page = self.page(self.matter)
        self.assertContains(page, "需要补正的材料")
        self.assertContains(page, "<li>经济困难状况说明</li>", html=True)
        self.assertContains(page, "<li>劳动合同或工资条</li>", html=True)
        self.assertContains(page, "复印件即可")
        self.assertContains(page, 'enctype="multipart/form-data"')

    def test_a_bad_file_is_refused_in_chinese_and_nothing_is_kept(self) -> None:
        response = self.supply(
            SimpleUploadedFile("工资条.pdf", PDF_BYTES),
            SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 60),
            note="工资条两张",
        )
        self.assertContains(
            response, "“virus.exe”：只能上传 PDF、JPG、PNG 图片或 Word（.docx）文件。", status_code=400
        )
        self.assertContains(response, "工资条两张", status_code=400)  # what was typed is kept
        self.assertEqual(self.reload(self.matter).status, Matter.Status.AWAITING_MATERIALS)
        self.assertFalse(Attachment.objects.filter(matter=self.matter).exists())

    def test_no_file_is_refused(self) -> None:
        response = self.supply()
        self.assertContains(response, "请选择要上传的补正材料文件。", status_code=400)

    def test_supplying_files_restarts_the_clock(self) -> None:
        response = self.supply(
            SimpleUploadedFile("说明.pdf", PDF_BYTES),
            SimpleUploadedFile("工资条.png", PNG_BYTES),
            note="已补齐",
        )
        self.assertRedirects(
            response, reverse("track:matter", args=[self.matter.tracking_no]), fetch_redirect_response=False
        )
        matter = self.reload(self.matter)
        self.assertEqual(matter.status, Matter.Status.SUBMITTED)
        self.assertEqual(
            sorted(Attachment.objects.filter(matter=matter).values_list("original_name", "content_type")),
            [("工资条.png", "image/png"), ("说明.pdf", "application/pdf")],
        )
        self.assertEqual(self.events(matter)[-3:], ["attach", "attach", "supply_materials"])
        page = self.page(matter)
        self.assertContains(page, "补正材料已提交，办理机构将继续办理。")
        self.assertContains(page, "已补正材料")
        self.assertNotContains(page, "需要补正的材料")
        # Twice is refused: the matter no longer waits for materials.
        response = self.supply(SimpleUploadedFile("again.pdf", PDF_BYTES))
        self.assertContains(response, "该事项当前状态为“已提交”，不能补正材料。", status_code=400)
        self.assertEqual(Attachment.objects.filter(matter=self.matter).count(), 2)


class RatingAndComplaintTestCase(TrackingTestCase):
    def rate(self, level: int, comment: str = "") -> Any:
        return self.client.post(
            reverse("track:rate", args=[self.matter.tracking_no]), {"level": level, "comment": comment}
        )

    def test_rating_before_completion_is_refused(self) -> None:
        self.open_with_code(self.matter)
        self.assertNotContains(self.page(self.matter), "提交评价")
        self.assertContains(self.rate(5), "该事项当前状态为“已提交”，不能评价。", status_code=400)

    def test_a_bad_rating_after_completion_opens_a_callback(self) -> None:
        self.complete(self.matter)
        self.open_with_code(self.matter)
        page = self.page(self.matter)
        self.assertContains(page, "已代为申请劳动仲裁，用人单位已支付拖欠工资。")
        self.assertContains(page, reverse("track:result_pdf", args=[self.matter.tracking_no]))
        for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
            self.assertContains(page, f"{label}</label>")
        self.assertRedirects(
            self.rate(Evaluation.Level.DISSATISFIED, "等了很久"),
            reverse("track:matter", args=[self.matter.tracking_no]),
        )
        evaluation = Evaluation.objects.get(matter=self.matter)
        self.assertEqual(
            (evaluation.level, evaluation.comment, evaluation.recorded_by), (2, "等了很久", None)
        )
        callback = Callback.objects.get(matter=self.matter)
        self.assertEqual((callback.reason, callback.unit), (Callback.Reason.BAD_RATING, self.sm_bureau))
        page = self.page(self.matter)
        self.assertContains(page, "您已评价：不满意。")
        self.assertNotContains(page, "提交评价")
        self.assertContains(self.rate(5), "该事项已经评价过，每个事项只能评价一次。", status_code=400)
        self.assertEqual(Evaluation.objects.filter(matter=self.matter).count(), 1)

    def test_the_owner_rates_as_themselves(self) -> None:
        self.complete(self.matter)
        Matter.objects.filter(pk=self.matter.pk).update(submitted_by=self.citizen)
        self.client.force_login(self.citizen)
        self.assertEqual(self.rate(Evaluation.Level.VERY_SATISFIED).status_code, 302)
        self.assertEqual(self.reload(self.matter).status, Matter.Status.CLOSED)
        self.assertEqual(self.matter.events.get(action="rate").actor, self.citizen)

    def test_a_level_is_required(self) -> None:
        self.complete(self.matter)
        self.open_with_code(self.matter)
        self.assertContains(self.rate(9), "请选择评价等级。", status_code=400)

    def test_a_complaint_goes_to_the_supervising_bureau(self) -> None:
        self.open_with_code(self.matter)
        page = self.page(self.matter)
        key = re.search(r'name="key" value="([0-9a-f]{32})"', page.content.decode())
        assert key
        form = {"description": "工作人员态度<b>恶劣</b>。", "key": key.group(1)}
        url = reverse("track:complain", args=[self.matter.tracking_no])
        response = self.client.post(url, form)
        self.assertRedirects(
            response, reverse("track:matter", args=[self.matter.tracking_no]), fetch_redirect_response=False
        )
        complaint = Complaint.objects.select_related("matter").get(about_matter=self.matter)
        self.assertEqual(
            (complaint.matter.unit, complaint.matter.person_id, complaint.matter.channel),
            (self.sm_bureau, self.matter.person_id, "web"),
        )
        page = self.page(self.matter)
        self.assertContains(page, f"投诉已提交，受理编号 {tracking.display(complaint.matter.tracking_no)}")
        # A double click sends the same form again: still one complaint.
        self.client.post(url, form)
        self.assertEqual(Complaint.objects.filter(about_matter=self.matter).count(), 1)
        # The person can follow the complaint in the same session.
        self.assertContains(self.page(complaint.matter), "工作人员态度&lt;b&gt;恶劣&lt;/b&gt;。")

    def test_an_empty_complaint_is_refused(self) -> None:
        self.open_with_code(self.matter)
        response = self.client.post(
            reverse("track:complain", args=[self.matter.tracking_no]), {"description": " "}
        )
        self.assertContains(response, "请填写投诉内容。", status_code=400)
        self.assertFalse(Complaint.objects.filter(about_matter=self.matter).exists())
