"""Settings of the matters app, read from django.conf.settings at call time (so tests can override them),
with defaults that work on a fresh clone.

MATTERS_UPLOAD_MAX_BYTES               largest attachment (default 10 MB)
MATTERS_RATING_INVITE_DAYS             days after completion before an unrated matter is invited to rate (3)
MATTERS_CALLBACK_SAMPLE_SHARE          share of completed matters sampled for a callback (回访), 0..1 (0.1)
MATTERS_CALLBACK_LIMIT_WORKDAYS        working days to carry out a callback (5)
MATTERS_RECTIFICATION_LIMIT_WORKDAYS   working days to complete a rectification (整改) (15)
SCHEDULER_INTERVAL_SECONDS             how often `manage.py scheduler` runs the periodic jobs (60)
SCHEDULER_JOB_PRIORITY                 task priority of the periodic jobs, ahead of single deliveries (0) (10)
SCHEDULER_JOBS                         dotted paths of the periodic jobs (tasks or plain callables); when unset,
                                       the core's jobs, the jobs business lines register (fawang.lib.jobs) and,
                                       last, the outbox delivery
"""

from __future__ import annotations

from django.conf import settings

# The core's own periodic jobs; each business line registers its own (fawang.lib.jobs.register).
DEFAULT_JOBS = [
    "fawang.matters.tasks.scan_deadlines_task",
    "fawang.matters.tasks.invite_ratings_task",
    "fawang.matters.tasks.sample_callbacks_task",
]
# Run after every other job of a pass, so the messages a pass writes go out in the same pass.
LAST_JOBS = ["fawang.notify.tasks.deliver_due_messages"]


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


def periodic_priority() -> int:
    """The task priority of the scheduler's jobs (django-tasks: -100..100, higher first; a message delivery is 0)."""
    return int(getattr(settings, "SCHEDULER_JOB_PRIORITY", 10))


def scheduler_jobs() -> list[str]:
    configured = getattr(settings, "SCHEDULER_JOBS", None)
    if configured is not None:
        return list(configured)
    from fawang.lib import jobs

    return [*DEFAULT_JOBS, *(j for j in jobs.registered() if j not in DEFAULT_JOBS + LAST_JOBS), *LAST_JOBS]
