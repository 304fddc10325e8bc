"""The queue at a service point (取号、叫号): numbers by service, priority, posting to a window, calling in priority
order, recall, skip (过号) returning after N, transfer, finish, waiting and service times, and the matter taken in
recording the window and the clerk (岗位责任制)."""

from __future__ import annotations

import base64
import datetime as dt
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.matters.actions import MatterRequest
from fawang.matters.models import Matter
from fawang.matters.tests.base import MatterTestCase, id_number
from fawang.orgs.models import Membership, Unit, Window

from .. import hall
from ..actions import queue as queue_actions
from ..models import MatterDesk, Posting, Service, Ticket, TicketEvent


class QueueTestCase(MatterTestCase):
    """厦港街道 station (windows 1 综合接待岗, 2 法律咨询岗) with sm_clerk and a second clerk."""

    clerk2: User
    w1: Window
    w2: Window

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.clerk2 = User.objects.create_user("xg-clerk2", kind=User.Kind.STAFF, display_name="林二")
        Membership.objects.create(user=cls.clerk2, unit=cls.station, role=Membership.Role.WINDOW_CLERK)
        cls.w1 = Window.objects.get(unit=cls.station, number=1)
        cls.w2 = Window.objects.get(unit=cls.station, number=2)

    def setUp(self) -> None:
        super().setUp()
        self.now = timezone.now().replace(microsecond=0)
        self.tick = 0

    def later(self, minutes: int = 1) -> dt.datetime:
        self.tick += minutes
        return self.now + dt.timedelta(minutes=self.tick)

    def take(
        self, service: str = Service.CONSULTATION, priority: str = "", unit: Unit | None = None
    ) -> Ticket:
        return queue_actions.do_issue_ticket(
            (unit or self.station).pk, service=service, priority=priority, now=self.later()
        )

    def call(self, window: Window | None = None, actor: User | None = None) -> Ticket | None:
        return queue_actions.do_call_next(
            (window or self.w2).pk, actor=actor or self.sm_clerk, now=self.later()
        )


class TakingANumberTestCase(QueueTestCase):
    def test_numbers_run_per_service_with_their_letter(self) -> None:
        codes = [
            self.take(Service.RECEPTION).code,
            self.take(Service.CONSULTATION).code,
            self.take(Service.CONSULTATION, Ticket.Priority.ELDERLY).code,
            self.take(Service.LEGAL_AID).code,
        ]
        self.assertEqual(codes, ["A001", "B001", "B002", "C001"])
        ticket = Ticket.objects.get(unit=self.station, service=Service.CONSULTATION, number=2)
        self.assertEqual(ticket.priority, Ticket.Priority.ELDERLY)
        self.assertEqual(ticket.events.get().action, TicketEvent.Action.ISSUE)
        self.assertGreaterEqual(len(ticket.token), 24)

    def test_a_point_without_windows_or_not_a_point_gives_no_number(self) -> None:
        room = Unit.objects.filter(kind=Unit.Kind.ROOM, parent=self.station).first()
        assert room is not None
        with self.assertRaisesMessage(ValidationError, "该服务点暂未开设窗口，不能取号。"):
            self.take(unit=room)
        with self.assertRaisesMessage(ValidationError, "该服务点不提供现场取号。"):
            self.take(unit=self.sm_bureau)
        with self.assertRaises(ValidationError) as caught:
            queue_actions.do_issue_ticket(self.station.pk, service="x")
        self.assertEqual(caught.exception.message_dict, {"service": ["请选择办理的业务。"]})
        self.assertFalse(Ticket.objects.exists())

    def test_a_clerk_of_another_district_may_not_issue_here(self) -> None:
        with self.assertRaises(PermissionDenied):
            queue_actions.do_issue_ticket(
                self.station.pk, service=Service.RECEPTION, source=Ticket.Source.DESK, actor=self.hl_clerk
            )

    def test_the_kiosk_page_issues_a_priority_number_and_prints_it_with_a_qr_code(self) -> None:
        import zxingcpp
        from PIL import Image

        page = self.client.get(reverse("queue:kiosk", args=[self.station.pk]))
        self.assertContains(page, "60 周岁以上老年人")
        response = self.client.post(
            reverse("queue:kiosk", args=[self.station.pk]),
            {"service": Service.CONSULTATION, "priority": Ticket.Priority.DISABLED},
        )
        ticket = Ticket.objects.get()
        self.assertRedirects(response, reverse("queue:print", args=[ticket.token]))
        self.assertEqual((ticket.code, ticket.priority, ticket.source), ("B001", "disabled", "kiosk"))
        slip = self.client.get(reverse("queue:print", args=[ticket.token]) + "?width=80")
        self.assertContains(slip, "B001")
        self.assertContains(slip, "w80")
        # The QR code leads to the ticket's phone page.
        data = slip.content.decode().split('src="data:image/png;base64,', 1)[1].split('"', 1)[0]
        found = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(data))))
        self.assertEqual(
            [b.text for b in found], ["http://testserver" + reverse("queue:ticket", args=[ticket.token])]
        )

    def test_the_kiosk_of_a_unit_that_is_no_service_point_is_not_found(self) -> None:
        self.assertEqual(self.client.get(reverse("queue:kiosk", args=[self.sm_bureau.pk])).status_code, 404)


