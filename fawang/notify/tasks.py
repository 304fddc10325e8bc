"""Background tasks of the outbox (Django's Tasks API). They take ids and tolerate rows that have gone."""

from __future__ import annotations

from django_tasks import task

from . import actions


@task()
def deliver_message(message_id: int) -> str | None:
    """Deliver one message; a message already taken, sent or deleted is left alone."""
    message = actions.deliver(message_id)
    return message.status if message else None


@task()
def deliver_queued() -> int:
    """Deliver every due message in batches (queued once per burst of messages by actions._batch_delivery)."""
    return actions.deliver_queued()


@task()
def deliver_due_messages(limit: int = 100) -> int:
    """The periodic scan: retries whose time has come, and messages whose delivery task was lost."""
    return actions.deliver_due(limit)
