"""自助终端: booking by touch with the QR code to the phone's booking page, tracking by ID card number + tracking
number (logged, rate-limited, one answer for "none" and "not yours"), and the QR hand-off of an upload to the
person's phone: short-lived, single-use, the portal's checks, and the terminal shown what arrived."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from fawang.audit.models import AuditEvent
from fawang.matters import actions as matter_actions
from fawang.matters.models import Attachment, Matter, MatterEvent
from fawang.matters.tests.base import MONDAY, MatterTestCase, id_number

from ..actions import kiosk as ka
from ..models import KioskLookup, UploadHandoff
from .base import FrontdeskTestCase, next_workdays

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ID = id_number(seq="321")


class KioskTestCase(MatterTestCase):
    ip = "203.0.113.9"

    def setUp(self) -> None:
        super().setUp()
        self.matter = self.submit(person=self.person(name="林阿婆", id_number=ID))
        self.track_url = reverse("queue:kiosk_track", args=[self.station.pk])

    def lookup(self, id_no: str = ID, number: str | None = None) -> Any:
        return self.client.post(
            self.track_url,
            {"id_number": id_no, "tracking_no": self.matter.tracking_no if number is None else number},
            REMOTE_ADDR=self.ip,
        )

    def handoff(self) -> UploadHandoff:
        return UploadHandoff.objects.get(matter=self.matter)

    def upload(self, token: str, *files: SimpleUploadedFile, note: str = "") -> Any:
        return self.client.post(reverse("queue:upload", args=[token]), {"uploads": list(files), "note": note})


class TrackTestCase(KioskTestCase):
    def test_the_right_id_number_shows_the_timeline_and_logs_the_look_up(self) -> None:
        response = self.lookup(id_no=ID.lower())
        self.assertContains(response, self.matter.get_status_display())
        self.assertContains(response, self.matter.service_item.name)
        self.assertNotContains(response, "林阿婆")  # no name, no ID number on the shared screen
        self.assertNotContains(response, ID)
        self.assertEqual(response["Cache-Control"].count("no-store"), 1)
        (row,) = KioskLookup.objects.all()
        self.assertEqual((row.matter, row.unit, row.ip), (self.matter, self.station, self.ip))
        self.assertTrue(
            AuditEvent.objects.filter(action="frontdesk.kiosk_lookup", target_id=str(row.pk)).exists()
        )
        # Nothing is kept in the session: the next visitor at the terminal reaches nothing.
        self.assertNotIn("track_grants", self.client.session)
        self.assertEqual(
            self.client.get(reverse("track:matter", args=[self.matter.tracking_no])).status_code, 404
        )

    def test_someone_elses_id_number_gets_the_same_answer_as_a_missing_matter(self) -> None:
        other = self.lookup(id_no=id_number(seq="654"))
        self.assertContains(other, "未查到该事项：请核对身份证号码和受理编号。", status_code=404)
        self.assertNotContains(other, self.matter.service_item.name, status_code=404)
        self.assertEqual(KioskLookup.objects.filter(matter__isnull=True).count(), 1)
        self.assertFalse(UploadHandoff.objects.exists())

    def test_malformed_input_is_said_in_chinese_and_the_id_number_is_not_echoed(self) -> None:
        response = self.lookup(id_no="35020319800501123X", number="abc")
        self.assertContains(response, "受理编号格式不正确", status_code=400)
        self.assertNotContains(response, "35020319800501123X", status_code=400)
        self.assertFalse(KioskLookup.objects.exists())  # refused before anything is written

    @override_settings(FRONTDESK_KIOSK_LOOKUPS_PER_HOUR=3)
    def test_failed_look_ups_are_rate_limited_by_address(self) -> None:
        for _ in range(3):
            self.assertEqual(self.lookup(id_no=id_number(seq="654")).status_code, 404)
        response = self.lookup()
        self.assertContains(response, "本终端查询未果次数过多", status_code=429)
        self.assertEqual(KioskLookup.objects.count(), 3)


class HandoffTestCase(KioskTestCase):
    def setUp(self) -> None:
        super().setUp()
        matter_actions.do_request_materials(
            self.matter.pk, actor=self.sm_handler, missing=["劳动合同或工资条"], note="", now=MONDAY
        )

    def test_the_phone_uploads_once_and_the_terminal_sees_it_arrive(self) -> None:
        result = self.lookup()
        handoff = self.handoff()
        self.assertGreaterEqual(len(handoff.token), 40)
        self.assertContains(result, reverse("queue:upload", args=[handoff.token]))
        self.assertTrue(AuditEvent.objects.filter(action="frontdesk.open_handoff").exists())
        status_url = reverse("queue:handoff_status", args=[handoff.token])
        self.assertContains(self.client.get(status_url), "等待手机上传")

        phone = self.client_class()
        page = phone.get(reverse("queue:upload", args=[handoff.token]))
        self.assertContains(page, 'enctype="multipart/form-data"')
        self.assertNotContains(page, "林阿婆")
        response = phone.post(
            reverse("queue:upload", args=[handoff.token]),
            {"uploads": [SimpleUploadedFile("工资条.pdf", PDF_BYTES)], "note": "手机拍照"},
        )
        self.assertContains(response, "已上传 1 份材料")
        matter = Matter.objects.get(pk=self.matter.pk)
        self.assertNotEqual(matter.status, Matter.Status.AWAITING_MATERIALS)  # supplied: the clock runs again
        self.assertEqual(Attachment.objects.filter(matter=matter).count(), 1)
        self.assertTrue(MatterEvent.objects.filter(matter=matter, action="attach").exists())
        self.assertTrue(AuditEvent.objects.filter(action="frontdesk.handoff_upload").exists())
        self.assertContains(self.client.get(status_url), "已收到 1 份材料")

        # Single use: the same link takes nothing more.
        again = phone.post(
            reverse("queue:upload", args=[handoff.token]),
            {"uploads": [SimpleUploadedFile("b.pdf", PDF_BYTES)]},
        )
        self.assertContains(again, "二维码已失效", status_code=400)
        self.assertEqual(Attachment.objects.filter(matter=matter).count(), 1)

    def test_a_bad_file_is_refused_in_chinese_and_the_link_stays_usable(self) -> None:
        self.lookup()
        token = self.handoff().token
        response = self.upload(token, SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 60))
        self.assertContains(
            response, "“virus.exe”：只能上传 PDF、JPG、PNG 图片或 Word（.docx）文件。", status_code=400
        )
        self.assertFalse(Attachment.objects.exists())
        self.assertIsNone(self.handoff().used_at)
        self.assertContains(self.upload(token, SimpleUploadedFile("a.pdf", PDF_BYTES)), "已上传 1 份材料")

    def test_an_expired_link_takes_nothing(self) -> None:
        self.lookup()
        handoff = self.handoff()
        UploadHandoff.objects.filter(pk=handoff.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )
        self.assertContains(self.client.get(reverse("queue:upload", args=[handoff.token])), "二维码已失效")
        response = self.upload(handoff.token, SimpleUploadedFile("a.pdf", PDF_BYTES))
        self.assertContains(response, "二维码已失效", status_code=400)
        self.assertFalse(Attachment.objects.exists())
        self.assertContains(self.client.get(reverse("queue:handoff_status", args=[handoff.token])), "已过期")

    def test_an_unknown_token_is_404(self) -> None:
        self.assertEqual(self.client.get(reverse("queue:upload", args=["nope"])).status_code, 404)
        self.assertEqual(self.client.get(reverse("queue:handoff_status", args=["nope"])).status_code, 404)

    def test_a_running_matter_takes_an_attachment_without_changing_status(self) -> None:
        other = self.submit(person=self.person(name="林阿婆", id_number=ID))
        handoff = ka.do_open_handoff(other.pk, unit_id=self.station.pk)
        self.upload(handoff.token, SimpleUploadedFile("a.pdf", PDF_BYTES))
        self.assertEqual(Matter.objects.get(pk=other.pk).status, other.status)
        self.assertEqual(Attachment.objects.filter(matter=other).count(), 1)


class BookTestCase(FrontdeskTestCase):
    def test_item_then_day_by_touch_then_the_qr_code_of_the_portals_booking_page(self) -> None:
        self.schedule(today=timezone.localdate(), days_ahead=10, capacity=2)
        day = next_workdays(1)[0]
        url = reverse("queue:kiosk_book", args=[self.point.pk])
        page = self.client.get(url)
        self.assertContains(page, f'href="?item={self.consult_item.pk}"')
        page = self.client.get(url, {"item": self.consult_item.pk})
        self.assertContains(page, f"date={day:%Y-%m-%d}")
        self.assertContains(page, "余 ")
        page = self.client.get(url, {"item": str(self.consult_item.pk), "date": f"{day:%Y-%m-%d}"})
        self.assertContains(page, 'data-testid="kiosk-book-qr"')
        target = (
            reverse("appoint:book", args=[self.point.pk])
            + f"?item={self.consult_item.pk}&date={day:%Y-%m-%d}"
        )
        self.assertEqual(page.context["qr_target"], "http://testserver" + target)
        # The portal's page behind the code opens on that item and day once the person signs in on the phone.
        self.client.force_login(self.alice)
        booked = self.client.get(target)
        self.assertContains(booked, self.consult_item.name)
        self.assertEqual(booked.context["day"], day)

    def test_a_point_without_bookings_says_so(self) -> None:
        other = self.unit("siming.yundang.station")
        response = self.client.get(reverse("queue:kiosk_book", args=[other.pk]))
        self.assertContains(response, "本服务点暂不接受网上预约")
        self.assertNotContains(response, "kiosk-book-qr")

    def test_the_home_page_links_the_terminal_services(self) -> None:
        page = self.client.get(reverse("queue:kiosk", args=[self.point.pk]))
        self.assertContains(page, reverse("queue:kiosk_book", args=[self.point.pk]))
        self.assertContains(page, reverse("queue:kiosk_track", args=[self.point.pk]))
