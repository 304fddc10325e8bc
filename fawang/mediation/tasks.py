"""Background work of the mediation line: reporting a referred case's outcome back to the referrer (结果回传), and the
daily reminders of the 30-day judicial-confirmation period (第三十三条)."""

from __future__ import annotations

import json
import time
import urllib.request

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from fawang.audit import actions as audit

from . import signing
from .actions import outcome_of
from .models import Referral

MAX_ATTEMPTS = 5  # then the committee tells the referrer by other means


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
        row.reported_at = timezone.now() if ok else row.reported_at
        row.save(update_fields=["report_attempts", "report", "reported_at"])
        audit.record(
            "mediation.report",
            actor=None,
            target=row.case,
            unit=row.case.unit,
            diff=({}, {"report": row.report, "attempts": row.report_attempts}),
        )
    return row.report


@task()
def daily_task() -> int:
    """Per scheduler pass (idempotent): remind parties and mediators of the 30-day judicial-confirmation period, once
    per agreement. Failed outcome reports are sent again by ``manage.py mediation_remind``."""
    from .actions import send_confirmation_reminders

    return send_confirmation_reminders()
