from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from fawang.notify import actions, conf
from fawang.notify.models import Message
from fawang.notify.tasks import deliver_message
from fawang.test import HULI, SIMING

from .helpers import OutboxTestCase

FAIL_TWICE = {"sms": {"BACKEND": "fawang.notify.senders.FailingSender", "OPTIONS": {"failures": 2}}}
FAIL_ALWAYS = {"sms": {"BACKEND": "fawang.notify.senders.FailingSender", "OPTIONS": {"failures": 99}}}
FAIL_PERMANENTLY = {"sms": {"BACKEND": "fawang.notify.senders.FailingSender", "OPTIONS": {"permanent": True}}}
EXPLODING = {"sms": "fawang.notify.tests.helpers.ExplodingSender"}


def make_due(message: Message) -> None:
    """Move the retry time into the past, as if the backoff had elapsed."""
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def deliver_after_backoff(message: Message) -> Message:
    make_due(message)
    delivered = actions.deliver(message.pk)
    assert delivered is not None
    return delivered


class EnqueueTestCase(OutboxTestCase):
    def test_it_delivers_through_the_local_outbox(self) -> None:
        message = self.send()
        self.assertEqual(message.status, Message.Status.SENT)
        self.assertEqual(message.provider_message_id, f"local-{message.pk}")
        self.assertEqual(message.attempts, 1)
        self.assertIsNotNone(message.sent_at)
        self.assertIsNone(message.next_attempt_at)
        self.assertEqual(message.last_error, "")

    def test_it_is_idempotent_on_the_dedupe_key(self) -> None:
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            first = actions.enqueue(
                channel="sms",
                kind="matter.accepted",
                body="已受理",
                phone="13800000000",
                dedupe_key="m:1:accepted",
            )
            second = actions.enqueue(
                channel="sms",
                kind="matter.accepted",
                body="已受理",
                phone="13800000000",
                dedupe_key="m:1:accepted",
            )
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Message.objects.filter(dedupe_key="m:1:accepted").count(), 1)
        self.assertEqual(len(callbacks), 1)  # one delivery scheduled, not two
        # Enqueued again after delivery (a webhook resent an hour later): still the same one message.
        again = actions.enqueue(
            channel="sms",
            kind="matter.accepted",
            body="已受理",
            phone="13800000000",
            dedupe_key="m:1:accepted",
        )
        self.assertEqual(again.pk, first.pk)
        self.assertEqual(again.status, Message.Status.SENT)

    def test_messages_without_a_key_are_not_deduplicated(self) -> None:
        first, second = self.send(), self.send()
        self.assertNotEqual(first.pk, second.pk)
        self.assertEqual(Message.objects.filter(pk__in=[first.pk, second.pk]).count(), 2)

    def test_it_takes_the_phone_and_region_from_user_and_related_object(self) -> None:
        unit = self.unit("siming.centre")
        message = self.send(phone="", user=self.citizen, related=unit, region_code="")
        self.assertEqual(message.phone, "13800000000")
        self.assertEqual(message.region_code, SIMING)
        self.assertEqual(message.related, unit)
        self.assertEqual(message.related_id, str(unit.pk))

    def test_it_refuses_a_message_no_sender_could_deliver(self) -> None:
        before = Message.objects.count()  # the demo data holds some messages already
        with self.assertRaisesMessage(ValidationError, "请输入正确的 11 位手机号码。"):
            actions.enqueue(channel="sms", kind="matter.accepted", body="x", phone="1234")
        with self.assertRaisesMessage(ValidationError, "短信必须有收件手机号码。"):
            actions.enqueue(channel="sms", kind="matter.accepted", body="x")
        with self.assertRaisesMessage(ValidationError, "站内信必须有收件用户。"):
            actions.enqueue(channel="inapp", kind="matter.accepted", body="x")
        with self.assertRaisesMessage(ValidationError, "微信消息必须有收件人的 OpenID。"):
            actions.enqueue(channel="wechat", kind="matter.accepted", body="x")
        with self.assertRaisesMessage(ValidationError, "消息正文不能为空。"):
            actions.enqueue(channel="inapp", kind="matter.accepted", body="  ", user=self.citizen)
        self.assertEqual(Message.objects.count(), before)

    def test_one_time_codes_are_marked_sensitive(self) -> None:
        message = self.send(kind="otp.login", body="您的登录验证码是 483920，5 分钟内有效。")
        self.assertTrue(message.sensitive)
        self.assertEqual(message.body_masked, "您的登录验证码是 ******，* 分钟内有效。")
        self.assertFalse(self.send().sensitive)


