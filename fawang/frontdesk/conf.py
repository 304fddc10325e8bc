"""Settings of the front desk (appointments), read at call time so tests can override them.

FRONTDESK_MAX_ACTIVE_BOOKINGS   active bookings (待审核 or 已预约, slot not yet over) one person may hold (3)
FRONTDESK_REMINDER_HOUR         from this local hour on the day before, the reminder job sends reminders (9)
FRONTDESK_NO_SHOW_LIMIT         this many no-shows (爽约) within the window pause the person's online booking (3;
                                0 turns the pause off)
FRONTDESK_NO_SHOW_WINDOW_DAYS   the window, in days back from today by the date of the slot missed (90)
"""

from __future__ import annotations

from django.conf import settings


def max_active_bookings() -> int:
    return int(getattr(settings, "FRONTDESK_MAX_ACTIVE_BOOKINGS", 3))


def reminder_hour() -> int:
    return min(max(int(getattr(settings, "FRONTDESK_REMINDER_HOUR", 9)), 0), 23)


def no_show_limit() -> int:
    return max(int(getattr(settings, "FRONTDESK_NO_SHOW_LIMIT", 3)), 0)


def no_show_window_days() -> int:
    return max(int(getattr(settings, "FRONTDESK_NO_SHOW_WINDOW_DAYS", 90)), 1)
