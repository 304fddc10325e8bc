"""The only writers of the outbox: enqueue, deliver (with retries and dead letters), requeue, mark read.

Delivery is at-least-once and never concurrent for one message: a worker *claims* a row with a conditional
UPDATE (queued/failed and due -> sending) and sends only if that UPDATE changed one row, so two workers
scanning at the same moment never both send it. The claim also sets a lease (next_attempt_at = now + lease):
if the worker dies mid-send, the periodic scan finds the row still "sending" after the lease and tries again
(recover_stale). Sending happens outside any database transaction, so a slow gateway holds no locks.

A one-time code has a delivery task of its own; other messages share batch tasks (_batch_delivery), which claim
many due messages in one transaction (claim_batch, the same conditions as claim) and record the sent ones with one
UPDATE (deliver_batch).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, models, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.lib import inserts
from fawang.lib.busy import is_busy
from fawang.lib.validators import MOBILE_RE, normalize_mobile, validate_mobile

from . import conf, kinds, scopes
from .access import get_inbox_message_for_user, get_message_for_user
from .models import Message
from .senders import PermanentFailure, SendResult, TemporaryFailure, get_sender

if TYPE_CHECKING:
    from collections.abc import Iterable

    from fawang.accounts.models import User

logger = logging.getLogger(__name__)
ERROR_MAX = 1000
# Waits (seconds) before each new try to record a sent message on a busy database; None: give up.
RECORD_RETRY_DELAYS: tuple[float | None, ...] = (0.2, 0.5, 1, 2, 4, 8, 15, 30, None)


# --- enqueue ----------------------------------------------------------------------------------------------

# Message.Channel.values, made once: the enumeration's values list is built anew at every read.
_CHANNELS = frozenset(Message.Channel.values)


def _recipient(channel: str, user: User | None, phone: str, openid: str, email: str) -> dict[str, Any]:
    """Recipient fields for ``channel``, checked: a message no sender could ever deliver is refused now."""
    if channel not in _CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if channel == Message.Channel.SMS and not phone and user is not None:
        phone = user.phone
    phone = normalize_mobile(phone)
    if phone or channel == Message.Channel.SMS:
        if not phone:
            raise ValidationError(_("短信必须有收件手机号码。"), code="no_phone")
        validate_mobile(phone)
    if channel == Message.Channel.INAPP and user is None:
        raise ValidationError(_("站内信必须有收件用户。"), code="no_user")
    if channel == Message.Channel.WECHAT and not openid:
        raise ValidationError(_("微信消息必须有收件人的 OpenID。"), code="no_openid")
    if channel == Message.Channel.EMAIL and not email:
        raise ValidationError(_("邮件必须有收件地址。"), code="no_email")
    return {"user": user, "phone": phone, "openid": openid, "email": email}


def enqueue(
    *,
    channel: str,
    kind: str,
    body: str,
    subject: str = "",
    user: User | None = None,
    phone: str = "",
    openid: str = "",
    email: str = "",
    related: models.Model | None = None,
    region_code: str = "",
    dedupe_key: str | None = None,
    max_attempts: int | None = None,
    fresh_key: bool = False,
) -> Message:
    """Queue one message and its delivery once the caller's transaction commits.

    ``dedupe_key`` makes the call idempotent: the same event enqueued twice (a resent webhook, a double click)
    returns the first message and sends nothing more. Build it from the event, e.g.
    ``f"matter:{matter.pk}:accepted:sms"``. ``region_code`` defaults to ``related.region_id`` (a region code on
    our models), which decides which staff see the message. ``fresh_key``: the key names a row the caller's
    transaction has just made (an event), so no message can hold it yet — it is inserted without the savepoint
    that a clash would need (two round trips on every intake); a clash then fails the caller's transaction.
    """
    if not body.strip():
        raise ValidationError(_("消息正文不能为空。"), code="no_body")
    if not region_code and related is not None:
        region_code = str(getattr(related, "region_id", "") or "")
    message = Message(
        channel=channel,
        kind=kind,
        sensitive=kinds.is_sensitive(kind),
        subject=subject,
        body=body,
        region_code=region_code,
        dedupe_key=dedupe_key or None,
        next_attempt_at=timezone.now(),
        **_recipient(channel, user, phone, openid, email),
    )
    if max_attempts is not None:
        message.max_attempts = max_attempts
    if related is not None:
        message.related_type = ContentType.objects.get_for_model(related)
        message.related_id = str(related.pk)
    if dedupe_key and not fresh_key:
        # No look-up first: the unique index finds the message of an earlier (or concurrent) enqueue with the
        # same key, and the savepoint keeps the caller's transaction usable when it does.
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            return Message.objects.get(dedupe_key=dedupe_key)
    else:
        inserts.insert(message)  # as save() does it, with the statement made once (fawang/lib/inserts.py)
    if _tasks_in_this_database():
        # The task row goes in with the message and commits with it (one commit per intake rather than two; the
        # worker cannot see either before the commit). An error here fails the caller's transaction, as the
        # message's own insert would.
        if message.sensitive:
            # A one-time code goes at once, on its own.
            from .tasks import deliver_message

            deliver_message.enqueue(message.pk)
        else:
            _batch_delivery()
    else:
        transaction.on_commit(partial(schedule, message.pk))
    return message


def to_person(
    *,
    kind: str,
    body: str,
    subject: str,
    user: User | None,
    phone: str,
    related: models.Model,
    key: str,
    region_code: str = "",
    fresh_key: bool = False,
) -> None:
    """A message to a member of the public: in-app to their account when there is one, and an SMS when ``phone``
    is a mobile number. The SMS goes without the user: the in-app copy already reaches their inbox, which also
    lists their SMS. ``key`` makes both idempotent (``key:inapp``, ``key:sms``)."""
    mobile = normalize_mobile(phone)
    recipients: list[tuple[str, dict[str, Any]]] = []
    if user is not None:
        recipients.append(("inapp", {"user": user}))
    if MOBILE_RE.match(mobile):
        recipients.append(("sms", {"phone": mobile}))
    for channel, recipient in recipients:
        enqueue(
            channel=channel,
            kind=kind,
            body=body,
            subject=subject,
            related=related,
            region_code=region_code,
            dedupe_key=f"{key}:{channel}",
            fresh_key=fresh_key,
            **recipient,
        )


# Messages that are not one-time codes share delivery tasks (bench/bench_matters.py: one task per intake's notice
# cost the worker four commits and eight queries per message, on the cores the site needs). Each process queues at
# most one deferred task per half window: every message it queues in that time is due and committed when the
# task runs, and the task delivers all due messages in batches. Two seconds rather than half a second: under a
# steady intake load each process then queues about one task a second instead of four, and the task worker's own
# cost per task (claiming the task row, recording its result: more than the batch's sending) is spread over four
# times as many messages; at 100 intakes a second the worker fell behind on half-second tasks, most of which then
# found nothing left to send (bench/bench_matters.py). A receipt's SMS leaves up to two seconds after the intake.
BATCH_WINDOW = dt.timedelta(seconds=2)
_batch_lock = threading.Lock()
# run_after of the last batch task this process queued (and committed).
_batch_runs_at: dt.datetime | None = None


def _batch_delivery() -> None:
    """Make sure a batch delivery task runs after the caller's transaction commits: queue one (in the caller's
    transaction, deferred by BATCH_WINDOW) unless this process queued one that runs at least half a window from
    now. A message committed in a race past that (a commit slower than half a window) waits for the next batch
    or the periodic scan (deliver_due): late, never lost."""
    global _batch_runs_at
    from .tasks import deliver_queued

    now = timezone.now()
    with _batch_lock:
        if _batch_runs_at is not None and _batch_runs_at - now >= BATCH_WINDOW / 2:
            return
    run_after = now + BATCH_WINDOW
    deliver_queued.using(run_after=run_after).enqueue()
    transaction.on_commit(partial(_batch_queued, run_after))


def _batch_queued(run_after: dt.datetime) -> None:
    global _batch_runs_at
    with _batch_lock:
        if _batch_runs_at is None or run_after > _batch_runs_at:
            _batch_runs_at = run_after


def _tasks_in_this_database() -> bool:
    """Whether background tasks are rows of this database (django_tasks_db), written in the caller's
    transaction; other backends (the immediate one in tests) run or send on commit."""
    from .tasks import deliver_message

    backend = deliver_message.get_backend()
    return type(backend).__module__.startswith("django_tasks_db")


def schedule(message_id: int, when: dt.datetime | None = None) -> None:
    """Hand the delivery to a background task; a failure here loses nothing, the periodic scan finds the row."""
    from .tasks import deliver_message

    try:
        if when is None:
            deliver_message.enqueue(message_id)
        elif deliver_message.get_backend().supports_defer:
            deliver_message.using(run_after=when).enqueue(message_id)
    except Exception:
        logger.exception("could not enqueue delivery of message %s; the periodic scan will", message_id)


# --- delivery ---------------------------------------------------------------------------------------------


def claim(message_id: int, *, now: dt.datetime | None = None) -> Message | None:
    """Take a due message for sending; None when it is not due, already taken, or gone."""
    now = now or timezone.now()
    taken = (
        Message.objects.due(now)
        .filter(pk=message_id)
        .update(
            status=Message.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + conf.send_lease()
        )
    )
    if taken != 1:
        return None
    return Message.objects.select_related("user").filter(pk=message_id).first()


def deliver(message_id: int) -> Message | None:
    """Claim, send, record. Returns the message as recorded, or None when there was nothing to do."""
    message = claim(message_id)
    if message is None:
        return None
    try:
        result = get_sender(message.channel).send(message)
    except PermanentFailure as error:
        return _record_failure(message, str(error), permanent=True)
    except TemporaryFailure as error:
        return _record_failure(message, str(error), permanent=False)
    except Exception as error:
        # A bug or a network error in a sender: retried like a temporary failure rather than lost.
        logger.exception("sender failed on message %s", message_id)
        return _record_failure(message, f"{type(error).__name__}: {error}", permanent=False)
    return _record_success(message, result)


def _redacted(message: Message) -> dict[str, str]:
    """A one-time code is kept only until it is sent (or can no longer be): afterwards the stored body and subject
    carry ``*`` for its digits, so the outbox, a database copy or a backup never holds a usable code. Not in a
    development or demo set-up whose codes are shown on the page anyway (conf.show_codes), where the local outbox
    is how one reads them."""
    if not message.sensitive or conf.show_codes():
        return {}
    return {"body": kinds.mask_digits(message.body), "subject": kinds.mask_digits(message.subject)}


def _record_success(message: Message, result: SendResult) -> Message:
    now = timezone.now()
    fields = {
        "status": Message.Status.SENT,
        "sent_at": now,
        "provider_message_id": result.provider_id[:100],
        "next_attempt_at": None,
        **_redacted(message),
    }
    # The message has gone out: losing its record to a busy database would leave it "sending" until the lease ran
    # out, and then send it a second time (bench/bench_faults.py saw this). Wait and try again, about a minute in
    # all, before giving up; inside a caller's transaction the caller decides.
    for delay in RECORD_RETRY_DELAYS:
        try:
            _mark_sent(message.pk, fields)
            break
        except OperationalError as error:
            if delay is None or not is_busy(error) or transaction.get_connection().in_atomic_block:
                raise
            logger.warning("message %s sent, its record waits for a busy database: %s", message.pk, error)
            time.sleep(delay)
    message.refresh_from_db()
    return message


def _mark_sent(pk: int, fields: dict[str, Any]) -> None:
    # Not conditional on the attempt: a message that went out is sent, even if its lease ran out meanwhile.
    Message.objects.filter(pk=pk).exclude(status=Message.Status.SENT).update(**fields)


def _record_failure(message: Message, error: str, *, permanent: bool) -> Message:
    now = timezone.now()
    dead = permanent or message.attempts >= message.max_attempts
    next_at = None if dead else now + conf.retry_delay(message.attempts)
    # Conditional on this attempt: a worker whose lease ran out must not overwrite a later attempt's outcome.
    updated = Message.objects.filter(
        pk=message.pk, status=Message.Status.SENDING, attempts=message.attempts
    ).update(
        status=Message.Status.DEAD if dead else Message.Status.FAILED,
        next_attempt_at=next_at,
        last_error=error[:ERROR_MAX],
        **(_redacted(message) if dead else {}),
    )
    if updated and next_at is not None:
        transaction.on_commit(partial(schedule, message.pk, next_at))
    message.refresh_from_db()
    return message


def recover_stale(now: dt.datetime | None = None) -> int:
    """Rows left "sending" past their lease (a worker died): counted as a failed attempt, retried at once."""
    now = now or timezone.now()
    stale = Message.objects.filter(status=Message.Status.SENDING, next_attempt_at__lte=now)
    error = _("发送超时：上次发送未在规定时间内完成，结果未知。")
    dead = stale.filter(attempts__gte=F("max_attempts")).update(
        status=Message.Status.DEAD, next_attempt_at=None, last_error=error
    )
    retried = stale.update(status=Message.Status.FAILED, next_attempt_at=now, last_error=error)
    return dead + retried


def deliver_due(limit: int = 100) -> int:
    """The periodic scan: deliver up to ``limit`` due messages, oldest due first; returns how many it handled."""
    now = timezone.now()
    recover_stale(now)
    return deliver_batch(limit, now=now)


def deliver_queued(limit: int = 100, rounds: int = 20) -> int:
    """The batch task's work: batches of up to ``limit`` due messages until none is left (at most ``rounds``;
    the next task or the periodic scan takes the rest); returns how many it handled."""
    handled = 0
    for _round in range(rounds):
        done = deliver_batch(limit)
        handled += done
        if done < limit:
            break
    return handled


def claim_batch(limit: int, *, now: dt.datetime | None = None) -> list[Message]:
    """Take up to ``limit`` due messages for sending, oldest due first, in one transaction: rows another worker
    holds are skipped (PostgreSQL), and the claim is conditional as ``claim``'s is, so no message is taken twice."""
    now = now or timezone.now()
    lease_until = now + conf.send_lease()
    with transaction.atomic():
        due = list(
            Message.objects.due(now)
            .select_related("user")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_attempt_at", "pk")[:limit]
        )
        if not due:
            return []
        ids = [m.pk for m in due]
        taken = (
            Message.objects.due(now)
            .filter(pk__in=ids)
            .update(status=Message.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=lease_until)
        )
        if taken != len(ids):
            # Another worker took some between the read and the update (a database without row locks).
            mine = set(
                Message.objects.filter(
                    pk__in=ids, status=Message.Status.SENDING, next_attempt_at=lease_until
                ).values_list("pk", flat=True)
            )
            due = [m for m in due if m.pk in mine]
    for message in due:
        message.status = Message.Status.SENDING
        message.attempts += 1
        message.next_attempt_at = lease_until
    return due