class RetryTestCase(OutboxTestCase):
    def test_backoff_is_one_five_twenty_five_minutes_then_capped(self) -> None:
        minutes = [conf.retry_delay(n).total_seconds() / 60 for n in range(1, 7)]
        self.assertEqual(minutes, [1, 5, 25, 125, 360, 360])

    @override_settings(NOTIFY_SENDERS=FAIL_TWICE)
    def test_a_temporary_failure_schedules_a_retry_with_backoff(self) -> None:
        before = timezone.now()
        message = self.send()
        self.assertEqual(message.status, Message.Status.FAILED)
        self.assertEqual(message.attempts, 1)
        self.assertEqual(message.last_error, "模拟的临时失败（第 1 次尝试）。")
        assert message.next_attempt_at is not None
        self.assertGreaterEqual(message.next_attempt_at, before + dt.timedelta(minutes=1))
        self.assertLess(message.next_attempt_at, timezone.now() + dt.timedelta(minutes=1, seconds=5))
        # Not due yet: a second delivery right away does nothing.
        self.assertIsNone(actions.deliver(message.pk))

        message = deliver_after_backoff(message)
        self.assertEqual((message.status, message.attempts), (Message.Status.FAILED, 2))
        assert message.next_attempt_at is not None
        self.assertGreaterEqual(message.next_attempt_at, timezone.now() + dt.timedelta(minutes=4, seconds=55))

        message = deliver_after_backoff(message)
        self.assertEqual((message.status, message.attempts), (Message.Status.SENT, 3))
        self.assertEqual(message.provider_message_id, f"local-{message.pk}")

    @override_settings(NOTIFY_SENDERS=FAIL_ALWAYS)
    def test_it_gives_up_after_max_attempts(self) -> None:
        message = self.send(max_attempts=3)
        for _ in range(2):
            make_due(message)
            actions.deliver(message.pk)
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (Message.Status.DEAD, 3))
        self.assertIsNone(message.next_attempt_at)
        self.assertEqual(message.last_error, "模拟的临时失败（第 3 次尝试）。")
        self.assertIsNone(actions.deliver(message.pk))
        self.assertEqual(actions.deliver_due(), 0)

    @override_settings(NOTIFY_SENDERS=FAIL_PERMANENTLY)
    def test_a_permanent_failure_is_dead_at_once(self) -> None:
        message = self.send()
        self.assertEqual((message.status, message.attempts), (Message.Status.DEAD, 1))
        self.assertEqual(message.last_error, "模拟的永久失败：收件人无法接收。")

    @override_settings(NOTIFY_SENDERS=EXPLODING)
    def test_a_crashing_sender_counts_as_a_temporary_failure(self) -> None:
        with self.assertLogs("fawang.notify.actions", "ERROR"):
            message = self.send()
        self.assertEqual((message.status, message.attempts), (Message.Status.FAILED, 1))
        self.assertEqual(message.last_error, "RuntimeError: gateway client crashed")

    def test_an_inapp_message_whose_user_is_gone_is_dead(self) -> None:
        with self.captureOnCommitCallbacks() as callbacks:
            message = actions.enqueue(
                channel="inapp", kind="matter.accepted", body="已受理", user=self.citizen
            )
        Message.objects.filter(pk=message.pk).update(user=None)
        for callback in callbacks:
            callback()
        message.refresh_from_db()
        self.assertEqual(message.status, Message.Status.DEAD)
        self.assertEqual(message.last_error, "站内信没有收件用户，无法投递。")


