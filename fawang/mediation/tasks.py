"""Background work of the mediation line: reporting a referred case's outcome back to the referrer (结果回传), sending a
failed report again with growing intervals, and the daily reminders of the 30-day judicial-confirmation period
(第三十三条)."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from fawang.audit import actions as audit
from fawang.lib import signing

from .actions import outcome_of
from .models import Referral

# After the n-th failed attempt the report is sent again once RETRY_DELAYS[n - 1] has passed since that attempt: a
# referrer's system that is down for a moment gets it minutes later, one down for a day still gets it. After the last
# the committee tells the referrer by other means (the case page shows 回传失败).
RETRY_DELAYS = (
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
    dt.timedelta(hours=24),
)
MAX_ATTEMPTS = 1 + len(RETRY_DELAYS)


def post_json(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body`` to ``url``; the HTTP status (tests replace this)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - partner's https URL
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return int(response.status)


@task()
def report_outcome(referral_id: int) -> str | None:
    """Send the outcome of a referred case to the referrer's callback address, signed with its secret. The referrer
    can also read it any time from the API (``GET /api/v1/mediation/referrals/<reference>/``)."""
    referral = Referral.objects.select_related("case__unit", "partner").filter(pk=referral_id).first()
    if referral is None or referral.report not in (Referral.Report.PENDING, Referral.Report.FAILED):
        return None
    partner = referral.partner
    if partner is None or not partner.callback_url:
        return referral.report  # entered at the console: the committee tells the referrer itself
    payload = {"reference_no": referral.reference_no, **outcome_of(referral.case)}
    body = json.dumps(payload, ensure_ascii=False).encode()
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Partner": partner.key_id,
        "X-Timestamp": stamp,
        "X-Signature": signing.sign(partner.secret, stamp, body),
    }
    try:
        ok = 200 <= post_json(partner.callback_url, body, headers) < 300
    except OSError:
        ok = False
    with transaction.atomic():
        row = Referral.objects.select_for_update().get(pk=referral.pk)
        row.report_attempts += 1
        row.report = Referral.Report.SENT if ok else Referral.Report.FAILED
        row.report_tried_at = timezone.now()
        row.reported_at = row.report_tried_at if ok else row.reported_at
        row.save(update_fields=["report_attempts", "report", "report_tried_at", "reported_at"])
        audit.record(
            "mediation.report",
            actor=None,
            target=row.case,
            unit=row.case.unit,
            diff=({}, {"report": row.report, "attempts": row.report_attempts}),
        )
    return row.report


def retry_due_at(referral: Referral) -> dt.datetime | None:
    """When a failed report is next sent (None: not failed, or no attempt left)."""
    if referral.report != Referral.Report.FAILED or not 1 <= referral.report_attempts < MAX_ATTEMPTS:
        return None
    if referral.report_tried_at is None:  # failed before the time of each attempt was kept: due now
        return timezone.now()
    return referral.report_tried_at + RETRY_DELAYS[referral.report_attempts - 1]


def resend_failed_reports(now: dt.datetime | None = None) -> int:
    """Send again every failed report whose interval has passed. Each is claimed by a conditional UPDATE (FAILED
    with the same attempt count -> PENDING) before it is enqueued, so two scheduler passes or a pass and
    ``manage.py mediation_remind`` never send one twice; the number claimed."""
    now = now or timezone.now()
    claimed = 0
    rows = Referral.objects.filter(
        report=Referral.Report.FAILED, report_attempts__gte=1, report_attempts__lt=MAX_ATTEMPTS
    ).only("pk", "report", "report_attempts", "report_tried_at")
    for referral in rows:
        due = retry_due_at(referral)
        if due is None or due > now:
            continue
        if (
            Referral.objects.filter(
                pk=referral.pk, report=Referral.Report.FAILED, report_attempts=referral.report_attempts
            ).update(report=Referral.Report.PENDING)
            != 1
        ):
            continue
        pk = referral.pk
        transaction.on_commit(lambda pk=pk: report_outcome.enqueue(pk))  # type: ignore[misc]
        claimed += 1
    return claimed


@task()
def daily_task() -> int:
    """Per scheduler pass (idempotent): remind parties and mediators of the 30-day judicial-confirmation period, once
    per agreement; tell a warning's unit when its follow-up is overdue, once per follow-up date; send again the failed
    outcome reports that are due (RETRY_DELAYS)."""
    from .actions import remind_overdue_warnings, send_confirmation_reminders

    return send_confirmation_reminders() + remind_overdue_warnings() + resend_failed_reports()