def deliver_batch(limit: int = 100, *, now: dt.datetime | None = None) -> int:
    """Claim up to ``limit`` due messages at once, send each (outside any transaction, as ``deliver`` does) and
    record the ones sent with one UPDATE; returns how many it handled."""
    messages = claim_batch(limit, now=now)
    if not messages:
        return 0
    # A slow gateway must not let a claim's lease run out while the batch is still sending: the periodic scan
    # would take the rest for lost and send them twice. Past half the lease the rest go back to the queue.
    lease_until = messages[0].next_attempt_at
    assert lease_until is not None
    stop_at = lease_until - conf.send_lease() / 2
    sent: list[Message] = []
    for index, message in enumerate(messages):
        if timezone.now() >= stop_at:
            _release(messages[index:], lease_until)
            break
        try:
            result = get_sender(message.channel).send(message)
        except PermanentFailure as error:
            _record_failure(message, str(error), permanent=True)
            continue
        except TemporaryFailure as error:
            _record_failure(message, str(error), permanent=False)
            continue
        except Exception as error:
            logger.exception("sender failed on message %s", message.pk)
            _record_failure(message, f"{type(error).__name__}: {error}", permanent=False)
            continue
        message.provider_message_id = result.provider_id[:100]
        sent.append(message)
    if sent:
        _record_sent_batch(sent)
    return len(messages)


