"""The working-day calendar: only the days that break the Monday–Friday rule (法定节假日 and 调休上班日).

Each year's holidays and make-up workdays are announced by the State Council (国务院办公厅) late in the year
before, so the table is seeded from the `chinese-calendar` package and editable by admins for years the
package does not cover yet. Time-limit arithmetic reads it through `fawang.calendar.workdays`.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAY_NAMES = [_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日")]


class CalendarDay(models.Model):
    """One exception to the Monday–Friday rule. Ordinary weekdays and weekends have no row."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休上班日")

    class Source(models.TextChoices):
        PACKAGE = "package", _("数据包（chinese-calendar）")
        MANUAL = "manual", _("人工录入")

    date = models.DateField(
        _("日期"),
        unique=True,
        help_text=_("国务院办公厅每年公布的放假安排中的一天；没有记录的日子按周一至周五上班、周末休息计算。"),
    )
    kind = models.CharField(
        _("类型"),
        max_length=16,
        choices=Kind.choices,
        help_text=_("法定节假日：不上班（含调休放假）；调休上班日：周末调为上班。"),
    )
    name = models.CharField(
        _("节日名称"),
        max_length=64,
        help_text=_("所属节日，如 元旦、春节、清明节、劳动节、端午节、中秋节、国庆节。"),
    )
    source = models.CharField(
        _("来源"),
        max_length=16,
        choices=Source.choices,
        default=Source.MANUAL,
        help_text=_("人工录入或修改过的日期，重新导入数据包时不会被覆盖。"),
    )
    note = models.CharField(
        _("备注"), max_length=200, blank=True, help_text=_("如国务院办公厅通知的文号，或“调休放假”。")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAY_NAMES[self.date.weekday()])

    def clean(self) -> None:
        # A make-up workday on a Monday–Friday changes nothing and is almost always a typo in the date.
        if (
            self.kind == self.Kind.WORKDAY
            and isinstance(self.date, datetime.date)
            and self.date.weekday() < 5
        ):
            raise ValidationError(
                {
                    "date": _("调休上班日应为星期六或星期日：%(date)s 是%(weekday)s。")
                    % {"date": f"{self.date:%Y-%m-%d}", "weekday": self.weekday_name}
                }
            )
