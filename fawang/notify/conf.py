"""Settings of the outbox, read from django.conf.settings at call time (so tests can override them) with
defaults that work on a fresh clone.

NOTIFY_SENDERS            channel -> sender: a dotted class path, or {"BACKEND": path, "OPTIONS": {...}}
                          passed to the class as keyword arguments. Channels not named keep the default,
                          the local outbox sender, which sends nothing out of the system.
NOTIFY_RETRY_BASE_SECONDS first retry delay (default 60); each later one is 5 times longer: 1, 5, 25 min ...
NOTIFY_RETRY_MAX_SECONDS  longest delay between two attempts (default 6 hours)
NOTIFY_SEND_LEASE_SECONDS how long a worker may take to send one message before the row counts as stuck
                          and may be claimed again (default 10 minutes)
NOTIFY_SHOW_CODES_IN_DEV  show one-time codes on the page even without DEBUG or the demo (see show_codes)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

LOCAL_SENDER = "fawang.notify.senders.LocalOutboxSender"
DEFAULT_SENDERS: dict[str, str] = {
    "sms": LOCAL_SENDER,
    "wechat": LOCAL_SENDER,
    "inapp": LOCAL_SENDER,
    "email": LOCAL_SENDER,
}
BACKOFF_FACTOR = 5


def senders() -> dict[str, dict[str, Any]]:
    """Every channel's sender as {"BACKEND": path, "OPTIONS": {...}}."""
    configured: dict[str, Any] = {**DEFAULT_SENDERS, **getattr(settings, "NOTIFY_SENDERS", {})}
    out: dict[str, dict[str, Any]] = {}
    for channel, value in configured.items():
        if isinstance(value, str):
            out[channel] = {"BACKEND": value, "OPTIONS": {}}
        else:
            out[channel] = {"BACKEND": value["BACKEND"], "OPTIONS": dict(value.get("OPTIONS", {}))}
    return out


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait after the ``attempts``-th failed attempt: 1, 5, 25, 125 minutes ..., capped."""
    base = int(getattr(settings, "NOTIFY_RETRY_BASE_SECONDS", 60))
    cap = int(getattr(settings, "NOTIFY_RETRY_MAX_SECONDS", 6 * 3600))
    exponent = max(attempts - 1, 0)
    # Capped before multiplying out, so a large attempt count cannot build a huge number.
    seconds = cap if exponent > 20 else min(base * BACKOFF_FACTOR**exponent, cap)
    return dt.timedelta(seconds=seconds)


def send_lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "NOTIFY_SEND_LEASE_SECONDS", 600)))


def sms_stays_local() -> bool:
    """True when SMS go nowhere: the local outbox is the SMS sender (no gateway configured)."""
    return senders()["sms"]["BACKEND"] == LOCAL_SENDER


def show_codes() -> bool:
    """Whether a one-time code is shown on the page (and in the API's answer) as well as sent.

    Only when the SMS cannot reach anyone — the local outbox is the sender — and this is a development or demo
    set-up (DEBUG, settings.DEMO which `make run` turns on, or NOTIFY_SHOW_CODES_IN_DEV): a newcomer trying the
    site can sign in and track a matter without reading the outbox. With a real SMS sender never, whatever the
    other settings say: the code is what proves the person holds the phone.
    """
    if not sms_stays_local():
        return False
    return bool(
        settings.DEBUG
        or getattr(settings, "DEMO", False)
        or getattr(settings, "NOTIFY_SHOW_CODES_IN_DEV", False)
    )