class ClaimTestCase(OutboxTestCase):
    def queued(self) -> Message:
        with self.captureOnCommitCallbacks(execute=False):
            return actions.enqueue(channel="sms", kind="matter.accepted", body="已受理", phone="13800000000")

    def test_a_message_cannot_be_claimed_twice(self) -> None:
        message = self.queued()
        first = actions.claim(message.pk)
        assert first is not None
        self.assertEqual((first.status, first.attempts), (Message.Status.SENDING, 1))
        self.assertIsNone(actions.claim(message.pk))  # a second worker gets nothing
        self.assertIsNone(actions.deliver(message.pk))
        first.refresh_from_db()
        self.assertEqual((first.status, first.attempts), (Message.Status.SENDING, 1))
        # Even past its lease a row being sent is not claimable: only the scan's recovery releases it.
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
        self.assertIsNone(actions.claim(message.pk))

    def test_a_send_stuck_past_its_lease_is_retried_by_the_scan(self) -> None:
        message = self.queued()
        actions.claim(message.pk)  # the worker dies here
        self.assertEqual(actions.deliver_due(), 0)  # still within the lease
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
        self.assertEqual(actions.deliver_due(), 1)
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (Message.Status.SENT, 2))

    def test_the_scan_delivers_due_messages_up_to_its_limit(self) -> None:
        sent_before = Message.objects.filter(
            status=Message.Status.SENT
        ).count()  # the demo data's messages are sent already
        for _ in range(3):
            self.queued()
        self.assertEqual(actions.deliver_due(limit=2), 2)
        self.assertEqual(Message.objects.filter(status=Message.Status.SENT).count(), sent_before + 2)
        self.assertEqual(actions.deliver_due(), 1)
        self.assertEqual(actions.deliver_due(), 0)

    def test_the_task_tolerates_a_message_that_has_gone(self) -> None:
        message = self.queued()
        Message.objects.filter(pk=message.pk).delete()
        self.assertIsNone(deliver_message.call(message.pk))
        self.assertIsNone(actions.deliver(message.pk))


@override_settings(NOTIFY_SENDERS=FAIL_PERMANENTLY)
class RetryDeadTestCase(OutboxTestCase):
    def test_staff_requeue_a_dead_message(self) -> None:
        message = self.send()
        self.assertEqual(message.status, Message.Status.DEAD)
        with override_settings(NOTIFY_SENDERS={}), self.captureOnCommitCallbacks(execute=True):
            requeued = actions.retry_dead(message.pk, actor=self.sm_supervisor)
        self.assertEqual((requeued.status, requeued.attempts), (Message.Status.QUEUED, 0))
        self.assertEqual(requeued.requeued_by, self.sm_supervisor)
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (Message.Status.SENT, 1))
        # The reason it died stays on the row for reference.
        self.assertEqual(message.last_error, "模拟的永久失败：收件人无法接收。")

    def test_only_dead_messages_can_be_requeued(self) -> None:
        with override_settings(NOTIFY_SENDERS={}):
            message = self.send()
        with self.assertRaisesMessage(ValidationError, "只有死信消息可以重新发送。"):
            actions.retry_dead(message.pk, actor=self.sm_supervisor)

    def test_one_time_codes_cannot_be_requeued_by_staff(self) -> None:
        message = self.send(kind="otp.login", body="验证码 483920")
        with self.assertRaisesMessage(
            ValidationError, "验证码等敏感消息不能由工作人员重新发送，请当事人重新获取。"
        ):
            actions.retry_dead(message.pk, actor=self.sysadmin)
        message.refresh_from_db()
        self.assertEqual(message.status, Message.Status.DEAD)

    def test_other_districts_and_roles_cannot_requeue(self) -> None:
        message = self.send()
        with self.assertRaises(Http404):
            actions.retry_dead(message.pk, actor=self.hl_supervisor)
        # A legal-aid centre reads no region's messages (only those about matters it sees): the same 404.
        with self.assertRaises(Http404):
            actions.retry_dead(message.pk, actor=self.sm_handler)
        huli = self.send(region_code=HULI)
        with self.assertRaises(Http404):
            actions.retry_dead(huli.pk, actor=self.sm_supervisor)
        self.assertEqual(actions.retry_dead(huli.pk, actor=self.xm_supervisor).status, Message.Status.QUEUED)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}})