class PostingTestCase(QueueTestCase):
    def test_posting_takes_a_window_and_moving_leaves_the_old_one(self) -> None:
        first = queue_actions.do_post(self.w1.pk, actor=self.sm_clerk, now=self.later())
        second = queue_actions.do_post(self.w2.pk, actor=self.sm_clerk, now=self.later())
        first.refresh_from_db()
        self.assertIsNotNone(first.ended_at)
        self.assertEqual(queue_actions.open_posting(self.sm_clerk), second)
        codes = list(
            AuditEvent.objects.filter(unit_id=self.station.pk, target_type="frontdesk.posting")
            .order_by("pk")
            .values_list("action", flat=True)
        )
        self.assertEqual(codes, ["frontdesk.post", "frontdesk.end_posting", "frontdesk.post"])

    def test_a_window_held_by_a_colleague_is_refused(self) -> None:
        queue_actions.do_post(self.w2.pk, actor=self.sm_clerk)
        with self.assertRaisesMessage(ValidationError, "2 号窗口 · 法律咨询岗 已由"):
            queue_actions.do_post(self.w2.pk, actor=self.clerk2)
        self.assertEqual(Posting.objects.open().count(), 1)

    def test_calling_needs_a_posting_at_that_window(self) -> None:
        self.take()
        with self.assertRaisesMessage(ValidationError, "请先在 2 号窗口 · 法律咨询岗 上岗，再叫号。"):
            self.call()
        queue_actions.do_post(self.w1.pk, actor=self.sm_clerk)
        with self.assertRaisesMessage(ValidationError, "请先在 2 号窗口"):
            self.call()

    def test_a_clerk_of_another_district_may_not_post_here(self) -> None:
        with self.assertRaises(PermissionDenied):
            queue_actions.do_post(self.w1.pk, actor=self.hl_clerk)


