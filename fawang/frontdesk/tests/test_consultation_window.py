"""Issue 14, item 17: a booked consultation goes to the point's 法律咨询岗, not to 1号窗口 综合接待岗.

The demo's district centres and the 厦港街道 station take consultation bookings at their 法律咨询岗 window; the
other walk-in items stay at the reception window. Where an admin lets several windows take the same item, the
window of the item's own post is offered first at each time."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from fawang.orgs.models import Window

from .. import booking
from ..demo import load_frontdesk_demo
from ..models import Schedule, Slot
from .base import FrontdeskTestCase, next_workdays


def window_kinds(slots: list[Slot]) -> set[str | None]:
    """The posts of the slots held at the point (video consultations, 视频咨询, have no window)."""
    return {
        s.schedule.window.kind if s.schedule.window else None
        for s in slots
        if s.schedule.mode == Schedule.Mode.ONSITE
    }


class ConsultationWindowTestCase(FrontdeskTestCase):
    def test_the_demo_centres_book_consultations_at_the_consultation_window(self) -> None:
        now = timezone.now()
        for key in (
            "siming.centre",
            "huli.centre",
            "xianyou.centre",
            "siming.xiagang.station",
        ):
            with self.subTest(point=key):
                point = self.unit(key)
                slots = booking.open_slots(point, self.consult_item, now)
                self.assertTrue(slots)
                self.assertEqual(window_kinds(slots), {Window.Kind.CONSULTATION})
                mediation = booking.open_slots(point, self.mediation, now)
                self.assertEqual(window_kinds(mediation), {Window.Kind.RECEPTION})

    def test_the_demo_district_centre_also_books_video_consultations(self) -> None:
        slots = booking.open_slots(self.unit("siming.centre"), self.consult_item, timezone.now())
        video = [s for s in slots if s.schedule.mode == Schedule.Mode.VIDEO]
        self.assertTrue(video)
        self.assertEqual({s.schedule.name for s in video}, {"视频法律咨询"})

    def test_the_booking_page_sends_a_consultation_to_the_consultation_post(self) -> None:
        centre = self.unit("siming.centre")
        day = booking.open_days(centre, self.consult_item, timezone.now())[0].date
        self.client.force_login(self.alice)
        page = self.client.get(
            reverse("appoint:book", args=[centre.pk]),
            {"item": str(self.consult_item.pk), "date": f"{day:%Y-%m-%d}"},
        )
        self.assertContains(page, "号窗口 · 法律咨询岗")
        self.assertNotContains(page, "综合接待岗")
        appointment = self.book(
            booking.open_slots(centre, self.consult_item, timezone.now())[0], now=timezone.now()
        )
        self.assertEqual(window_kinds([appointment.slot]), {Window.Kind.CONSULTATION})

    def test_an_older_demo_moves_consultations_off_the_reception_window(self) -> None:
        centre = self.unit("huli.centre")
        # As an older demo left it: no 法律咨询窗口, consultations at the reception window.
        Slot.objects.filter(schedule__unit=centre, schedule__name="法律咨询窗口").delete()
        Schedule.objects.filter(unit=centre, name="法律咨询窗口").delete()
        reception = Schedule.objects.get(unit=centre, name="综合窗口")
        reception.service_items.add(self.consult_item)
        load_frontdesk_demo()
        self.assertNotIn("consultation", reception.service_items.values_list("code", flat=True))
        self.assertIn("mediation", reception.service_items.values_list("code", flat=True))
        slots = booking.open_slots(centre, self.consult_item, timezone.now())
        self.assertEqual(window_kinds(slots), {Window.Kind.CONSULTATION})

    def test_the_items_own_window_comes_first_where_two_windows_take_it(self) -> None:
        today = timezone.localdate()
        windows = {w.kind: w for w in self.point.windows.all()}
        self.schedule(name="综合窗口", window=windows[Window.Kind.RECEPTION], today=today, days_ahead=10)
        self.schedule(
            name="法律咨询窗口", window=windows[Window.Kind.CONSULTATION], today=today, days_ahead=10
        )
        day = next_workdays(1)[0]
        slots = booking.open_slots(self.point, self.consult_item, timezone.now(), day=day)
        self.assertEqual(len(slots), 6)  # three times, two windows
        self.assertEqual(
            [s.schedule.window.kind if s.schedule.window else None for s in slots],
            [Window.Kind.CONSULTATION, Window.Kind.RECEPTION] * 3,
        )
