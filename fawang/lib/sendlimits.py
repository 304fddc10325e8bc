"""Limits on sending one-time codes, shared by sign-in (fawang.citizens) and public tracking (fawang.matters).

Counted on the rows each sender writes (one per code asked for, with ``created_at`` and ``ip``), so every web
process sees the same counts. The key (a phone number, a tracking number) has a resend interval and an hourly cap;
the client address only an hourly cap, looser and with no interval: behind a service hall's network or a carrier's
NAT, one person's request must not make the next person wait.
"""

from __future__ import annotations

import datetime as dt
import math

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

HOUR = dt.timedelta(hours=1)


class RateLimited(ValidationError):
    """Too many codes asked for; the message says when to try again (the API answers it with a 429)."""


def check_send_limits(
    rows: QuerySet,
    key: Q,
    ip: str | None,
    now: dt.datetime,
    *,
    interval: dt.timedelta,
    per_key: int,
    per_ip: int,
) -> None:
    """Raise RateLimited (code ``too_soon`` or ``too_many``) when one more code for ``key`` from ``ip`` now would
    break a limit. ``rows``: all the sender's rows; ``key`` picks this phone's or number's."""
    recent = rows.filter(created_at__gt=now - HOUR)
    mine = recent.filter(key)
    last = mine.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None and now - last < interval:
        wait = interval - (now - last)
        raise RateLimited(
            _("获取验证码过于频繁，请 %(seconds)s 秒后再试。")
            % {"seconds": max(math.ceil(wait.total_seconds()), 1)},
            code="too_soon",
        )
    if mine.count() >= per_key or (ip and recent.filter(ip=ip).count() >= per_ip):
        raise RateLimited(_("获取验证码次数过多，请一小时后再试。"), code="too_many")
