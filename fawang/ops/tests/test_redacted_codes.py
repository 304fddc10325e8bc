"""Data at rest: a one-time code does not stay readable in the outbox once it is sent, or once it never can be."""

from __future__ import annotations

from django.test import override_settings

from fawang.notify import actions
from fawang.notify.models import Message
from fawang.notify.tests.helpers import OutboxTestCase

OTP = "您的登录验证码是 483920，5 分钟内有效。"


class RedactedCodesTestCase(OutboxTestCase):
    def test_a_sent_code_is_redacted_and_other_messages_are_kept(self) -> None:
        code = self.send(kind="otp.login", subject="验证码 483920", body=OTP)
        self.assertEqual(code.status, Message.Status.SENT)
        self.assertEqual(
            (code.subject, code.body), ("验证码 ******", "您的登录验证码是 ******，* 分钟内有效。")
        )
        other = self.send(body="您的事项 2026-0001 已受理。")
        self.assertEqual(other.body, "您的事项 2026-0001 已受理。")

    @override_settings(
        NOTIFY_SENDERS={
            "sms": {"BACKEND": "fawang.notify.senders.FailingSender", "OPTIONS": {"failures": 99}}
        }
    )
    def test_a_code_kept_for_a_retry_then_redacted_when_dead(self) -> None:
        code = self.send(kind="otp.login", body=OTP, max_attempts=2)
        self.assertEqual(code.status, Message.Status.FAILED)
        self.assertEqual(code.body, OTP)  # still needed to try again
        Message.objects.filter(pk=code.pk).update(next_attempt_at=code.created_at)
        actions.deliver(code.pk)
        code.refresh_from_db()
        self.assertEqual(code.status, Message.Status.DEAD)
        self.assertNotIn("483920", code.body)

    @override_settings(DEMO=True)
    def test_a_demo_whose_codes_are_shown_anyway_keeps_them_readable_in_its_local_outbox(self) -> None:
        self.assertEqual(self.send(kind="otp.login", body=OTP).body, OTP)
