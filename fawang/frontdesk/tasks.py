"""Periodic jobs of the front desk (Django's Tasks API), run by the scheduler (registered in apps.py through fawang.lib.jobs).
They take no objects; all are safe in several workers at once (derivation locks each schedule's row, a
reminder is claimed with a conditional UPDATE)."""

from __future__ import annotations

from django_tasks import task

from . import actions, slots
from .actions import suggestions


@task()
def derive_slots_task() -> int:
    """Roll each schedule's window of bookable days forward (slots.derive_due); a no-op within the same day."""
    return slots.derive_due()


@task()
def send_reminders_task() -> int:
    """The day-before reminders of tomorrow's bookings (actions.send_reminders)."""
    return len(actions.send_reminders())


@task()
def remind_suggestions_task() -> int:
    """Remind the handling units of 便民箱 suggestions past their limit, each once (suggestions.remind_overdue)."""
    return len(suggestions.remind_overdue())
