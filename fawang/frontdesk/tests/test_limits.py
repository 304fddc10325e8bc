"""The open doors of the front desk are rate-limited by client address (fawang.frontdesk.limits): the kiosk
(loose: a hall terminal takes every number of its hall) and the 便民箱's online form. The refusal is a 429 with a
Chinese message, nothing is saved, and another address is not held up."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from fawang.matters.tests.base import MatterTestCase
from fawang.orgs.models import Unit

from ..actions import suggestions
from ..models import Service, Suggestion, Ticket


class KioskLimitTestCase(MatterTestCase):
    @override_settings(FRONTDESK_KIOSK_TICKETS_PER_HOUR=2, FRONTDESK_KIOSK_INTERVAL_SECONDS=0)
    def test_a_flood_of_numbers_from_one_address_is_stopped(self) -> None:
        url = reverse("queue:kiosk", args=[self.station.pk])
        for _ in range(2):
            self.assertEqual(self.client.post(url, {"service": Service.RECEPTION}).status_code, 302)
        response = self.client.post(url, {"service": Service.RECEPTION})
        self.assertContains(response, "本终端取号次数过多", status_code=429)
        self.assertEqual(Ticket.objects.count(), 2)
        self.assertEqual(set(Ticket.objects.values_list("ip", flat=True)), {"127.0.0.1"})
        other = self.client.post(url, {"service": Service.RECEPTION}, REMOTE_ADDR="203.0.113.9")
        self.assertEqual(other.status_code, 302)

    @override_settings(FRONTDESK_KIOSK_INTERVAL_SECONDS=60)
    def test_an_interval_between_two_numbers_may_be_set(self) -> None:
        url = reverse("queue:kiosk", args=[self.station.pk])
        self.assertEqual(self.client.post(url, {"service": Service.CONSULTATION}).status_code, 302)
        response = self.client.post(url, {"service": Service.CONSULTATION})
        self.assertContains(response, "取号过于频繁，请稍后再试。", status_code=429)

    @override_settings(FRONTDESK_KIOSK_TICKETS_PER_HOUR=1, FRONTDESK_KIOSK_INTERVAL_SECONDS=0)
    def test_numbers_taken_by_the_clerk_are_not_counted(self) -> None:
        from ..actions import queue as queue_actions

        for _ in range(3):
            queue_actions.do_issue_ticket(
                self.station.pk, service=Service.RECEPTION, source=Ticket.Source.DESK, actor=self.sm_clerk
            )
        url = reverse("queue:kiosk", args=[self.station.pk])
        self.assertEqual(self.client.post(url, {"service": Service.RECEPTION}).status_code, 302)


class SuggestionLimitTestCase(MatterTestCase):
    room: Unit

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.room = Unit.objects.filter(kind=Unit.Kind.ROOM, parent=cls.station).order_by("pk")[0]

    def test_a_second_suggestion_at_once_is_refused_and_kept_on_the_form(self) -> None:
        url = reverse("suggest:box", args=[self.room.pk])
        self.assertEqual(self.client.post(url, {"body": "第一条意见。"}).status_code, 302)
        response = self.client.post(url, {"body": "第二条意见。"})
        self.assertContains(response, "提交过于频繁，请稍后再试。", status_code=429)
        self.assertContains(response, "第二条意见。", status_code=429)
        self.assertEqual(Suggestion.objects.count(), 1)

    @override_settings(FRONTDESK_SUGGESTIONS_PER_HOUR=2, FRONTDESK_SUGGESTION_INTERVAL_SECONDS=0)
    def test_an_hourly_cap_per_address_but_paper_slips_are_never_limited(self) -> None:
        url = reverse("suggest:box", args=[self.room.pk])
        for n in range(2):
            self.assertEqual(self.client.post(url, {"body": f"意见{n}"}).status_code, 302)
        self.assertContains(self.client.post(url, {"body": "意见3"}), "提交次数过多", status_code=429)
        for n in range(3):
            suggestions.do_suggest(self.room.pk, body=f"纸质{n}", actor=self.sm_clerk, ip="127.0.0.1")
        self.assertEqual(Suggestion.objects.filter(source="paper", ip__isnull=True).count(), 3)


class KioskPhoneCodesTestCase(MatterTestCase):
    def test_the_kiosk_hands_booking_tracking_and_uploads_to_ones_own_phone(self) -> None:
        import base64
        import io
        import re

        import zxingcpp
        from PIL import Image

        page = self.client.get(reverse("queue:kiosk", args=[self.station.pk])).content.decode()
        found = []
        codes = re.findall(r'src="data:image/png;base64,([^"]+)" alt="[^"]+" data-testid="kiosk-code"', page)
        for data in codes:
            image = Image.open(io.BytesIO(base64.b64decode(data)))
            found += [code.text for code in zxingcpp.read_barcodes(image)]
        self.assertEqual(
            found,
            [
                "http://testserver" + reverse("portal:unit_detail", args=[self.station.pk]),
                "http://testserver" + reverse("track:start"),
                "http://testserver" + reverse("apply:index"),
            ],
        )