class CallingTestCase(QueueTestCase):
    def setUp(self) -> None:
        super().setUp()
        queue_actions.do_post(self.w2.pk, actor=self.sm_clerk, now=self.now)

    def test_priority_before_ordinary_then_by_number(self) -> None:
        self.take()  # B001
        self.take()  # B002
        self.take(priority=Ticket.Priority.ELDERLY)  # B003
        self.take(priority=Ticket.Priority.APPOINTMENT)  # B004
        self.take(Service.RECEPTION)  # A001: not this window's service
        called = [self.call() for _i in range(5)]
        self.assertEqual([t.code if t else None for t in called], ["B003", "B004", "B001", "B002", None])
        # Calling the next one finished the one before.
        statuses = Ticket.objects.filter(service=Service.CONSULTATION).values_list("status", flat=True)
        self.assertEqual(set(statuses), {Ticket.Status.DONE})

    def test_a_reception_window_takes_the_other_queues_when_its_own_is_empty(self) -> None:
        queue_actions.do_post(self.w1.pk, actor=self.clerk2)
        self.take(Service.CONSULTATION)
        self.take(Service.RECEPTION)
        self.assertEqual(self.call(self.w1, self.clerk2).code, "A001")  # type: ignore[union-attr]
        self.assertEqual(self.call(self.w1, self.clerk2).code, "B001")  # type: ignore[union-attr]

    @override_settings(FRONTDESK_SKIP_RETURN_AFTER=2)
    def test_a_skipped_number_returns_after_n_calls(self) -> None:
        for _i in range(5):
            self.take()
        first = self.call()
        assert first is not None and first.code == "B001"
        skipped = queue_actions.do_skip(first.pk, actor=self.sm_clerk, now=self.later())
        self.assertEqual((skipped.status, skipped.skips), (Ticket.Status.SKIPPED, 1))
        self.assertIsNone(hall.people_ahead(skipped))
        self.assertEqual(hall.calls_until_back(skipped), 2)
        order = [self.call().code for _i in range(4)]  # type: ignore[union-attr]
        # B001 is back after two more calls (B002, B003) and, the oldest number, comes first again.
        self.assertEqual(order, ["B002", "B003", "B001", "B004"])
        actions = list(first.events.values_list("action", flat=True))
        self.assertEqual(actions, ["issue", "call", "skip", "call", "finish"])

    @override_settings(FRONTDESK_SKIP_RETURN_AFTER=0, FRONTDESK_MAX_SKIPS=2)
    def test_a_number_skipped_too_often_is_void(self) -> None:
        ticket = self.take()
        for _i in range(2):
            self.call()
            queue_actions.do_skip(ticket.pk, actor=self.sm_clerk, now=self.later())
        self.call()
        ticket = queue_actions.do_skip(ticket.pk, actor=self.sm_clerk, now=self.later())
        self.assertEqual(ticket.status, Ticket.Status.MISSED)
        self.assertIsNone(self.call())

    def test_recall_transfer_and_finish(self) -> None:
        queue_actions.do_post(self.w1.pk, actor=self.clerk2)
        self.take()
        self.take()
        ticket = self.call()
        assert ticket is not None
        queue_actions.do_recall(ticket.pk, actor=self.sm_clerk, now=self.later())
        with self.assertRaisesMessage(ValidationError, "请先在 2 号窗口"):
            queue_actions.do_recall(ticket.pk, actor=self.clerk2)
        moved = queue_actions.do_transfer(
            ticket.pk, actor=self.sm_clerk, window_id=self.w1.pk, now=self.later()
        )
        self.assertEqual((moved.status, moved.window_id), (Ticket.Status.WAITING, self.w1.pk))
        # Window 2 does not take a number sent to window 1; window 1 calls it before its own queue.
        self.take(Service.RECEPTION)
        self.assertEqual(self.call().code, "B002")  # type: ignore[union-attr]
        again = self.call(self.w1, self.clerk2)
        assert again is not None
        self.assertEqual((again.code, again.window_id), ("B001", self.w1.pk))
        done = queue_actions.do_finish(again.pk, actor=self.clerk2, now=self.later())
        self.assertEqual(done.status, Ticket.Status.DONE)
        actions = list(done.events.values_list("action", flat=True))
        self.assertEqual(actions, ["issue", "call", "recall", "transfer", "call", "finish"])

    def test_waiting_and_service_times_are_kept(self) -> None:
        ticket = queue_actions.do_issue_ticket(self.station.pk, service=Service.CONSULTATION, now=self.now)
        queue_actions.do_call_next(self.w2.pk, actor=self.sm_clerk, now=self.now + dt.timedelta(minutes=7))
        queue_actions.do_finish(ticket.pk, actor=self.sm_clerk, now=self.now + dt.timedelta(minutes=19))
        ticket.refresh_from_db()
        self.assertEqual((ticket.wait_seconds, ticket.service_seconds), (420, 720))

    def test_people_ahead_counts_those_called_before(self) -> None:
        a = self.take()
        b = self.take()
        p = self.take(priority=Ticket.Priority.PREGNANT)
        c = self.take()
        self.assertEqual([hall.people_ahead(t) for t in (a, b, p, c)], [1, 2, 0, 3])
        self.call()  # the pregnant woman first
        a.refresh_from_db()
        self.assertEqual(hall.people_ahead(a), 0)


