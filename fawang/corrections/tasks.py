"""The periodic job of community corrections, run by the scheduler (registered in apps.py through fawang.lib.jobs): safe in
several workers at once (each missed item is claimed with a conditional UPDATE, each task is unique per item or
leave)."""

from __future__ import annotations

from django_tasks import task

from . import actions


@task()
def scan_supervision_task() -> int:
    """Generate the day's items, mark missed ones and raise their tasks, escalate tasks not dealt with."""
    counts = actions.scan()
    return counts["tasks"] + counts["escalated"]
