from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CalendarConfig(AppConfig):
    name = "fawang.calendar"
    label = "workcalendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the coverage check)
        from .models import CalendarDay
        from .workdays import on_calendar_day_changed

        # Cache upkeep, not workflow: a saved or deleted day must reach the cached snapshot at once.
        post_save.connect(on_calendar_day_changed, sender=CalendarDay, dispatch_uid="workcalendar-save")
        post_delete.connect(on_calendar_day_changed, sender=CalendarDay, dispatch_uid="workcalendar-delete")