class TakingInTestCase(QueueTestCase):
    def request(self) -> MatterRequest:
        return MatterRequest(
            service_item=self.consultation, description="邻里纠纷咨询。", region=self.region("350203001")
        )

    def test_the_matter_records_the_window_and_the_clerk(self) -> None:
        queue_actions.do_post(self.w2.pk, actor=self.sm_clerk)
        ticket = self.take()
        with self.assertRaisesMessage(ValidationError, "请先叫号"):
            queue_actions.do_take_in_ticket(
                ticket.pk, actor=self.sm_clerk, person=self.person(), request=self.request()
            )
        self.call()
        matter = queue_actions.do_take_in_ticket(
            ticket.pk, actor=self.sm_clerk, person=self.person(), request=self.request()
        )
        desk = MatterDesk.objects.get(matter=matter)
        self.assertEqual(
            (desk.window, desk.clerk, desk.unit, desk.ticket), (self.w2, self.sm_clerk, self.station, ticket)
        )
        self.assertEqual((matter.channel, matter.intake_unit_id), ("window", self.station.pk))
        ticket.refresh_from_db()
        self.assertEqual((ticket.status, ticket.matter), (Ticket.Status.DONE, matter))
        # A resent form gives the same matter.
        again = queue_actions.do_take_in_ticket(
            ticket.pk, actor=self.sm_clerk, person=self.person(), request=self.request()
        )
        self.assertEqual(again, matter)
        self.assertEqual(MatterDesk.objects.filter(ticket=ticket).count(), 1)
        self.assertEqual(Matter.objects.filter(person__name="张三", intake_unit=self.station).count(), 1)

    def test_the_console_flow_and_the_matter_page_show_the_window(self) -> None:
        self.client.force_login(self.sm_clerk)
        url = reverse("frontdesk:queue") + f"?unit={self.station.pk}"
        self.assertEqual(
            self.client.post(reverse("frontdesk:post_window", args=[self.w2.pk])).status_code, 302
        )
        self.take(priority=Ticket.Priority.ELDERLY)
        response = self.client.post(reverse("frontdesk:call_next", args=[self.w2.pk]), follow=True)
        self.assertContains(response, "已叫 B001 号。")
        ticket = Ticket.objects.get()
        self.assertContains(self.client.get(url), reverse("frontdesk:ticket_intake", args=[ticket.pk]))
        form = self.client.get(reverse("frontdesk:ticket_intake", args=[ticket.pk]))
        key = form.context["form"]["idempotency_key"].value()
        response = self.client.post(
            reverse("frontdesk:ticket_intake", args=[ticket.pk]),
            {
                "idempotency_key": key,
                "channel": "window",
                "name": "陈阿婆",
                "phone": "13912345678",
                "id_number": id_number(born="19500101", seq="234"),
                "region": "350203001",
                "req-service_item": self.consultation.pk,
                "req-description": "赡养费怎么要？",
            },
        )
        matter = Matter.objects.get(person__name="陈阿婆")
        self.assertRedirects(
            response, reverse("matters:detail", args=[matter.pk]), fetch_redirect_response=False
        )
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "窗口受理（岗位责任制）")
        self.assertContains(page, "2 号窗口 · 法律咨询岗")
        self.assertContains(page, "B001")

    def test_a_clerk_elsewhere_gets_404_for_the_tickets_and_windows_here(self) -> None:
        ticket = self.take()
        self.client.force_login(self.hl_clerk)
        for name in ("ticket_recall", "ticket_skip", "ticket_finish"):
            self.assertEqual(
                self.client.post(reverse(f"frontdesk:{name}", args=[ticket.pk])).status_code, 404
            )
        self.assertEqual(
            self.client.post(reverse("frontdesk:post_window", args=[self.w1.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("frontdesk:ticket_intake", args=[ticket.pk])).status_code, 404
        )


class PublicPagesTestCase(QueueTestCase):
    def test_the_phone_page_shows_people_ahead_and_then_the_window(self) -> None:
        self.take()
        mine = self.take()
        page = self.client.get(reverse("queue:ticket", args=[mine.token]))
        self.assertContains(page, "您前面还有 1 人。")
        queue_actions.do_post(self.w2.pk, actor=self.sm_clerk)
        self.call()
        status = self.client.get(reverse("queue:ticket_status", args=[mine.token]))
        self.assertContains(status, "您前面还有 0 人。")
        self.call()
        status = self.client.get(reverse("queue:ticket_status", args=[mine.token]))
        self.assertContains(status, "请到 2 号窗口办理。")
        self.assertEqual(self.client.get(reverse("queue:ticket", args=["nope"])).status_code, 404)

    def test_the_hall_display_needs_a_live_link_or_the_points_staff(self) -> None:
        display = queue_actions.do_add_display(
            self.station.pk, actor=self.sysadmin, name="一楼大厅", notice="今日 17:00 停止取号"
        )
        url = reverse("queue:display", args=[display.token])
        page = self.client.get(url)
        self.assertContains(page, "今日 17:00 停止取号")
        self.assertContains(page, 'hx-trigger="every 1s"')
        self.assertContains(page, "js/hall.js")
        self.assertNotContains(page, "<script>")
        queue_actions.do_post(self.w2.pk, actor=self.sm_clerk)
        self.take()
        self.call()
        board = self.client.get(reverse("queue:board", args=[display.token]))
        self.assertContains(board, "B001")
        self.assertContains(board, 'data-say="请 B001 号到 2 号窗口办理"')
        queue_actions.do_revoke_display(display.pk, actor=self.sysadmin)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(reverse("queue:board", args=[display.token])).status_code, 404)
        # Signed-in staff of the point see it in the console; staff elsewhere get 404, no one signed in goes to sign in.
        staff = reverse("frontdesk:hall_board", args=[self.station.pk])
        self.assertEqual(self.client.get(staff).status_code, 302)
        self.client.force_login(self.sm_clerk)
        self.assertContains(self.client.get(staff), "B001")
        self.client.force_login(self.hl_clerk)
        self.assertEqual(self.client.get(staff).status_code, 404)

    def test_only_the_points_admins_make_display_links(self) -> None:
        with self.assertRaises(PermissionDenied):
            queue_actions.do_add_display(self.station.pk, actor=self.sm_clerk, name="大厅")
        with self.assertRaisesMessage(ValidationError, "只有公共法律服务中心、工作站和工作室设置叫号大屏。"):
            queue_actions.do_add_display(self.sm_bureau.pk, actor=self.sysadmin, name="大厅")
