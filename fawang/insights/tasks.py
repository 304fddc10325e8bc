"""The supervision app's periodic job (run by the scheduler: registered in apps.py through fawang.lib.jobs)."""

from __future__ import annotations

from django_tasks import task

from . import rollup, warnings


@task()
def refresh_rollups_task() -> int:
    """Bring the daily facts up to date (the days changed since the last pass), then raise the warnings the
    new figures call for (hotspots, time-limit and satisfaction drops, hourly) and take in the lines' own warnings
    (every pass: a 矛盾纠纷预警 reaches the supervisors within one pass). Safe to run twice: a day's facts are
    replaced, a warning is raised once per region, topic and period, a line's warning taken in once."""
    written = rollup.refresh_changed()
    warnings.take_in_line_warnings()
    warnings.raise_due()
    return written
