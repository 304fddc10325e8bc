"""Shared set-up for the calendar tests: aware local datetimes and a cache that each test leaves as found."""

from __future__ import annotations

import datetime

from django.utils import timezone

from fawang.calendar.testing import RestoresCalendarCache
from fawang.test import BaseTestCase


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """An aware Asia/Shanghai datetime."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


class CalendarTestCase(RestoresCalendarCache, BaseTestCase):
    """Tests here change CalendarDay rows inside rolled-back transactions: see fawang/calendar/testing.py."""
