"""Remind parties and mediators of the 30-day judicial-confirmation period, and resend the failed outcome reports
that are due (the scheduler's mediation job does the same on every pass; this runs it by hand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fawang.mediation.actions import send_confirmation_reminders
from fawang.mediation.tasks import resend_failed_reports


class Command(BaseCommand):
    help = "人民调解：司法确认期限提醒，重发回传失败的调解结果。"

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = send_confirmation_reminders()
        retried = resend_failed_reports()
        self.stdout.write(f"reminded {reminded} agreements, resent {retried} reports")
