"""公示牌 of a village room: a PDF in Chinese (CJK font embedded) with the advisor, hours, functions, a contact that
is the room's or 12348 (never the advisor's own number), and a QR code that decodes to the room's public page;
a town's boards in one PDF; on that page the 便民箱 takes a suggestion that comes back answered."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path

from django.urls import reverse

from fawang.advisors import actions as advisor_actions
from fawang.advisors.models import ServiceDay
from fawang.advisors.tests.test_board import png_bytes
from fawang.matters.tests.base import MatterTestCase
from fawang.matters.tests.test_pdf import pdf_fonts, pdf_text
from fawang.orgs.models import AdvisorAssignment, Unit

from ..actions import suggestions as actions
from ..models import Suggestion


def qr_texts(data: bytes) -> list[str]:
    """Every QR code on every page, rasterised by poppler's pdftoppm and read by zxing-cpp."""
    import zxingcpp
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "board.pdf"
        source.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "110", "-png", str(source), str(Path(folder) / "page")], check=True)
        found = []
        for page in sorted(Path(folder).glob("page*.png")):
            found += [code.text for code in zxingcpp.read_barcodes(Image.open(page))]
        return found


def pdf_images(data: bytes) -> list[tuple[int, int]]:
    """(width, height) in pixels of every raster image in the PDF (poppler's pdfimages; the QR code is vector)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "board.pdf"
        source.write_bytes(data)
        listing = subprocess.run(
            ["pdfimages", "-list", str(source)], check=True, capture_output=True, text=True
        ).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    return [(int(row[3]), int(row[4])) for row in rows if row[2] == "image"]


class BoardTestCase(MatterTestCase):
    room: Unit
    assignment: AdvisorAssignment

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.room = Unit.objects.filter(kind=Unit.Kind.ROOM, parent=cls.station).order_by("pk")[0]
        found = AdvisorAssignment.objects.current().filter(region_id=cls.room.region_id).first()
        assert found is not None, "the demo gives every village an advisor"
        cls.assignment = found
        # The advisor's own mobile is on the platform; the board must not print it.
        cls.assignment.practitioner.phone = "13800138000"
        cls.assignment.practitioner.save(update_fields=["phone"])
        # A free-text note the board no longer prints: the service days come from the advisors' schedule.
        cls.assignment.service_schedule = "每月逢五"
        cls.assignment.save(update_fields=["service_schedule"])
        ServiceDay.objects.filter(assignment=cls.assignment).delete()
        advisor_actions.add_service_day(
            cls.assignment.pk,
            advisor_actions.ServiceDayData(
                kind="fixed", weekday=3, start_time=dt.time(14, 30), end_time=dt.time(17)
            ),
            actor=cls.sm_supervisor,
        )

    def board(self, unit: Unit, size: str = "") -> bytes:
        self.client.force_login(self.sm_clerk)
        response = self.client.get(
            reverse("frontdesk:board_pdf", args=[unit.pk]) + (f"?size={size}" if size else "")
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        return response.content

    def test_the_board_of_a_room_is_chinese_and_its_qr_code_opens_the_room_page(self) -> None:
        data = self.board(self.room)
        text = "".join(pdf_text(data).split())
        advisor = self.assignment.practitioner
        for expected in (
            "公共法律服务公示牌",
            self.room.name,
            advisor.name,
            "每星期四14:30–17:00",
            "12348",
            "".join(self.room.opening_hours.split()),
        ):
            self.assertIn(expected, text)
        self.assertNotIn("13800138000", text)
        self.assertNotIn("每月逢五", text)
        self.assertEqual(pdf_images(data), [])  # no photo without consent
        self.assertIn("Noto-Sans-CJK-SC", pdf_fonts(data))  # embedded, named with dashes
        room_page = "http://testserver" + reverse("advisors_public:room", args=[self.room.pk])
        self.assertEqual(qr_texts(data), [room_page])

    def test_the_photo_and_the_phone_are_printed_only_with_the_advisors_consent(self) -> None:
        advisor_actions.set_board_profile(
            self.assignment.pk,
            actor=self.sm_supervisor,
            photo=io.BytesIO(png_bytes(size=(600, 800))),  # a camera's portrait, scaled down to fit
            photo_consent=False,
            phone_consent=False,
        )
        data = self.board(self.room)
        self.assertEqual(pdf_images(data), [])  # uploaded, not consented
        self.assertNotIn("13800138000", pdf_text(data))
        advisor_actions.set_board_profile(
            self.assignment.pk, actor=self.sm_supervisor, photo_consent=True, phone_consent=True
        )
        data = self.board(self.room)
        self.assertEqual(pdf_images(data), [(600, 800)])  # the photo, at its own size in pixels
        self.assertEqual(pdf_text(data).count("\f"), 1)  # still one A4 page
        self.assertIn("13800138000", pdf_text(data))
        self.assertEqual(
            qr_texts(data), ["http://testserver" + reverse("advisors_public:room", args=[self.room.pk])]
        )

    def test_a_town_prints_the_boards_of_all_its_rooms_at_a3(self) -> None:
        rooms = list(Unit.objects.filter(kind=Unit.Kind.ROOM, parent=self.station, is_active=True))
        self.assertGreater(len(rooms), 1)
        data = self.board(self.station, "A3")
        pages = pdf_text(data).count("\f")
        self.assertEqual(pages, len(rooms))
        self.assertEqual(
            sorted(qr_texts(data)),
            sorted("http://testserver" + reverse("advisors_public:room", args=[r.pk]) for r in rooms),
        )

    def test_the_board_is_for_the_staff_of_the_unit(self) -> None:
        url = reverse("frontdesk:board_pdf", args=[self.room.pk])
        self.client.force_login(self.hl_clerk)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_suggestion_from_the_room_page_is_answered_and_shown_there(self) -> None:
        page_url = reverse("advisors_public:room", args=[self.room.pk])
        page = self.client.get(page_url)
        self.assertContains(page, "便民箱")
        self.assertContains(page, reverse("suggest:box", args=[self.room.pk]))
        response = self.client.post(
            reverse("suggest:box", args=[self.room.pk]),
            {"body": "希望法律顾问周末也来。", "may_publish": "1", "next": page_url},
        )
        self.assertRedirects(response, page_url)
        made = Suggestion.objects.get()
        self.assertEqual((made.point, made.unit), (self.room, self.station))
        self.assertNotContains(self.client.get(page_url), "希望法律顾问周末也来。")
        actions.do_answer_suggestion(made.pk, actor=self.sm_clerk, answer="已安排每月一次周六驻点。")
        page = self.client.get(page_url)
        self.assertContains(page, "希望法律顾问周末也来。")
        self.assertContains(page, "已安排每月一次周六驻点。")

    def test_the_box_does_not_send_people_to_another_site(self) -> None:
        response = self.client.post(
            reverse("suggest:box", args=[self.room.pk]),
            {"body": "建议。", "next": "https://example.com/"},
        )
        self.assertRedirects(response, reverse("suggest:box", args=[self.room.pk]))
