"""Demo appointment schedules (made through the actions, as the system): every district centre takes bookings
at its legal-consultation window (法律咨询岗: 法律咨询, 律师服务), its reception window (the other walk-in items) and
its legal-aid window, and, where it offers 监所远程探视, video visits in its remote visit room; 思明区's centre also
takes video consultations (视频法律咨询, 音频视频咨询: a meeting link instead of a window); the first street
station of 思明区 (where the demo window clerk works) at its consultation and reception windows.

Runs any number of times: a schedule that exists (same point, same name) is left as it is, except that a demo
made before the consultation windows took bookings (issue 14, item 17: a booked consultation was sent to
1号窗口 综合接待岗) has 法律咨询 and 律师服务 moved from its 综合窗口 to the new 法律咨询窗口.
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


CONSULTATION_ITEMS = ["consultation", "lawyer"]


def _consultation_and_reception(
    point: Unit,
    consultation_items: list[str],
    reception_items: list[str],
    ranges: list[tuple[int, tuple[dt.time, dt.time]]],
    capacity: int,
) -> int:
    """The point's 法律咨询窗口 (at its 法律咨询岗) and 综合窗口 (at its 综合接待岗). Without a consultation window,
    consultations are booked at the reception window."""
    consultation_window = _window(point, Window.Kind.CONSULTATION)
    made = 0
    if consultation_window is not None:
        made += bool(
            _schedule(
                point,
                "法律咨询窗口",
                consultation_items,
                window=consultation_window,
                ranges=ranges,
                capacity=capacity,
            )
        )
        _move_consultations_off_reception(point)
    else:
        reception_items = [*consultation_items, *reception_items]
    made += bool(
        _schedule(
            point,
            "综合窗口",
            reception_items,
            window=_window(point, Window.Kind.RECEPTION),
            ranges=ranges,
            capacity=capacity,
        )
    )
    return made


def _move_consultations_off_reception(point: Unit) -> None:
    """An older demo's 综合窗口 also took 法律咨询 and 律师服务; now that the 法律咨询窗口 takes them, it stops."""
    reception = Schedule.objects.filter(unit=point, name="综合窗口").select_related("window").first()
    if reception is None:
        return
    items = list(reception.service_items.all())
    kept = [i for i in items if i.code not in CONSULTATION_ITEMS]
    if not kept or len(kept) == len(items):
        return
    actions.do_save_schedule(
        actor=None,
        unit=point,
        schedule_id=reception.pk,
        data=actions.ScheduleData(
            name=reception.name,
            service_items=kept,
            window=reception.window,
            slot_minutes=reception.slot_minutes,
            capacity=reception.capacity,
            days_ahead=reception.days_ahead,
            min_notice_hours=reception.min_notice_hours,
            cancel_cutoff_hours=reception.cancel_cutoff_hours,
            makeup_weekday=reception.makeup_weekday,
            is_active=reception.is_active,
        ),
    )


def load_frontdesk_demo() -> int:
    made = 0
    weekdays = [(d, r) for d in range(5) for r in (MORNING, AFTERNOON)]
    centres = Unit.objects.filter(kind=Unit.Kind.CENTRE, region__level=3, is_active=True).order_by(
        "region_id"
    )
    for centre in centres:
        made += _consultation_and_reception(
            centre, CONSULTATION_ITEMS, ["mediation", "notary"], weekdays, capacity=3
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
    video_centre = Unit.objects.filter(name="思明区公共法律服务中心").first()
    if video_centre is not None:
        made += bool(
            _schedule(
                video_centre,
                "视频法律咨询",
                ["consultation"],
                window=None,
                ranges=[(1, (dt.time(9, 0), dt.time(11, 30))), (3, (dt.time(9, 0), dt.time(11, 30)))],
                capacity=1,
                min_notice_hours=2,
                mode=Schedule.Mode.VIDEO,
            )
        )
    station = Unit.objects.filter(name="厦港街道公共法律服务工作站").first()
    if station is not None:
        made += _consultation_and_reception(
            station, ["consultation"], ["mediation", "legal_aid"], weekdays, capacity=2
        )
    return made
