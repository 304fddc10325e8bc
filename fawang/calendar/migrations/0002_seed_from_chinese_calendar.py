"""Seed the holidays and make-up workdays (调休上班日) the installed `chinese-calendar` package covers.

Self-contained on purpose (no app-code imports): it must keep working whatever fawang/calendar/actions.py becomes.
Existing rows are left alone (ignore_conflicts), so manual rows survive; `manage.py seed_calendar` re-seeds
after a package upgrade.
"""

from django.db import migrations
from django.utils import timezone

NAME_FIXES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


def seed(apps, schema_editor):
    try:
        import chinese_calendar
    except ImportError:  # the package is a dependency, but a missing seed must not block migrating
        return
    CalendarDay = apps.get_model("workcalendar", "CalendarDay")

    def name(value):
        try:
            chinese = chinese_calendar.Holiday(value).chinese
        except ValueError:
            return value
        return NAME_FIXES.get(chinese, chinese)

    now = timezone.now()
    rows = {}
    for day, value in chinese_calendar.holidays.items():
        note = "调休放假" if day in chinese_calendar.in_lieu_days else ""
        rows[day] = CalendarDay(
            date=day, kind="holiday", name=name(value), note=note, source="package", updated_at=now
        )
    for day, value in chinese_calendar.workdays.items():
        rows[day] = CalendarDay(
            date=day, kind="workday", name=name(value), note="", source="package", updated_at=now
        )
    CalendarDay.objects.bulk_create(
        [rows[day] for day in sorted(rows)], ignore_conflicts=True, batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
