"""咨询热点: consultations of the last DAYS days in the user's regions by topic (所涉领域, chosen at intake or
suggested by the classifier), most asked first — consultation's card on the supervisors' page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.utils import timezone

from fawang.catalog.models import BusinessLine
from fawang.matters.models import Matter

DAYS = 30
SHOWN = 10


def hotspots(user: Any, now: dt.datetime) -> list[dict[str, Any]]:
    rows = (
        Matter.objects.visible_to(user)
        .filter(
            service_item__business_line=BusinessLine.CONSULTATION,
            submitted_at__gte=now - dt.timedelta(days=DAYS),
        )
        .values("topic_id", "topic__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "topic__name")
    )
    return [dict(row) for row in rows[:SHOWN]]


def board_context(user: Any) -> dict[str, Any]:
    return {"hotspots": hotspots(user, timezone.now()), "hotspot_days": DAYS}
