"""A period of whole local days as the datetimes a query compares with."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The days ``first`` to ``last`` (both included) as the half-open range from ``first`` 00:00 to 00:00 of the
    day after ``last``, in the current time zone (the site's, Asia/Shanghai): a row is in the period when its time
    is ``>=`` the first and ``<`` the second."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time.min, tzinfo=zone),
        dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )
