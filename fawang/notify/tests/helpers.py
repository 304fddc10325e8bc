from __future__ import annotations

from typing import Any

from fawang.notify.models import Message
from fawang.notify.senders import SendResult
from fawang.test import SIMING, BaseTestCase


class ExplodingSender:
    """A sender with a bug: raises something that is neither a temporary nor a permanent failure."""

    def __init__(self, **options: Any) -> None:
        pass

    def send(self, message: Message) -> SendResult:
        raise RuntimeError("gateway client crashed")


class OutboxTestCase(BaseTestCase):
    def send(self, *, deliver: bool = True, **kwargs: Any) -> Message:
        """Enqueue and let the delivery run, as it does after the caller's transaction commits (``deliver``
        False: the on-commit callbacks are dropped, so the message waits for a batch or a claim)."""
        from fawang.notify.actions import enqueue

        fields: dict[str, Any] = {
            "channel": "sms",
            "kind": "matter.accepted",
            "body": "您的法律援助申请已受理。",
            "phone": "13800000000",
            "region_code": SIMING,
        }
        fields.update(kwargs)
        with self.captureOnCommitCallbacks(execute=deliver):
            message = enqueue(**fields)
        message.refresh_from_db()
        return message