def _release(messages: list[Message], lease_until: dt.datetime) -> None:
    """Claimed messages not sent after all: queued again, due now, the claim's attempt not counted."""
    Message.objects.filter(
        pk__in=[m.pk for m in messages], status=Message.Status.SENDING, next_attempt_at=lease_until
    ).update(status=Message.Status.QUEUED, attempts=F("attempts") - 1, next_attempt_at=timezone.now())


# Messages recorded as sent by one UPDATE at most: its parameters stay within SQLite's limit (999).
SENT_UPDATE_SIZE = 100


def _mark_sent_together(messages: list[Message], now: dt.datetime) -> None:
    """Record ``messages`` (none of them redacted) as sent, in one UPDATE: the columns that take one value for all
    of them as plain values, the provider's id of each by a CASE on the key. A bulk_update of the four columns
    built and evaluated a CASE for each of them: most of the worker's time per message (bench/bench_matters.py)."""
    provider_ids = Case(
        *[When(pk=m.pk, then=Value(m.provider_message_id)) for m in messages],
        output_field=Message._meta.get_field("provider_message_id"),
    )
    Message.objects.exclude(status=Message.Status.SENT).filter(pk__in=[m.pk for m in messages]).update(
        status=Message.Status.SENT, sent_at=now, next_attempt_at=None, provider_message_id=provider_ids
    )


