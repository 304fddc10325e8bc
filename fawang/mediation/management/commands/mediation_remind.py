"""Daily: remind parties and mediators of the 30-day judicial-confirmation period, and resend failed outcome
reports to referrers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fawang.mediation.actions import send_confirmation_reminders
from fawang.mediation.models import Referral
from fawang.mediation.tasks import MAX_ATTEMPTS, report_outcome


class Command(BaseCommand):
    help = "人民调解：司法确认期限提醒，重发回传失败的调解结果。"

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = send_confirmation_reminders()
        retried = 0
        for pk in Referral.objects.filter(
            report=Referral.Report.FAILED, report_attempts__lt=MAX_ATTEMPTS
        ).values_list("pk", flat=True):
            report_outcome.enqueue(pk)
            retried += 1
        self.stdout.write(f"reminded {reminded} agreements, resent {retried} reports")