class TaskRowInTheSameTransactionTestCase(OutboxTestCase):
    """With tasks stored in this database (django_tasks_db, as in production), the delivery task is written in
    the caller's transaction: it commits with the message, or neither does — one commit per intake. Messages
    queued close together share one batch task; a one-time code has a task of its own."""

    def setUp(self) -> None:
        super().setUp()
        actions._batch_runs_at = None  # no batch task queued by this process yet
        self.addCleanup(setattr, actions, "_batch_runs_at", None)

    def enqueue(self, phone: str = "13800000000", **kwargs: Any) -> Message:
        return self.send(phone=phone, **{"body": "已受理。", **kwargs})

    def test_the_task_row_commits_and_rolls_back_with_the_message(self) -> None:
        from django.db import transaction
        from django_tasks_db.models import DBTaskResult

        before = timezone.now()
        self.enqueue()
        row = DBTaskResult.objects.get()
        self.assertEqual(row.task_path, "fawang.notify.tasks.deliver_queued")
        self.assertGreater(row.run_after, before)  # deferred a moment, for the messages that follow
        actions._batch_runs_at = None  # as if that task had run: the next message queues a task again
        with self.assertRaises(RuntimeError), transaction.atomic():
            actions.enqueue(channel="sms", kind="matter.accepted", body="已受理。", phone="13800000001")
            raise RuntimeError("the caller's transaction fails")
        self.assertEqual(DBTaskResult.objects.count(), 1)
        self.assertFalse(Message.objects.filter(phone="13800000001").exists())
        self.assertIsNone(actions._batch_runs_at)  # the rolled-back task counts for nothing

    def test_a_burst_of_messages_shares_one_task_that_delivers_them_all(self) -> None:
        from unittest import mock

        from django_tasks_db.models import DBTaskResult

        burst = [self.enqueue(phone=f"1380000000{i}") for i in range(5)]
        self.assertEqual(DBTaskResult.objects.count(), 1)
        # Less than half a window before that task runs, the next message queues a task of its own.
        later = timezone.now() + actions.BATCH_WINDOW * 0.6
        with mock.patch.object(actions.timezone, "now", return_value=later):
            burst.append(self.enqueue(phone="13800000009"))
        self.assertEqual(DBTaskResult.objects.count(), 2)
        # The first task to run (when both are due) delivers every message; the second finds nothing left.
        first, second = DBTaskResult.objects.order_by("run_after")
        with mock.patch.object(actions.timezone, "now", return_value=second.run_after):
            self.assertEqual(first.task.call(), 6)
            self.assertEqual(second.task.call(), 0)
        for message in burst:
            message.refresh_from_db()
            self.assertEqual((message.status, message.attempts), (Message.Status.SENT, 1))
            self.assertEqual(message.provider_message_id, f"local-{message.pk}")

    def test_a_one_time_code_has_a_task_of_its_own(self) -> None:
        from django_tasks_db.models import DBTaskResult

        code = self.enqueue(kind="otp.login", body="您的登录验证码是 483920，5 分钟内有效。")
        row = DBTaskResult.objects.get()
        self.assertEqual(row.task_path, "fawang.notify.tasks.deliver_message")
        self.assertEqual(row.args_kwargs["args"], [code.pk])
        self.assertIsNone(actions._batch_runs_at)


