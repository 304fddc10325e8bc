"""Settings of the matters app, read from django.conf.settings at call time (so tests can override them),
with defaults that work on a fresh clone.

MATTERS_UPLOAD_MAX_BYTES               largest attachment (default 10 MB)
MATTERS_RATING_INVITE_DAYS             days after completion before an unrated matter is invited to rate (3)
MATTERS_CALLBACK_SAMPLE_SHARE          share of completed matters sampled for a callback (回访), 0..1 (0.1)
MATTERS_CALLBACK_LIMIT_WORKDAYS        working days to carry out a callback (5)
MATTERS_RECTIFICATION_LIMIT_WORKDAYS   working days to complete a rectification (整改) (15)
SCHEDULER_INTERVAL_SECONDS             how often `manage.py scheduler` runs the periodic jobs (60)
SCHEDULER_JOBS                         dotted paths of the periodic jobs (tasks or plain callables)
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_JOBS = [
    "fawang.matters.tasks.scan_deadlines_task",
    "fawang.matters.tasks.invite_ratings_task",
    "fawang.matters.tasks.sample_callbacks_task",
    "fawang.frontdesk.tasks.derive_slots_task",
    "fawang.frontdesk.tasks.send_reminders_task",
    "fawang.corrections.tasks.scan_supervision_task",
    "fawang.notify.tasks.deliver_due_messages",
    # The supervision rollup (fawang.insights): the days whose matters changed since the last pass.
    "fawang.insights.tasks.refresh_rollups_task",
]


def upload_max_bytes() -> int:
    return int(getattr(settings, "MATTERS_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def rating_invite_days() -> int:
    return int(getattr(settings, "MATTERS_RATING_INVITE_DAYS", 3))


def callback_sample_share() -> float:
    share = float(getattr(settings, "MATTERS_CALLBACK_SAMPLE_SHARE", 0.1))
    return min(max(share, 0.0), 1.0)


def callback_limit_workdays() -> int:
    return int(getattr(settings, "MATTERS_CALLBACK_LIMIT_WORKDAYS", 5))


def rectification_limit_workdays() -> int:
    return int(getattr(settings, "MATTERS_RECTIFICATION_LIMIT_WORKDAYS", 15))


def scheduler_interval() -> float:
    return float(getattr(settings, "SCHEDULER_INTERVAL_SECONDS", 60))


def scheduler_jobs() -> list[str]:
    return list(getattr(settings, "SCHEDULER_JOBS", DEFAULT_JOBS))
