"""The reminder job of the 便民箱: a suggestion still open past its limit is reminded once, in-app through the
outbox, to the desk staff of the unit that must answer it (or, with none there, to the unit above); one answered
in time, or already reminded, is left alone; the job runs under the scheduler."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fawang.audit.models import AuditEvent
from fawang.lib import jobs
from fawang.matters.tests.base import MatterTestCase, at
from fawang.notify.models import Message
from fawang.orgs.models import Membership, Unit

from .. import tasks
from ..actions import suggestions as actions
from ..models import Suggestion

MONDAY = at(2025, 9, 15, 10)
MINUTE = dt.timedelta(minutes=1)


class SuggestionReminderTestCase(MatterTestCase):
    room: Unit

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.room = Unit.objects.filter(kind=Unit.Kind.ROOM, parent=cls.station).order_by("pk")[0]

    def suggest(self, body: str = "工作室周三经常没人。") -> Suggestion:
        # Each from its own address: the box limits how often one address may post (fawang.frontdesk.limits).
        self.seq = getattr(self, "seq", 0) + 1
        return actions.do_suggest(self.room.pk, body=body, ip=f"203.0.113.{self.seq}", now=MONDAY)

    def station_desk_staff(self) -> set[int]:
        """Who answers the station's box, read from its memberships here rather than from the code under test."""
        return set(
            Membership.objects.filter(
                unit=self.station,
                is_active=True,
                ended_at__isnull=True,
                role__in=[
                    Membership.Role.WINDOW_CLERK,
                    Membership.Role.LEGAL_ADVISOR,
                    Membership.Role.UNIT_ADMIN,
                ],
                user__is_active=True,
            ).values_list("user_id", flat=True)
        )

    def test_an_overdue_suggestion_is_reminded_to_the_station_once(self) -> None:
        made = self.suggest()
        # 10 working days: Sunday 09-28 is a make-up working day before the National Day holiday.
        self.assertEqual(made.due_at, at(2025, 9, 28, 17, 30))  # the end of that working day
        self.assertEqual(actions.remind_overdue(now=made.due_at - MINUTE), [])  # not yet due
        self.assertFalse(Message.objects.filter(kind="suggestion.overdue").exists())

        self.assertEqual(actions.remind_overdue(now=made.due_at + MINUTE), [made.pk])
        messages = list(Message.objects.filter(kind="suggestion.overdue"))
        staff = self.station_desk_staff()
        self.assertIn(self.sm_clerk.pk, staff)
        self.assertEqual({m.user_id for m in messages}, staff)
        self.assertEqual(len(messages), len(staff))
        self.assertNotIn(self.sysadmin.pk, {m.user_id for m in messages})
        message = messages[0]
        self.assertEqual(message.channel, "inapp")
        self.assertEqual(message.related_id, str(made.pk))
        self.assertIn(self.room.name, message.body)
        self.assertIn("答复期限 2025-09-28 已过", message.body)
        made.refresh_from_db()
        self.assertEqual(made.reminded_at, made.due_at + MINUTE)
        (entry,) = AuditEvent.objects.filter(action="frontdesk.remind_suggestion")
        self.assertEqual(
            (entry.target_id, entry.unit_id, entry.actor_id), (str(made.pk), self.station.pk, None)
        )

        # Later passes (or a second worker) find it claimed: nothing more is sent.
        self.assertEqual(actions.remind_overdue(now=at(2025, 9, 30, 10)), [])
        self.assertEqual(Message.objects.filter(kind="suggestion.overdue").count(), len(staff))
        self.assertEqual(AuditEvent.objects.filter(action="frontdesk.remind_suggestion").count(), 1)

    def test_a_suggestion_answered_in_time_or_claimed_elsewhere_is_not_reminded(self) -> None:
        answered = self.suggest("建议一")
        actions.do_answer_suggestion(answered.pk, actor=self.sm_clerk, answer="已处理。", now=MONDAY)
        claimed = self.suggest("建议二")
        # Another worker's claim between this pass's scan and its UPDATE: the row already carries reminded_at.
        Suggestion.objects.filter(pk=claimed.pk).update(reminded_at=claimed.due_at + MINUTE)
        self.assertEqual(actions.remind_overdue(now=at(2025, 10, 20, 10)), [])
        self.assertFalse(Message.objects.filter(kind="suggestion.overdue").exists())

    def test_with_nobody_at_the_station_the_unit_above_is_told(self) -> None:
        above = self.station.parent
        assert above is not None
        Membership.objects.filter(unit=self.station).update(ended_at=timezone.now() - dt.timedelta(days=1))
        Membership.objects.create(user=self.sm_handler, unit=above, role=Membership.Role.SUPERVISOR)
        made = self.suggest()
        self.assertEqual(actions.remind_overdue(now=made.due_at + MINUTE), [made.pk])
        told = set(Message.objects.filter(kind="suggestion.overdue").values_list("user_id", flat=True))
        above_staff = set(
            Membership.objects.filter(
                unit=above,
                is_active=True,
                ended_at__isnull=True,
                role__in=[
                    Membership.Role.WINDOW_CLERK,
                    Membership.Role.LEGAL_ADVISOR,
                    Membership.Role.UNIT_ADMIN,
                    Membership.Role.SUPERVISOR,
                ],
                user__is_active=True,
            ).values_list("user_id", flat=True)
        )
        self.assertIn(self.sm_handler.pk, told)
        self.assertEqual(told, above_staff)

    def test_the_job_is_registered_with_the_scheduler(self) -> None:
        self.assertIn("fawang.frontdesk.tasks.remind_suggestions_task", jobs.registered())
        made = self.suggest()
        Suggestion.objects.filter(pk=made.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
        tasks.remind_suggestions_task.call()
        made.refresh_from_db()
        self.assertIsNotNone(made.reminded_at)
        self.assertTrue(Message.objects.filter(kind="suggestion.overdue", related_id=str(made.pk)).exists())