def _record_sent_batch(messages: list[Message]) -> None:
    """Record ``messages`` as sent, as _record_success does one: one UPDATE for all (a redacted one-time code
    on its own), retried on a busy database."""
    now = timezone.now()
    plain: list[Message] = []
    redacted: list[tuple[Message, dict[str, str]]] = []
    for message in messages:
        message.status = Message.Status.SENT
        message.sent_at = now
        message.next_attempt_at = None
        hidden = _redacted(message)
        if hidden:
            redacted.append((message, hidden))
        else:
            plain.append(message)

    def record() -> None:
        with transaction.atomic():
            for start in range(0, len(plain), SENT_UPDATE_SIZE):
                _mark_sent_together(plain[start : start + SENT_UPDATE_SIZE], now)
            for message, hidden in redacted:
                _mark_sent(
                    message.pk,
                    {
                        "status": Message.Status.SENT,
                        "sent_at": now,
                        "provider_message_id": message.provider_message_id,
                        "next_attempt_at": None,
                        **hidden,
                    },
                )

    for delay in RECORD_RETRY_DELAYS:
        try:
            record()
            break
        except OperationalError as error:
            if delay is None or not is_busy(error) or transaction.get_connection().in_atomic_block:
                raise
            logger.warning(
                "%d messages sent, their record waits for a busy database: %s", len(messages), error
            )
            time.sleep(delay)
    for message, hidden in redacted:
        for name, value in hidden.items():
            setattr(message, name, value)


