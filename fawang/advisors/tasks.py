"""The advisors' periodic job, run by the scheduler (registered in apps.py through fawang.lib.jobs)."""

from __future__ import annotations

from django_tasks import task

from .actions import check_missed


@task()
def check_missed_task() -> int:
    """Warn the advisors who missed a scheduled day; each missed day is warned once (idempotent per pass)."""
    return len(check_missed())
