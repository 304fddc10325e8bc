"""A village room's public page: its advisor's schedule and recent confirmed work, counts only."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from .base import AdvisorsTestCase


class RoomPageTestCase(AdvisorsTestCase):
    def test_the_room_page_shows_schedule_and_anonymised_work(self) -> None:
        room = self.assignment.room
        assert room is not None
        log = self.confirm(self.log(self.today(), consultations=3, summary="张三的宅基地纠纷"))
        pending = self.log(self.today() - dt.timedelta(days=1), consultations=9)
        page = self.client.get(reverse("advisors_public:room", args=[room.pk]))
        self.assertContains(page, self.assignment.practitioner.name)
        self.assertContains(page, "每星期三 09:00–11:30")
        self.assertContains(page, "解答咨询 3 人次")
        self.assertNotContains(page, "张三")  # no summary on the public page
        self.assertNotContains(page, "解答咨询 9 人次")  # not confirmed yet
        self.assertEqual(log.status, "confirmed")
        self.assertEqual(pending.status, "submitted")

    def test_only_rooms_have_such_a_page(self) -> None:
        centre = self.unit("siming.centre")
        self.assertEqual(self.client.get(reverse("advisors_public:room", args=[centre.pk])).status_code, 404)
