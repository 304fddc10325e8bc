"""Background tasks (Django's Tasks API, database backend). They take no objects and tolerate rows that have
gone; each is safe to run in several workers at once because it claims rows with conditional UPDATEs."""

from __future__ import annotations

from django_tasks import task

from . import actions, deadlines


@task()
def scan_deadlines_task() -> dict[str, int]:
    """Warn, escalate, and withdraw never-supplied requests (deadlines.scan_deadlines)."""
    return deadlines.scan_deadlines().as_dict()


@task()
def invite_ratings_task() -> int:
    """Invite people to rate matters completed a few days ago (actions.invite_ratings)."""
    return actions.invite_ratings()


@task()
def sample_callbacks_task() -> int:
    """Draw the callback sample among completed matters (actions.sample_callbacks)."""
    return actions.sample_callbacks()
