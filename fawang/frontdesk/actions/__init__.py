"""The only writers of appointment state: schedules (排班), booking, review of remote visits, cancelling,
rescheduling, check-in, no-show, taking an appointment in as a Matter, and the reminders of the day before.

Views, the API and the scheduler call these. Each is one transaction; the Chinese messages of ValidationError
and PermissionDenied are shown as they are. Changes of a schedule, its weekly rules and its exceptions write an
audit row (fawang.audit) in the same transaction; bookings have their own events (AppointmentEvent).

Places: a slot's ``booked`` counter changes only by conditional UPDATE (``booked < capacity`` to take a place),
which both SQLite and PostgreSQL evaluate atomically against the committed row, so two people booking the last
place cannot both win. Row locks are always taken in the same order (the person's account, then the
appointment, then slots by primary key), so concurrent actions wait for each other but never deadlock.

By concern: ``schedules`` (排班), ``booking`` (the person's booking, cancelling, rescheduling), ``desk`` (review,
check-in, no-show, take-in, reminders); ``base`` holds what they share. Import them from here:
``from fawang.frontdesk import actions``.
"""

from __future__ import annotations

from fawang.matters.workflow import InvalidTransition

from .. import slots as slots  # tests patch slots through here
from .base import REMOTE_VISIT_FUNCTION, check_transition
from .booking import BookingPause, BookResult, VisitData, booking_pause, do_book, do_cancel, do_reschedule
from .desk import do_check_in, do_mark_no_show, do_review, do_take_in, is_desk, send_reminders
from .schedules import (
    ScheduleData,
    do_add_exception,
    do_add_rule,
    do_delete_exception,
    do_delete_rule,
    do_save_schedule,
)

__all__ = [
    "REMOTE_VISIT_FUNCTION",
    "BookResult",
    "BookingPause",
    "InvalidTransition",
    "ScheduleData",
    "VisitData",
    "booking_pause",
    "check_transition",
    "do_add_exception",
    "do_add_rule",
    "do_book",
    "do_cancel",
    "do_check_in",
    "do_delete_exception",
    "do_delete_rule",
    "do_mark_no_show",
    "do_reschedule",
    "do_review",
    "do_save_schedule",
    "do_take_in",
    "is_desk",
    "send_reminders",
    "slots",
]
