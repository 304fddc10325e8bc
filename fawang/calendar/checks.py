"""System checks: warn when the calendar has no rows for a year that deadlines are about to fall in.

The State Council announces next year's holidays and 调休 late in the year (usually October–December), and the
`chinese-calendar` package follows some time later. Until someone enters them, the arithmetic silently falls
back to Monday–Friday, which puts deadlines on 元旦 or 春节 days; `manage.py check` says so in December.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import workdays

TAG = "workcalendar"
WARN_FROM_MONTH = 12


def today() -> datetime.date:
    return timezone.localdate()


def years_to_warn(on: datetime.date) -> list[int]:
    """The current year if it has no rows; also the next one from 1 December on."""
    years = [on.year] + ([on.year + 1] if on.month >= WARN_FROM_MONTH else [])
    return workdays.coverage_gaps(years)


@checks.register(TAG)
def check_calendar_coverage(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    on = today()
    try:
        missing = years_to_warn(on)
    except DatabaseError:
        return []  # not migrated yet (a fresh clone): nothing to check
    messages: list[checks.CheckMessage] = []
    for year in missing:
        if year == on.year:
            messages.append(
                checks.Warning(
                    _(
                        "工作日历没有 %(year)d 年（今年）的节假日与调休数据，时限按周一至周五计算，可能落在节假日上。"
                    )
                    % {"year": year},
                    hint=_(
                        "运行 manage.py seed_calendar，或在管理后台“节假日与调休”中按国务院办公厅通知录入。"
                    ),
                    id="workcalendar.W002",
                )
            )
        else:
            messages.append(
                checks.Warning(
                    _("工作日历还没有 %(year)d 年的节假日与调休数据：跨年的时限将按周一至周五计算。")
                    % {"year": year},
                    hint=_(
                        "国务院办公厅公布明年放假安排后，请在管理后台“节假日与调休”中录入，"
                        "或升级 chinese-calendar 后运行 manage.py seed_calendar。"
                    ),
                    id="workcalendar.W001",
                )
            )
    return messages
