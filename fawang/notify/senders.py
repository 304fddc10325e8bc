"""Senders deliver one message on one channel. Which sender serves a channel is a setting (conf.py).

A sender returns a SendResult with the provider's message id, or raises TemporaryFailure (try again later:
a timeout, a rate limit) or PermanentFailure (never going to work: an invalid number, a blocked recipient).
Any other exception is treated as temporary by actions.deliver, so a bug in a gateway client does not lose
messages. Senders must not write to the database: recording the outcome is actions.deliver's job.

No SMS, WeChat or e-mail gateway is reachable from a fresh installation, so the default for every channel is
LocalOutboxSender: it sends nothing out of the system and says so (provider id ``local-<pk>``); the person
reads the message in their in-app inbox and staff in the console outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import conf

if TYPE_CHECKING:
    from .models import Message


@dataclass(frozen=True)
class SendResult:
    provider_id: str


class SendFailure(Exception):
    """A sender could not deliver; the message text is kept as the row's last error (no personal data)."""


class TemporaryFailure(SendFailure):
    pass


class PermanentFailure(SendFailure):
    pass


class Sender(Protocol):
    def send(self, message: Message) -> SendResult: ...


class LocalOutboxSender:
    """Keeps the message in the outbox, marked sent: nothing leaves the system."""

    local = True

    def __init__(self, **options: Any) -> None:
        self.options = options

    def send(self, message: Message) -> SendResult:
        if message.channel == message.Channel.INAPP and message.user_id is None:
            raise PermanentFailure(_("站内信没有收件用户，无法投递。"))
        return SendResult(provider_id=f"local-{message.pk}")


class FailingSender:
    """For tests and demonstrations: fails the first ``failures`` attempts of each message, then delivers
    locally. ``permanent=True`` fails permanently instead. Stateless: it counts the row's attempts, so it
    behaves the same in every worker process."""

    local = True

    def __init__(self, *, failures: int = 1, permanent: bool = False, **options: Any) -> None:
        self.failures = failures
        self.permanent = permanent

    def send(self, message: Message) -> SendResult:
        if self.permanent:
            raise PermanentFailure(_("模拟的永久失败：收件人无法接收。"))
        if message.attempts <= self.failures:
            raise TemporaryFailure(_("模拟的临时失败（第 %(n)d 次尝试）。") % {"n": message.attempts})
        return SendResult(provider_id=f"local-{message.pk}")


def get_sender(channel: str) -> Sender:
    config = conf.senders().get(channel)
    if config is None:
        raise PermanentFailure(_("渠道“%(channel)s”没有配置发送方式。") % {"channel": channel})
    cls = import_string(config["BACKEND"])
    sender: Sender = cls(**config["OPTIONS"])
    return sender


def local_channels() -> list[str]:
    """Channels whose messages stay in this system (no gateway configured), for the console's notice."""
    out = []
    for channel, config in conf.senders().items():
        try:
            cls = import_string(config["BACKEND"])
        except ImportError:
            continue
        if getattr(cls, "local", False):
            out.append(channel)
    return out