class BatchDeliveryTestCase(OutboxTestCase):
    """The batch task and the periodic scan claim many due messages at once and record the sent ones together."""

    def queued(self, phone: str = "13800000000", **kwargs: Any) -> Message:
        return self.send(deliver=False, phone=phone, **{"body": "已受理", **kwargs})  # no delivery of its own

    def test_batches_deliver_every_due_message_once(self) -> None:
        messages = [self.queued(phone=f"1380000000{i}") for i in range(5)]
        self.assertEqual(actions.deliver_batch(limit=2), 2)
        self.assertEqual(actions.deliver_queued(limit=2), 3)  # two more batches, the last one short
        self.assertEqual(actions.deliver_queued(), 0)
        self.assertEqual(actions.deliver_due(), 0)
        for message in messages:
            message.refresh_from_db()
            self.assertEqual((message.status, message.attempts), (Message.Status.SENT, 1))
            self.assertEqual(message.provider_message_id, f"local-{message.pk}")
            self.assertIsNotNone(message.sent_at)
            self.assertIsNone(message.next_attempt_at)

    def test_sent_messages_are_recorded_in_updates_of_a_bounded_size(self) -> None:
        messages = [self.queued(phone=f"1380000000{i}") for i in range(5)]
        with mock.patch.object(actions, "SENT_UPDATE_SIZE", 2):
            self.assertEqual(actions.deliver_batch(), 5)
        for message in messages:
            message.refresh_from_db()
            self.assertEqual(
                (message.status, message.provider_message_id), (Message.Status.SENT, f"local-{message.pk}")
            )
            self.assertIsNone(message.next_attempt_at)

    def test_a_message_already_recorded_as_sent_keeps_its_record(self) -> None:
        first, second = self.queued(), self.queued(phone="13800000001")
        claimed = actions.claim_batch(10)
        self.assertEqual({m.pk for m in claimed}, {first.pk, second.pk})
        # Recorded meanwhile by another worker, with its gateway's id.
        Message.objects.filter(pk=first.pk).update(status=Message.Status.SENT, provider_message_id="gw-1")
        for message in claimed:
            message.provider_message_id = f"local-{message.pk}"
        actions._record_sent_batch(claimed)
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((first.status, first.provider_message_id), (Message.Status.SENT, "gw-1"))
        self.assertEqual(
            (second.status, second.provider_message_id), (Message.Status.SENT, f"local-{second.pk}")
        )

    def test_a_message_being_sent_is_not_claimed_again(self) -> None:
        taken = self.queued()
        self.assertIsNotNone(actions.claim(taken.pk))  # another worker has it
        self.assertEqual(actions.claim_batch(10), [])
        other = self.queued(phone="13800000001")
        self.assertEqual([m.pk for m in actions.claim_batch(10)], [other.pk])
        self.assertIsNone(actions.claim(other.pk))
        self.assertEqual(actions.claim_batch(10), [])

    @override_settings(NOTIFY_SENDERS=FAIL_TWICE)
    def test_a_failure_waits_for_its_retry_and_the_rest_of_the_batch_is_sent(self) -> None:
        sms = self.queued()
        inapp = self.queued(channel="inapp", phone="", user=self.citizen)
        self.assertEqual(actions.deliver_batch(), 2)
        sms.refresh_from_db()
        inapp.refresh_from_db()
        self.assertEqual((sms.status, sms.attempts), (Message.Status.FAILED, 1))
        self.assertEqual(sms.last_error, "模拟的临时失败（第 1 次尝试）。")
        assert sms.next_attempt_at is not None
        self.assertGreater(sms.next_attempt_at, timezone.now())
        self.assertEqual((inapp.status, inapp.attempts), (Message.Status.SENT, 1))
        self.assertEqual(actions.deliver_batch(), 0)  # the retry is not due yet

    def test_a_batch_past_half_its_lease_puts_the_rest_back_in_the_queue(self) -> None:
        """A slow gateway: after the first message the clock has passed half the claim's lease, so the other two
        go back to the queue, due at once and their attempt not counted, instead of being sent late and then
        again by the periodic scan when the lease runs out."""
        from unittest import mock

        messages = [self.queued(phone=f"1380000000{i}") for i in range(3)]
        start = timezone.now()
        slow = iter([start, start, start + dt.timedelta(seconds=301)])
        with mock.patch.object(
            actions.timezone, "now", side_effect=lambda: next(slow, start + dt.timedelta(seconds=302))
        ):
            self.assertEqual(actions.deliver_batch(), 3)
        for message in messages:
            message.refresh_from_db()
        self.assertEqual(
            [m.status for m in messages], [Message.Status.SENT, Message.Status.QUEUED, Message.Status.QUEUED]
        )
        self.assertEqual([m.attempts for m in messages], [1, 0, 0])
        later = start + dt.timedelta(seconds=303)
        with mock.patch.object(actions.timezone, "now", return_value=later):
            self.assertEqual(actions.deliver_batch(), 2)  # due again at once, and sent once
        for message in messages:
            message.refresh_from_db()
            self.assertEqual((message.status, message.attempts), (Message.Status.SENT, 1))

    def test_a_one_time_code_sent_in_a_batch_is_kept_masked(self) -> None:
        code = self.queued(kind="otp.login", body="您的登录验证码是 483920，5 分钟内有效。")
        plain = self.queued(phone="13800000001")
        self.assertEqual(actions.deliver_batch(), 2)
        code.refresh_from_db()
        plain.refresh_from_db()
        self.assertEqual(code.status, Message.Status.SENT)
        self.assertEqual(code.body, "您的登录验证码是 ******，* 分钟内有效。")
        self.assertEqual((plain.status, plain.body), (Message.Status.SENT, "已受理"))


