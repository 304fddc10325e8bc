"""Grow a year of generated activity to BENCH_INSIGHTS_MATTERS matters inside PostgreSQL, for the rollup benchmark
at the issue's scale (issue 21: 10,000,000 matters). ``load_activity`` makes every matter in Python (about a
millisecond each: hours at 10M); this copies the year it made, in SQL, until the table holds the asked number.

Copy k (1 … K-1) of matter m:

- keeps its region, unit, service item, topic, channel, status, person, description and result (so the mix by
  place, item, topic and channel is the generated year's, and the handling times are its own);
- moves every timestamp by the same whole number of weeks, ``(17·k + m.id) mod 52``, and back by 364 days when that
  would pass the year's last day (BENCH_INSIGHTS_END, as given to ``load_activity --end``) (so the weekday rhythm holds and the matters stay inside the year);
- gets the id ``k·1,000,000 + m.id`` and the tracking number ``FB`` + that id (no idempotency key, no parent);
- brings its rating (``matters_evaluation``, moved by the same weeks) and its complaint (``matters_complaint``,
  about the copy of the matter complained about, when there is one).

The copies have no events, outbox messages or attachments (nothing of the rollup or the supervisor pages reads
them). The bulk insert runs without the plain indexes of the three tables and without foreign-key triggers
(``session_replication_role = replica``); the indexes are then built again from their own definitions, and the
tables VACUUM ANALYZEd, as a database that grew by intake would be after autovacuum.

Run with DATABASE_URL on a database that ``load_activity`` filled: ``python -m bench.insights_scale``; prints one
JSON line (matters, seconds per phase).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import django
from django.db.backends.utils import CursorWrapper

TARGET = int(os.environ.get("BENCH_INSIGHTS_MATTERS", "10000000"))
STRIDE = 1_000_000  # copy k's ids start at k · STRIDE; the generated year's ids are below it
TABLES = ("matters_matter", "matters_evaluation", "matters_complaint")
TIMESTAMPS = (
    "step_started_at",
    "due_at",
    "warn_at",
    "clock_paused_at",
    "materials_due_at",
    "warned_at",
    "escalated_at",
    "submitted_at",
    "accepted_at",
    "completed_at",
    "closed_at",
    "rating_invited_at",
    "sampled_at",
    "created_at",
    "updated_at",
)
# The shift of copy k of matter m: whole weeks, wrapped back by 364 days past the year's last moment (%(end)s).
SHIFT = (
    "CASE WHEN m.submitted_at + make_interval(weeks => ((17 * k + m.id) %% 52)::int) > %(end)s "
    "THEN make_interval(weeks => ((17 * k + m.id) %% 52)::int) - interval '364 days' "
    "ELSE make_interval(weeks => ((17 * k + m.id) %% 52)::int) END"
)


def _columns(cursor: CursorWrapper, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [r[0] for r in cursor.fetchall()]


def grow(target: int = TARGET) -> dict[str, float]:
    from django.conf import settings
    from django.db import connection, transaction

    timings: dict[str, float] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), max(id), max(submitted_at) FROM matters_matter WHERE id < %s", [STRIDE]
        )
        base, top, end = cursor.fetchone()
        if os.environ.get("BENCH_INSIGHTS_END"):
            # The generated year's last day (the demo's own matters, made today, would stretch it to today).
            day = dt.date.fromisoformat(os.environ["BENCH_INSIGHTS_END"]) + dt.timedelta(days=1)
            end = dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))
        if top >= STRIDE:
            raise SystemExit("the generated year's ids reach the copies' range")
        cursor.execute("SELECT count(*) FROM matters_matter WHERE id >= %s", [STRIDE])
        if cursor.fetchone()[0]:
            raise SystemExit("this database was grown already")
        copies = max(1, -(-target // base))  # ceil: the generated year and copies 1 … copies-1

        # The plain indexes go, and come back built in one pass each (primary keys and unique constraints stay).
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [list(TABLES)],
        )
        indexes = cursor.fetchall()
        started = time.perf_counter()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")

        cols = _columns(cursor, "matters_matter")
        values = []
        for col in cols:
            if col == "id":
                values.append(f"k * {STRIDE} + m.id")
            elif col == "tracking_no":
                values.append(f"'FB' || lpad((k * {STRIDE} + m.id)::text, 14, '0')")
            elif col in ("idempotency_key", "parent_id"):
                values.append("NULL")
            elif col in TIMESTAMPS:
                values.append(f"m.{col} + s.shift")
            else:
                values.append(f"m.{col}")
        lateral = f"CROSS JOIN LATERAL (SELECT {SHIFT} AS shift) s"
        series = "generate_series(1, %(last)s) k"
        params = {"end": end, "last": copies - 1, "stride": STRIDE}
        cursor.execute(
            f"INSERT INTO matters_matter ({', '.join(cols)}) SELECT {', '.join(values)} "  # noqa: S608 (names)
            f"FROM matters_matter m CROSS JOIN {series} {lateral} WHERE m.id < %(stride)s",
            params,
        )
        timings["matters"] = time.perf_counter() - started

        started = time.perf_counter()
        cols = _columns(cursor, "matters_evaluation")
        values = [
            f"k * {STRIDE} + ev.{c}"
            if c in ("id", "matter_id")
            else "ev.created_at + s.shift"
            if c == "created_at"
            else f"ev.{c}"
            for c in cols
        ]
        cursor.execute(
            f"INSERT INTO matters_evaluation ({', '.join(cols)}) SELECT {', '.join(values)} "  # noqa: S608
            f"FROM matters_evaluation ev JOIN matters_matter m ON m.id = ev.matter_id CROSS JOIN {series} {lateral} "
            "WHERE ev.matter_id < %(stride)s",
            params,
        )
        cols = _columns(cursor, "matters_complaint")
        values = [
            f"k * {STRIDE} + c.{col}" if col in ("id", "matter_id", "about_matter_id") else f"c.{col}"
            for col in cols
        ]
        cursor.execute(
            f"INSERT INTO matters_complaint ({', '.join(cols)}) SELECT {', '.join(values)} "  # noqa: S608
            f"FROM matters_complaint c CROSS JOIN {series} WHERE c.matter_id < %(stride)s",
            params,
        )
        timings["ratings and complaints"] = time.perf_counter() - started

        started = time.perf_counter()
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table in TABLES:
            top = f"SELECT max(id) FROM {table}"  # noqa: S608 (a constant of this module)
            cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({top}))", [table])
        timings["indexes"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE " + ", ".join(TABLES))
        cursor.execute("SELECT count(*) FROM matters_matter")
        timings["matters_total"] = cursor.fetchone()[0]
    timings["vacuum"] = time.perf_counter() - started
    return timings


def main() -> None:
    django.setup()
    print(json.dumps(grow()))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
