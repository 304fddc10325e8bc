"""Rate limits on the front desk's open doors: the kiosk (自助取号, no sign-in) and the 便民箱's online form.

Counted with the project's limiter (fawang.lib.sendlimits) on the rows each door writes, by the client address
(fawang.lib.http.client_ip, which believes X-Forwarded-For only from TRUSTED_PROXIES). A hall terminal issues
every ticket of its hall from one address, so the kiosk's limits are loose; they stop a script filling a queue
with numbers, not a busy morning. Settings (read at call time):

FRONTDESK_KIOSK_TICKETS_PER_HOUR       tickets one address may take at one point in an hour (200)
FRONTDESK_KIOSK_TICKETS_PER_HOUR_ALL   tickets one address may take at all points in an hour (400)
FRONTDESK_KIOSK_INTERVAL_SECONDS       seconds between two tickets from one address at one point (0: none;
                                       people queue at one terminal one after another)
FRONTDESK_SUGGESTIONS_PER_HOUR         online suggestions one address may leave at one point in an hour (5)
FRONTDESK_SUGGESTIONS_PER_HOUR_ALL     online suggestions one address may leave in all in an hour (20)
FRONTDESK_SUGGESTION_INTERVAL_SECONDS  seconds between two suggestions from one address at one point (30)
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F, Q
from django.utils.translation import gettext as _

from fawang.lib.sendlimits import RateLimited, check_send_limits

from .models import Suggestion, Ticket


def _setting(name: str, default: int, least: int = 1) -> int:
    return max(int(getattr(settings, name, default)), least)


def _again(error: RateLimited, too_soon: str, too_many: str) -> RateLimited:
    return RateLimited(too_soon if error.code == "too_soon" else too_many, code=error.code)


def check_kiosk(unit_id: int, ip: str | None, now: dt.datetime) -> None:
    """Raise RateLimited when the address took too many numbers lately (nothing is counted without one)."""
    if not ip:
        return
    rows = Ticket.objects.filter(source=Ticket.Source.KIOSK).annotate(created_at=F("issued_at"))
    try:
        check_send_limits(
            rows,
            Q(unit_id=unit_id, ip=ip),
            ip,
            now,
            interval=dt.timedelta(seconds=_setting("FRONTDESK_KIOSK_INTERVAL_SECONDS", 0, 0)),
            per_key=_setting("FRONTDESK_KIOSK_TICKETS_PER_HOUR", 200),
            per_ip=_setting("FRONTDESK_KIOSK_TICKETS_PER_HOUR_ALL", 400),
        )
    except RateLimited as error:
        raise _again(
            error, _("取号过于频繁，请稍后再试。"), _("本终端取号次数过多，请到窗口咨询工作人员。")
        ) from None


def check_suggestion(point_id: int, ip: str | None, now: dt.datetime) -> None:
    if not ip:
        return
    rows = Suggestion.objects.filter(source=Suggestion.Source.ONLINE)
    try:
        check_send_limits(
            rows,
            Q(point_id=point_id, ip=ip),
            ip,
            now,
            interval=dt.timedelta(seconds=_setting("FRONTDESK_SUGGESTION_INTERVAL_SECONDS", 30, 0)),
            per_key=_setting("FRONTDESK_SUGGESTIONS_PER_HOUR", 5),
            per_ip=_setting("FRONTDESK_SUGGESTIONS_PER_HOUR_ALL", 20),
        )
    except RateLimited as error:
        raise _again(
            error, _("提交过于频繁，请稍后再试。"), _("提交次数过多，请一小时后再试，或拨打 12348 反映。")
        ) from None