class BusyRecordTestCase(OutboxTestCase):
    """A message went out but the database was too busy to record it (bench/bench_faults.py): the record waits and
    is tried again, so the lease does not run out and the message is not sent a second time."""

    def queued(self) -> Message:
        with override_settings(NOTIFY_SENDERS={"sms": "fawang.notify.tests.helpers.ExplodingSender"}):
            message = self.send()  # its first try fails: the message waits for its retry
        make_due(message)
        return message

    def test_a_sent_message_is_recorded_once_the_database_answers(self) -> None:
        from unittest import mock

        from django.db import OperationalError

        message = self.queued()
        real = actions._mark_sent
        answers = iter([OperationalError("database is locked"), OperationalError("database is locked"), None])

        def busy_twice(pk: int, fields: dict[str, object]) -> None:
            error = next(answers)
            if error is not None:
                raise error
            real(pk, fields)

        with (
            mock.patch.object(actions, "_mark_sent", side_effect=busy_twice) as mark,
            mock.patch.object(actions.time, "sleep") as sleep,
            mock.patch.object(actions.transaction, "get_connection") as connection,
        ):
            connection.return_value.in_atomic_block = False  # as in the worker, outside any transaction
            delivered = actions.deliver(message.pk)
        assert delivered is not None
        self.assertEqual(delivered.status, Message.Status.SENT)
        self.assertEqual(delivered.attempts, 2)  # the failed first try and this one: no extra send
        self.assertEqual(mark.call_count, 3)
        self.assertEqual([c.args[0] for c in sleep.call_args_list], [0.2, 0.5])

    def test_an_error_that_is_not_busy_is_not_retried(self) -> None:
        from unittest import mock

        from django.db import OperationalError

        message = self.queued()
        with (
            mock.patch.object(actions, "_mark_sent", side_effect=OperationalError("no such table")),
            mock.patch.object(actions.time, "sleep") as sleep,
            mock.patch.object(actions.transaction, "get_connection") as connection,
            self.assertRaises(OperationalError),
        ):
            connection.return_value.in_atomic_block = False
            actions.deliver(message.pk)
        sleep.assert_not_called()
