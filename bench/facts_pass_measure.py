"""The supervision facts' scheduler pass (``insights.rollup.refresh_changed``) at a million matters, run by
bench_facts_pass inside a Django process on its database. Prints one JSON object.

Each pass follows a minute's work: PASS_MATTERS matters submitted in the last three weeks are saved
(``updated_at`` = now), then ``changed_days`` alone is timed, and the whole pass. The baseline passes come first, with
the way ``changed_days`` read the saved matters before (their four timestamps through ``iterator()``: a
server-side cursor, WITH HOLD in the scheduler's autocommit) and without the index on ``updated_at``; then the
index is built (timed) and the same passes run with the code as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from fawang.insights import rollup  # noqa: E402
from fawang.matters.models import Evaluation, Matter  # noqa: E402

PASSES = 5
PASS_MATTERS = 20


def changed_days_before(since: dt.datetime, now: dt.datetime) -> set[dt.date]:
    """``rollup.changed_days`` as it was before the index (the baseline)."""
    tz = rollup._tz()
    days: set[dt.date] = {now.astimezone(tz).date(), (now - dt.timedelta(days=1)).astimezone(tz).date()}
    changed = Matter.objects.filter(updated_at__gte=since).values_list(
        "submitted_at", "accepted_at", "completed_at", "escalated_at"
    )
    for row in changed.iterator(chunk_size=2000):
        days.update(moment.astimezone(tz).date() for moment in row if moment is not None)
    rated = Evaluation.objects.filter(created_at__gte=since).values_list("created_at", flat=True)
    days.update(moment.astimezone(tz).date() for moment in rated)
    return days


def _passes(changed_days: Callable[[dt.datetime, dt.datetime], set[dt.date]]) -> dict[str, Any]:
    recent = list(
        Matter.objects.filter(submitted_at__gte=timezone.now() - dt.timedelta(days=21))
        .order_by("?")
        .values_list("pk", flat=True)[: PASSES * PASS_MATTERS]
    )
    whole, alone, days = [], [], []
    with mock.patch.object(rollup, "changed_days", changed_days):
        for i in range(PASSES):
            now = timezone.now()
            Matter.objects.filter(pk__in=recent[i * PASS_MATTERS : (i + 1) * PASS_MATTERS]).update(
                updated_at=now
            )
            last = rollup._state().refreshed_at
            assert last is not None  # main() ran a first pass
            since = last - dt.timedelta(minutes=5)
            started = time.perf_counter()
            days.append(len(changed_days(since, now)))
            alone.append(time.perf_counter() - started)
            started = time.perf_counter()
            rollup.refresh_changed()
            whole.append(time.perf_counter() - started)
    return {"pass": whole, "changed_days": alone, "days": days}


def main() -> None:
    rollup.refresh_changed()  # the first pass after the load: whatever the load left to do
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS matter_updated")
        cursor.execute("ANALYZE matters_matter")
    before = _passes(changed_days_before)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX matter_updated ON matters_matter (updated_at)")
        cursor.execute("ANALYZE matters_matter")
    index = time.perf_counter() - started
    after = _passes(rollup.changed_days)
    print(
        json.dumps(
            {
                "matters": Matter.objects.count(),
                "before": before,
                "after": after,
                "index": index,
                "median": {
                    side: {k: statistics.median(v[k]) for k in ("pass", "changed_days")}
                    for side, v in (("before", before), ("after", after))
                },
            }
        )
    )


if __name__ == "__main__":
    main()