# --- staff and the person ---------------------------------------------------------------------------------


@transaction.atomic
def retry_dead(message_id: int, *, actor: User) -> Message:
    """Requeue a dead message with a fresh set of attempts; the last error stays for reference."""
    message = get_message_for_user(actor, message_id)
    if not scopes.may(actor, "notify.view_outbox", message):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    if message.sensitive:
        raise ValidationError(
            _("验证码等敏感消息不能由工作人员重新发送，请当事人重新获取。"), code="sensitive"
        )
    now = timezone.now()
    requeued = Message.objects.filter(pk=message.pk, status=Message.Status.DEAD).update(
        status=Message.Status.QUEUED, attempts=0, next_attempt_at=now, requeued_at=now, requeued_by=actor
    )
    if requeued != 1:
        raise ValidationError(_("只有死信消息可以重新发送。"), code="not_dead")
    transaction.on_commit(partial(schedule, message.pk))
    message.refresh_from_db()
    return message


@transaction.atomic
def mark_read(message_id: int, *, actor: User) -> Message:
    message = get_inbox_message_for_user(actor, message_id)
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
    return message


@transaction.atomic
def mark_all_read(*, actor: User) -> int:
    return Message.objects.inbox_of(actor).filter(read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def mark_read_about(obj: models.Model, *, actor: User, kinds: Iterable[str]) -> int:
    """Mark read the person's messages of ``kinds`` about ``obj`` (e.g. the answers to a consultation, once its
    page is opened); returns how many. Also those still on their way to the inbox: the person has just read
    what they say on the page, so they must not turn up unread a moment later."""
    return (
        Message.objects.filter(user=actor)
        .filter(
            kind__in=list(kinds),
            related_type=ContentType.objects.get_for_model(obj),
            related_id=str(obj.pk),
            read_at__isnull=True,
        )
        .update(read_at=timezone.now())
    )
