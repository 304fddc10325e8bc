"""月走访 with photos (checked by their content, stored encrypted, shown only to those who see the file, each showing
logged) and 周听声 through the telephone system (a call record, named by its call id, on the week's voice item)."""

from __future__ import annotations

import datetime as dt
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from fawang.apikit.models import ApiToken
from fawang.audit.models import AuditEvent

from .. import actions
from ..models import FileView, ItemKind, SupervisionItem, VisitPhoto
from .base import MONDAY, CorrectionsTestCase, at, id_number

JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="fawang-test-media-"))
class VisitPhotoTest(CorrectionsTestCase):
    def visit(self) -> SupervisionItem:
        subject = self.supervised()
        return subject.items.get(kind=ItemKind.VISIT)

    def test_a_visit_is_recorded_with_its_photos_stored_encrypted(self) -> None:
        item = self.visit()
        client = Client()
        client.force_login(self.officer)
        response = client.post(
            reverse("corrections:item", args=[item.pk]),
            {
                "item-method": "home",
                "item-note": "到家中走访，本人在家，情况稳定。",
                "item-photos": [SimpleUploadedFile("门口.jpg", JPEG), SimpleUploadedFile("客厅.png", PNG)],
            },
        )
        self.assertEqual(response.status_code, 302)
        item.refresh_from_db()
        self.assertEqual((item.status, item.method), (SupervisionItem.Status.DONE, "home"))
        photos = list(item.photos.order_by("pk"))
        self.assertEqual([p.content_type for p in photos], ["image/jpeg", "image/png"])
        # On disk: encrypted (the upload storage's header), never the picture's own bytes; the name is random.
        with open(photos[0].file.path, "rb") as fh:
            raw = fh.read()
        self.assertTrue(raw.startswith(b"FWE1"))
        self.assertNotIn(JPEG[:10], raw)
        self.assertNotIn("门口", photos[0].file.name or "")
        # Shown decrypted to the officer, and the showing is in the file's view log.
        shown = client.get(reverse("corrections:photo", args=[photos[0].pk]))
        self.assertEqual(shown.status_code, 200)
        self.assertEqual(shown["Content-Type"], "image/jpeg")
        self.assertEqual(b"".join(shown), JPEG)
        self.assertIn("no-store", shown["Cache-Control"])
        self.assertTrue(
            FileView.objects.filter(
                subject=item.subject, user=self.officer, what__startswith="走访照片"
            ).exists()
        )
        page = client.get(reverse("corrections:detail", args=[item.subject_id]))
        self.assertContains(page, reverse("corrections:photo", args=[photos[1].pk]))
        event = AuditEvent.objects.get(action="corrections.record_item", target_id=str(item.pk))
        self.assertEqual(len(event.after["photos"]), 2)

    def test_photos_are_checked_by_their_content_and_a_bad_one_saves_nothing(self) -> None:
        item = self.visit()
        with self.assertRaises(ValidationError) as caught:
            actions.do_record_item(
                item.pk,
                method="home",
                note="走访。",
                actor=self.officer,
                photos=[
                    SimpleUploadedFile("a.jpg", JPEG),
                    SimpleUploadedFile("b.jpg", b"%PDF-1.4 not a photo"),
                ],
            )
        self.assertEqual(caught.exception.message_dict["photos"], ["走访照片只能是 JPG 或 PNG 图片。"])
        item.refresh_from_db()
        self.assertEqual(item.status, SupervisionItem.Status.PENDING)
        self.assertFalse(VisitPhoto.objects.exists())
        # A renamed text file is no picture either; the officer's typed record comes back on the page.
        client = Client()
        client.force_login(self.officer)
        response = client.post(
            reverse("corrections:item", args=[item.pk]),
            {
                "item-method": "home",
                "item-note": "走访。",
                "item-photos": SimpleUploadedFile("x.jpg", b"hello"),
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "只能上传 PDF、JPG、PNG 图片或 Word（.docx）文件。", status_code=400)
        # Photos belong to visits only.
        voice = item.subject.items.get(kind=ItemKind.VOICE)
        with self.assertRaises(ValidationError):
            actions.do_record_item(
                voice.pk,
                method="phone",
                note="通话。",
                actor=self.officer,
                photos=[SimpleUploadedFile("a.jpg", JPEG)],
            )

    def test_photos_added_later_and_shown_only_to_those_who_see_the_file(self) -> None:
        item = self.visit()
        actions.do_record_item(item.pk, method="workplace", note="到单位走访。", actor=self.officer)
        [photo] = actions.do_add_visit_photos(
            item.pk, photos=[SimpleUploadedFile("a.png", PNG)], actor=self.officer
        )
        self.assertTrue(AuditEvent.objects.filter(action="corrections.visit_photo").exists())
        with self.assertRaises(PermissionDenied):
            actions.do_add_visit_photos(
                item.pk, photos=[SimpleUploadedFile("a.png", PNG)], actor=self.sm_supervisor
            )
        url = reverse("corrections:photo", args=[photo.pk])
        # The 司法局's supervisor sees the file, so the photo; staff of another district do not (404).
        supervisor = Client()
        supervisor.force_login(self.sm_supervisor)
        self.assertEqual(supervisor.get(url).status_code, 200)
        other = Client()
        other.force_login(self.xy_handler)
        self.assertEqual(other.get(url).status_code, 404)
        # A minor's visit photos: not even the supervisor (第七章).
        type(item.subject).objects.filter(pk=item.subject_id).update(is_minor=True)
        self.assertEqual(supervisor.get(url).status_code, 404)
        officer = Client()
        officer.force_login(self.officer)
        self.assertEqual(officer.get(url).status_code, 200)


class VoiceCallTest(CorrectionsTestCase):
    def test_a_call_through_the_telephone_system_completes_the_weeks_voice_item(self) -> None:
        subject = self.supervised()
        started = at(2025, 3, 5, 10, 15)
        item, created = actions.do_record_call(
            subject.pk,
            call_id="cti-20250305-0042",
            started_at=started,
            seconds=312,
            note="",
            actor=self.officer,
            at=at(2025, 3, 5, 10, 30),
        )
        self.assertTrue(created)
        self.assertEqual((item.kind, item.period_start), (ItemKind.VOICE, dt.date(2025, 3, 3)))
        self.assertEqual((item.status, item.method), (SupervisionItem.Status.DONE, "phone"))
        self.assertEqual(
            (item.call_id, item.call_started_at, item.call_seconds), ("cti-20250305-0042", started, 312)
        )
        self.assertEqual(item.done_at, started + dt.timedelta(seconds=312))  # on time: the call's end
        self.assertEqual(item.note, "经电话系统通话 5 分 12 秒。")
        self.assertTrue(
            AuditEvent.objects.filter(action="corrections.record_call", target_id=str(item.pk)).exists()
        )
        # The same call sent again: the item it completed, nothing new.
        again, created = actions.do_record_call(
            subject.pk,
            call_id="cti-20250305-0042",
            started_at=started,
            seconds=312,
            note="",
            actor=self.officer,
            at=at(2025, 3, 5, 11),
        )
        self.assertEqual((again.pk, created), (item.pk, False))
        # Another call the same week: the week's item is already done.
        with self.assertRaises(ValidationError) as caught:
            actions.do_record_call(
                subject.pk,
                call_id="cti-2",
                started_at=started,
                seconds=60,
                note="",
                actor=self.officer,
                at=at(2025, 3, 5, 11),
            )
        self.assertEqual(caught.exception.messages, ["该通话所在周期没有待完成的周听声事项。"])

    def test_unanswered_or_foreign_calls_are_refused(self) -> None:
        subject = self.supervised()
        other = self.supervised(id_number=id_number(seq="232"), name="林小明")
        with self.assertRaises(ValidationError) as caught:
            actions.do_record_call(
                subject.pk,
                call_id="c-1",
                started_at=MONDAY,
                seconds=0,
                note="",
                actor=self.officer,
                at=at(2025, 3, 3, 10),
            )
        self.assertEqual(caught.exception.message_dict["seconds"], ["未接通的呼叫不能作为听声记录。"])
        actions.do_record_call(
            subject.pk,
            call_id="c-1",
            started_at=MONDAY,
            seconds=90,
            note="",
            actor=self.officer,
            at=at(2025, 3, 3, 10),
        )
        with self.assertRaises(ValidationError) as caught:
            actions.do_record_call(
                other.pk,
                call_id="c-1",
                started_at=MONDAY,
                seconds=90,
                note="",
                actor=self.officer,
                at=at(2025, 3, 3, 10),
            )
        self.assertIn("另一社区矫正对象", caught.exception.messages[0])
        with self.assertRaises(PermissionDenied):
            actions.do_record_call(
                other.pk,
                call_id="c-3",
                started_at=MONDAY,
                seconds=90,
                note="",
                actor=self.sm_supervisor,
                at=at(2025, 3, 3, 10),
            )

    def test_the_telephone_system_posts_the_call_with_the_officers_token(self) -> None:
        subject = self.supervised()
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(self.officer, '电话系统')[1]}")
        started = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)).replace(microsecond=0)
        actions.generate_items(subject)
        body = {
            "subject": subject.pk,
            "call_id": "pbx-778",
            "started_at": started.isoformat(),
            "seconds": 200,
        }
        url = reverse("api:corrections_calls")
        first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
        self.assertEqual(first.status_code, 201, first.content)
        self.assertEqual(first.json()["call_id"], "pbx-778")
        self.assertTrue(first.json()["created"])
        second = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k2")
        self.assertEqual((second.status_code, second.json()["created"]), (200, False))
        self.assertEqual(SupervisionItem.objects.filter(call_id="pbx-778").count(), 1)
        # Another district's staff: the file does not exist for them.
        stranger = APIClient()
        stranger.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(self.xy_handler, '矩阵')[1]}")
        self.assertEqual(stranger.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k3").status_code, 404)


class DeviceFeedTest(CorrectionsTestCase):
    def test_the_monitoring_platform_posts_positions_only_under_an_approval(self) -> None:
        from django.utils import timezone

        from ..models import DeviceLocation, MonitoringApproval

        subject = self.supervised()
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(self.officer, '定位平台')[1]}")
        url = reverse("api:corrections_device_locations")
        moment = timezone.localtime().replace(microsecond=0)
        body = {
            "subject": subject.pk,
            "recorded_at": moment.isoformat(),
            "latitude": "24.448000",
            "longitude": "118.085000",
        }
        refused = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="d1")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("没有有效的电子定位装置使用批准（第二十九条）", refused.content.decode())
        self.assertFalse(DeviceLocation.objects.exists())
        approval = actions.do_approve_monitoring(
            subject.pk,
            ground=MonitoringApproval.Ground.LEFT_AREA,
            facts="未经批准离开厦门市。",
            starts_on=moment.date(),
            ends_on=moment.date() + dt.timedelta(days=30),
            actor=self.bureau_officer,
        )
        accepted = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="d2")
        self.assertEqual(accepted.status_code, 201, accepted.content)
        self.assertEqual(accepted.json()["approval"], approval.pk)
        self.assertEqual(DeviceLocation.objects.get().approval, approval)
