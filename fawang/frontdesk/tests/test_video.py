"""音频视频咨询: a schedule in 视频咨询 mode books video consultations; the person (我的预约, the API) and the
consultant (the desk's day page, the appointment page) get links to the same unguessable Jitsi Meet room, on the
configured server, signed when the server wants tokens. No meeting server is called."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from fawang.notify.models import Message

from .. import actions, video
from ..models import Schedule, Slot
from .base import FRIDAY, FrontdeskTestCase

LINK = re.compile(r'href="(https://[^"]+/fawang[0-9a-f]{40}[^"]*)"')


def links(html: str) -> set[str]:
    return {link.replace("&amp;", "&") for link in LINK.findall(html)}


class VideoConsultationTestCase(FrontdeskTestCase):
    def video_slot(self) -> Slot:
        schedule = self.schedule(name="视频法律咨询", mode=Schedule.Mode.VIDEO, capacity=2)
        return self.slots_of(schedule)[-1]  # days ahead: still open to cancel

    def test_both_sides_see_the_same_unguessable_room(self) -> None:
        slot = self.video_slot()
        first = self.book(slot)
        second = self.book(slot, self.bob)
        self.assertRegex(first.meeting_room, r"^fawang[0-9a-f]{40}$")
        self.assertNotEqual(first.meeting_room, second.meeting_room)
        room = f"https://meet.jit.si/{first.meeting_room}"
        self.client.force_login(self.alice)
        mine = self.client.get(reverse("appoint:detail", args=[first.pk]))
        self.assertContains(mine, "进入视频咨询")
        self.assertEqual(links(mine.content.decode()), {room})
        api = self.client.get(reverse("api:me_appointment", args=[first.pk])).json()
        self.assertEqual(api["meeting_url"], room)
        self.client.force_login(self.sm_clerk)
        day = self.client.get(
            reverse("frontdesk:day"), {"unit": str(self.point.pk), "date": f"{slot.date:%Y-%m-%d}"}
        )
        self.assertEqual(
            links(day.content.decode()),
            {room, f"https://meet.jit.si/{second.meeting_room}"},
        )
        page = self.client.get(reverse("frontdesk:appointment", args=[first.pk]))
        self.assertEqual(links(page.content.decode()), {room})
        # The SMS says where the link is, not the link (whoever read the SMS could join).
        text = Message.objects.filter(user=self.alice).order_by("-pk").values_list("body", flat=True).first()
        self.assertIn("视频咨询", text or "")
        self.assertNotIn(first.meeting_room, text or "")

    def test_an_onsite_booking_has_no_link_and_a_cancelled_one_loses_it(self) -> None:
        onsite = self.book(self.slots_of(self.schedule())[0])
        self.assertEqual(onsite.meeting_room, "")
        booked = self.book(self.video_slot(), self.bob)
        actions.do_cancel(booked.pk, actor=self.bob, now=FRIDAY)
        self.client.force_login(self.bob)
        page = self.client.get(reverse("appoint:detail", args=[booked.pk]))
        self.assertNotContains(page, "进入视频咨询")
        self.assertEqual(links(page.content.decode()), set())

    def test_the_consultation_goes_on_a_matter_with_its_answer(self) -> None:
        import datetime as dt

        from fawang.matters.actions import MatterRequest, PersonData
        from fawang.matters.tests.base import id_number
        from fawang.regions.models import Region

        slot = self.video_slot()
        booked = self.book(slot)
        actions.do_check_in(booked.pk, actor=self.sm_clerk, now=slot.starts_at)
        matter = actions.do_take_in(
            booked.pk,
            actor=self.sm_clerk,
            person=PersonData(name="林晓燕", phone="13912345678", id_number=id_number(seq="456")),
            request=MatterRequest(
                service_item=self.consult_item,
                description="视频咨询：劳动合同到期不续签的补偿。",
                region=Region.objects.get(code=self.point.region_id),
                answer="依劳动合同法第四十六条，用人单位不续签的应支付经济补偿。",
            ),
            now=slot.starts_at + dt.timedelta(minutes=20),
        )
        self.assertEqual((matter.channel, matter.status), ("window", "completed"))
        self.assertEqual(matter.description, "视频咨询：劳动合同到期不续签的补偿。")
        self.assertIn("第四十六条", matter.result)
        booked.refresh_from_db()
        self.assertEqual((booked.status, booked.matter), ("taken_in", matter))

    @override_settings(
        FRONTDESK_JITSI_URL="https://meet.sft.example.gov.cn/", FRONTDESK_JITSI_JWT_SECRET="s3cret"
    )
    def test_a_self_hosted_server_with_tokens_gets_signed_links(self) -> None:
        room = video.new_room_name()
        guest = video.meeting_url(room, name="林晓燕")
        host = video.meeting_url(room, name="法律顾问", moderator=True)
        for link, moderator in ((guest, False), (host, True)):
            base, token = link.split("?jwt=")
            self.assertEqual(base, f"https://meet.sft.example.gov.cn/{room}")
            header, payload, signature = token.split(".")
            expected = hmac.new(b"s3cret", f"{header}.{payload}".encode(), hashlib.sha256).digest()
            self.assertEqual(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)), expected)
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            self.assertEqual((claims["room"], claims["moderator"]), (room, moderator))
            self.assertEqual(claims["sub"], "meet.sft.example.gov.cn")

    def test_remote_visits_are_not_video_consultations(self) -> None:
        with self.assertRaisesMessage(ValidationError, "监所远程探视不能设为视频咨询排班。"):
            self.schedule(
                self.unit("siming.centre"),
                name="探视",
                items=[self.visit_item],
                mode=Schedule.Mode.VIDEO,
            )


class WalkInVideoTestCase(FrontdeskTestCase):
    """A village room's terminal starts a video consultation for a walk-in: a 法律咨询 number with its own room; the
    person joins from the terminal or the ticket's phone page, the room's advisor from the queue page on calling it."""

    def test_a_room_terminal_starts_a_video_consultation(self) -> None:
        from fawang.accounts.models import User
        from fawang.orgs.models import Membership, Unit, Window

        from ..actions import queue as queue_actions
        from ..models import Ticket

        room = Unit.objects.filter(kind=Unit.Kind.ROOM, parent=self.station).order_by("pk")[0]
        window = Window.objects.create(unit=room, kind=Window.Kind.CONSULTATION, number=1)
        advisor = User.objects.create_user("room-advisor", kind=User.Kind.STAFF, display_name="驻村律师")
        Membership.objects.create(user=advisor, unit=room, role=Membership.Role.LEGAL_ADVISOR)
        kiosk = reverse("queue:kiosk", args=[room.pk])
        self.assertContains(self.client.get(kiosk), "视频咨询")
        response = self.client.post(kiosk, {"video": "1"})
        ticket = Ticket.objects.get()
        self.assertRedirects(response, reverse("queue:print", args=[ticket.token]))
        self.assertEqual((ticket.service, ticket.code), ("consultation", "B001"))
        self.assertRegex(ticket.meeting_room, r"^fawang[0-9a-f]{40}$")
        room_link = f"https://meet.jit.si/{ticket.meeting_room}"
        self.assertEqual(
            links(self.client.get(reverse("queue:print", args=[ticket.token])).content.decode()), {room_link}
        )
        self.assertEqual(
            links(self.client.get(reverse("queue:ticket", args=[ticket.token])).content.decode()), {room_link}
        )
        queue_actions.do_post(window.pk, actor=advisor)
        self.assertEqual(queue_actions.do_call_next(window.pk, actor=advisor), ticket)
        self.client.force_login(advisor)
        page = self.client.get(reverse("frontdesk:queue"), {"unit": str(room.pk)})
        self.assertEqual(links(page.content.decode()), {room_link})
        # A centre's kiosk has no such button, and asking anyway gives an ordinary number.
        self.assertNotContains(self.client.get(reverse("queue:kiosk", args=[self.station.pk])), "视频连线")
