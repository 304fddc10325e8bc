"""Demo appointment schedules (made through the actions, as the system): every district centre takes bookings
at its reception window and its legal-aid window, and, where it offers 监所远程探视, video visits in its remote
visit room; the first street station of 思明区 (where the demo window clerk works) at its reception window.

Runs any number of times: a schedule that exists (same point, same name) is left as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fawang.catalog.models import ServiceItem
from fawang.orgs.models import Unit, Window

from . import actions, slots
from .models import Schedule

MORNING = (dt.time(8, 30), dt.time(12, 0))
AFTERNOON = (dt.time(14, 30), dt.time(17, 30))


def _schedule(
    unit: Unit,
    name: str,
    items: list[str],
    *,
    window: Window | None,
    ranges: list[tuple[int, tuple[dt.time, dt.time]]],
    **options: Any,
) -> Schedule | None:
    if Schedule.objects.filter(unit=unit, name=name).exists():
        return None
    service_items = list(ServiceItem.objects.filter(code__in=items, is_active=True))
    if not service_items:
        return None
    schedule = actions.do_save_schedule(
        actor=None,
        unit=unit,
        data=actions.ScheduleData(name=name, service_items=service_items, window=window, **options),
    )
    for weekday, (start, end) in ranges:
        actions.do_add_rule(
            schedule.pk, actor=None, weekday=weekday, start_time=start, end_time=end, derive=False
        )
    slots.derive_slots(schedule.pk)
    return schedule


def _window(unit: Unit, kind: str) -> Window | None:
    return unit.windows.filter(kind=kind, is_active=True).order_by("number").first()


def load_frontdesk_demo() -> int:
    made = 0
    weekdays = [(d, r) for d in range(5) for r in (MORNING, AFTERNOON)]
    centres = Unit.objects.filter(kind=Unit.Kind.CENTRE, region__level=3, is_active=True).order_by(
        "region_id"
    )
    for centre in centres:
        made += bool(
            _schedule(
                centre,
                "综合窗口",
                ["consultation", "mediation", "lawyer", "notary"],
                window=_window(centre, Window.Kind.RECEPTION),
                ranges=weekdays,
                capacity=3,
            )
        )
        made += bool(
            _schedule(
                centre,
                "法律援助窗口",
                ["legal_aid", "legal_aid_objection"],
                window=_window(centre, Window.Kind.LEGAL_AID),
                ranges=weekdays,
                capacity=2,
            )
        )
        if centre.functions.filter(code=actions.REMOTE_VISIT_FUNCTION).exists():
            made += bool(
                _schedule(
                    centre,
                    "远程视频探视",
                    ["remote_visit"],
                    window=None,
                    ranges=[(1, (dt.time(14, 30), dt.time(17, 0))), (3, (dt.time(14, 30), dt.time(17, 0)))],
                    capacity=1,
                    min_notice_hours=24,
                    cancel_cutoff_hours=4,
                )
            )
    station = Unit.objects.filter(name="厦港街道公共法律服务工作站").first()
    if station is not None:
        made += bool(
            _schedule(
                station,
                "综合窗口",
                ["consultation", "mediation", "legal_aid"],
                window=_window(station, Window.Kind.RECEPTION),
                ranges=weekdays,
                capacity=2,
            )
        )
    return made
