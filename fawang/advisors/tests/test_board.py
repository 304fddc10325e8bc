"""What the village 公示牌 and the room's page show of an advisor: the photo only while the advisor consents, their
own phone only if they opted in, the service days from the schedule; consent kept with who and when, set by the
advisor or the bureau through one audited action."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.orgs.models import Unit

from .. import actions, board
from ..models import BoardProfile
from .base import AdvisorsTestCase


def png_bytes(colour: str = "red", size: tuple[int, int] = (60, 80)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


class BoardProfileTestCase(AdvisorsTestCase):
    room: Unit

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        assert cls.assignment.room is not None
        cls.room = cls.assignment.room
        practitioner = cls.assignment.practitioner
        practitioner.phone = "13900001111"
        practitioner.save(update_fields=["phone"])

    def set(self, actor: User | None = None, **kwargs: Any) -> BoardProfile:
        values: dict[str, Any] = {"photo_consent": False, "phone_consent": False, **kwargs}
        return actions.set_board_profile(self.assignment.pk, actor=actor or self.advisor, **values)

    def photo_url(self) -> str:
        return reverse("advisors_public:photo", args=[self.room.pk])

    def test_an_uploaded_photo_is_shown_only_while_the_advisor_consents(self) -> None:
        page_url = reverse("advisors_public:room", args=[self.room.pk])
        self.set(photo=io.BytesIO(png_bytes()))
        self.assertEqual(self.client.get(self.photo_url()).status_code, 404)
        self.assertNotContains(self.client.get(page_url), self.photo_url())
        card = board.card(self.room)
        assert card is not None
        self.assertEqual(card.photo, "")

        profile = self.set(photo_consent=True)
        self.assertEqual(
            (profile.photo_consent_by, profile.photo_consent_at is not None), (self.advisor, True)
        )
        served = self.client.get(self.photo_url())
        self.assertEqual((served.status_code, served["Content-Type"]), (200, "image/png"))
        self.assertEqual(b"".join(served.streaming_content), png_bytes())  # type: ignore[attr-defined]
        self.assertContains(self.client.get(page_url), f'src="{self.photo_url()}"')
        card = board.card(self.room)
        assert card is not None
        self.assertTrue(card.photo.startswith("data:image/png;base64,"))

        self.set(photo_consent=False)  # withdrawn
        self.assertEqual(self.client.get(self.photo_url()).status_code, 404)
        self.assertNotContains(self.client.get(page_url), self.photo_url())
        self.assertEqual(BoardProfile.objects.get().photo_consent_at, None)

    def test_consent_keeps_who_and_when_and_each_change_is_audited(self) -> None:
        self.set(photo=io.BytesIO(png_bytes()))
        first = self.set(actor=self.sm_supervisor, photo_consent=True)
        stamped = first.photo_consent_at
        again = self.set(photo_consent=True, phone_consent=True)  # the advisor adds the phone
        self.assertEqual((again.photo_consent_at, again.photo_consent_by), (stamped, self.sm_supervisor))
        self.assertEqual(again.phone_consent_by, self.advisor)
        entries = AuditEvent.objects.filter(action="advisors.set_board_profile").order_by("pk")
        self.assertEqual([e.actor for e in entries], [self.advisor, self.sm_supervisor, self.advisor])
        self.assertEqual(list(entries[2].after), ["phone_consent_at"])
        self.assertEqual(entries[0].unit_id, self.room.pk)

    def test_a_replaced_or_removed_photo_leaves_no_file_behind(self) -> None:
        from django.core.files.storage import default_storage

        with self.captureOnCommitCallbacks(execute=True):
            first = str(self.set(photo=io.BytesIO(png_bytes("red"))).photo.name)
        with self.captureOnCommitCallbacks(execute=True):
            second = str(self.set(photo=io.BytesIO(png_bytes("blue"))).photo.name)
        self.assertFalse(default_storage.exists(first))
        self.assertTrue(default_storage.exists(second))
        with self.captureOnCommitCallbacks(execute=True):
            profile = self.set(remove_photo=True)
        self.assertEqual((profile.photo.name, default_storage.exists(second)), ("", False))

    def test_the_phone_is_posted_only_if_the_advisor_opted_in(self) -> None:
        page_url = reverse("advisors_public:room", args=[self.room.pk])
        self.assertNotContains(self.client.get(page_url), "13900001111")
        card = board.card(self.room)
        assert card is not None
        self.assertEqual(card.phone, "")
        self.set(phone_consent=True)
        self.assertContains(self.client.get(page_url), "13900001111")
        card = board.card(self.room)
        assert card is not None
        self.assertEqual(card.phone, "13900001111")

    def test_refusals_are_explained_and_change_nothing(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.set(photo_consent=True)
        self.assertEqual(caught.exception.message_dict, {"photo": ["同意公示照片前，请先上传照片。"]})
        with self.assertRaises(ValidationError) as caught:
            self.set(photo=io.BytesIO(b"%PDF-1.4 not a photo"))
        self.assertEqual(caught.exception.message_dict, {"photo": ["照片只能是 JPG 或 PNG 图片。"]})
        with self.assertRaises(PermissionDenied):
            self.set(actor=self.hl_supervisor, phone_consent=True)
        with self.assertRaises(PermissionDenied):
            self.set(actor=self.sm_clerk, phone_consent=True)  # a clerk is neither the advisor nor the bureau
        self.assertFalse(BoardProfile.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action="advisors.set_board_profile").exists())

    def test_the_console_form_uploads_and_shows_the_consent(self) -> None:
        self.client.force_login(self.sm_supervisor)
        url = reverse("advisors:board_set", args=[self.assignment.pk])
        bad = self.client.post(url, {"photo": SimpleUploadedFile("p.png", b"<svg>no</svg>")})
        self.assertContains(bad, "只能上传 PDF、JPG、PNG 图片或 Word（.docx）文件", status_code=400)
        response = self.client.post(
            url, {"photo": SimpleUploadedFile("p.png", png_bytes()), "photo_consent": "on"}
        )
        self.assertRedirects(response, reverse("advisors:assignment", args=[self.assignment.pk]))
        page = self.client.get(reverse("advisors:assignment", args=[self.assignment.pk]))
        self.assertContains(page, f'src="{self.photo_url()}"')
        self.assertContains(page, f"{self.sm_supervisor}登记")
        self.assertContains(page, "未同意：公示工作室电话或 12348")

    def test_the_room_page_lists_the_service_days_of_the_schedule(self) -> None:
        page = self.client.get(reverse("advisors_public:room", args=[self.room.pk]))
        # The demo's schedule: Wednesday mornings at the room (advisors/demo.py).
        self.assertContains(page, "每星期三 09:00–11:30（村（居）党群服务中心法律服务工作室）")
