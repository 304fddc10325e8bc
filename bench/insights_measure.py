"""Measurements of the supervision rollup inside one Django process (run by bench_insights on a database that
``load_activity`` filled); prints one JSON line.

- rebuild: ``rollup.rebuild()`` (one DELETE and one INSERT … SELECT), best and median of RUNS runs;
- DuckDB: the same rollup (same branches, same grouping, same Beijing days) computed by DuckDB from the same rows,
  exported from the database to CSV beforehand (the export is not timed; DuckDB reads the files into its own
  tables, then the query is timed); its totals and row count are checked against the facts;
- incremental: ``rollup.refresh_days([day])`` for DAYS different days (median, worst);
- dashboard: each supervisor page through Django's test client in-process (view, ORM, template), REQUESTS times,
  p50 and p95: first each view computed afresh (a new facts version before each request, as after every refresh of
  the facts: the page's figures are not in the cache), then REQUESTS repeat views of the same page (read from the
  cache under the same version).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django

RUNS = int(os.environ.get("BENCH_INSIGHTS_RUNS", "3"))
DAYS = 5
REQUESTS = int(os.environ.get("BENCH_INSIGHTS_REQUESTS", "40"))


def _export(tmp: Path) -> dict[str, Path]:
    from django.db import connection

    queries = {
        "m": "SELECT id, region_id, service_item_id, topic_id, channel, unit_id, status, submitted_at, accepted_at, "
        "completed_at, escalated_at FROM matters_matter",
        "ev": "SELECT matter_id, level, created_at FROM matters_evaluation",
        "c": "SELECT matter_id, about_matter_id, about_unit_id FROM matters_complaint",
    }
    files = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            path = tmp / f"{name}.csv"
            if connection.vendor == "postgresql":
                # COPY, with the timestamps as whole Unix seconds, cut down as _plain() does (a cast would round
                # 23:59:59.6 up into the next day); 10M rows through Python's csv would take minutes.
                for column in TIME_COLUMNS:
                    sql = sql.replace(
                        f" {column}", f" CAST(floor(extract(epoch FROM {column})) AS bigint) AS {column}"
                    )
                with (
                    path.open("wb") as f,
                    cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER)") as copy,
                ):
                    for block in copy:
                        f.write(block)
            else:
                cursor.execute(sql)
                with path.open("w", newline="") as f:
                    w = csv.writer(f)
                    w.writerow([c[0] for c in cursor.description])
                    while rows := cursor.fetchmany(50_000):
                        desc = cursor.description
                        w.writerows([_plain(v, i, desc) for i, v in enumerate(row)] for row in rows)
            files[name] = path
    return files


TIME_COLUMNS = {"submitted_at", "accepted_at", "completed_at", "escalated_at", "created_at"}


def _plain(value: Any, i: int, description: Any) -> Any:
    """Timestamps as Unix seconds (DuckDB then needs no time zone: the Beijing day is arithmetic)."""
    if value is None or description[i][0] not in TIME_COLUMNS:
        return value
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:  # SQLite keeps UTC without a zone
        value = value.replace(tzinfo=dt.UTC)
    return int(value.timestamp())


def _day(column: str) -> str:
    return f"(DATE '1970-01-01' + CAST(floor(({column} + 28800) / 86400) AS INTEGER))"


DUCK_TEMPLATE = """
WITH x AS (
  SELECT {m_submitted_at} AS day, m.region_id, m.service_item_id, m.topic_id,
         m.channel, m.unit_id, 1 AS received, 0 AS accepted, 0 AS completed, 0 AS on_time, 0 AS overdue,
         0 AS rated, 0 AS good, 0 AS bad, 0 AS complaints FROM m
  UNION ALL
  SELECT {m_accepted_at}, m.region_id, m.service_item_id, m.topic_id, m.channel,
         m.unit_id, 0, 1, 0, 0, 0, 0, 0, 0, 0 FROM m WHERE m.accepted_at IS NOT NULL
  UNION ALL
  SELECT {m_completed_at}, m.region_id, m.service_item_id, m.topic_id, m.channel,
         m.unit_id, 0, 0, 1, CASE WHEN m.escalated_at IS NULL THEN 1 ELSE 0 END, 0, 0, 0, 0, 0 FROM m
  WHERE m.completed_at IS NOT NULL AND m.status IN ('completed', 'closed')
  UNION ALL
  SELECT {m_escalated_at}, m.region_id, m.service_item_id, m.topic_id, m.channel,
         m.unit_id, 0, 0, 0, 0, 1, 0, 0, 0, 0 FROM m WHERE m.escalated_at IS NOT NULL
  UNION ALL
  SELECT {ev_created_at}, m.region_id, m.service_item_id, m.topic_id, m.channel,
         m.unit_id, 0, 0, 0, 0, 0, 1, CASE WHEN ev.level >= 3 THEN 1 ELSE 0 END,
         CASE WHEN ev.level <= 2 THEN 1 ELSE 0 END, 0 FROM ev JOIN m ON m.id = ev.matter_id
  UNION ALL
  SELECT {m_submitted_at}, COALESCE(a.region_id, m.region_id),
         COALESCE(a.service_item_id, m.service_item_id), COALESCE(a.topic_id, m.topic_id),
         COALESCE(a.channel, m.channel), COALESCE(c.about_unit_id, a.unit_id, m.unit_id), 0, 0, 0, 0, 0, 0, 0, 0, 1
  FROM c JOIN m ON m.id = c.matter_id LEFT JOIN m a ON a.id = c.about_matter_id
)
SELECT day, region_id, service_item_id, topic_id, channel, unit_id, SUM(received) AS received,
       SUM(accepted) AS accepted, SUM(completed) AS completed, SUM(on_time) AS on_time, SUM(overdue) AS overdue,
       SUM(rated) AS rated, SUM(good) AS good, SUM(bad) AS bad, SUM(complaints) AS complaints
FROM x GROUP BY day, region_id, service_item_id, topic_id, channel, unit_id
"""
DUCK_ROLLUP = DUCK_TEMPLATE
for _column in ("m.submitted_at", "m.accepted_at", "m.completed_at", "m.escalated_at", "ev.created_at"):
    DUCK_ROLLUP = DUCK_ROLLUP.replace("{" + _column.replace(".", "_") + "}", _day(_column))


def duck(files: dict[str, Path]) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()
    types = {
        "m": {
            "region_id": "VARCHAR",
            "channel": "VARCHAR",
            "status": "VARCHAR",
            "submitted_at": "BIGINT",
            "accepted_at": "BIGINT",
            "completed_at": "BIGINT",
            "escalated_at": "BIGINT",
        },
        "ev": {"created_at": "BIGINT"},
        "c": {},
    }
    for name, path in files.items():
        con.execute(
            f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header=true, types={types[name]!r})"  # noqa: S608
        )
    times = []
    rows: list[Any] = []
    for _ in range(RUNS):
        started = time.perf_counter()
        con.execute(f"CREATE OR REPLACE TABLE facts AS {DUCK_ROLLUP}")
        times.append(time.perf_counter() - started)
    rows = con.execute(
        "SELECT COUNT(*), " + ", ".join(f"SUM({m})" for m in MEASURES) + " FROM facts"  # noqa: S608
    ).fetchall()
    return {"times": times, "rows": rows[0][0], "totals": [int(v or 0) for v in rows[0][1:]]}


MEASURES = ("received", "accepted", "completed", "on_time", "overdue", "rated", "good", "bad", "complaints")


def pages(codes: dict[str, str]) -> list[tuple[str, str, str]]:
    from django.urls import reverse

    out = []
    for user, code in codes.items():
        for name in ("dashboard", "data", "kpi", "hotspots"):
            out.append(
                (
                    user,
                    name,
                    reverse(f"insights:{name}", args=[code])
                    + ("?days=30" if name in ("dashboard", "data") else ""),
                )
            )
        out.append((user, "dashboard 365 d", reverse("insights:dashboard", args=[code]) + "?days=365"))
        out.append((user, "data 365 d", reverse("insights:data", args=[code]) + "?days=365"))
    return out


def _pages() -> dict[str, dict[str, float]]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from fawang.accounts.models import User
    from fawang.insights.models import RollupState

    setup_test_environment()
    client = Client()
    timings: dict[str, list[float]] = {}
    repeats: dict[str, list[float]] = {}

    def timed(url: str) -> float:
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (url, response.status_code)
        return (time.perf_counter() - started) * 1000

    for user, name, url in pages({"xm_supervisor": "3502", "sm_supervisor": "350203"}):
        client.force_login(User.objects.get(username=user))
        client.get(url, HTTP_HOST="127.0.0.1")  # warm
        key = f"{user} {name}"
        for _ in range(REQUESTS):
            # The facts changed (as after every refresh): nothing this page computed before is read again.
            RollupState.objects.filter(name="facts").update(version=uuid.uuid4().hex)
            timings.setdefault(key, []).append(timed(url))
        for _ in range(REQUESTS):
            repeats.setdefault(key, []).append(timed(url))

    def p95(v: list[float]) -> float:
        return sorted(v)[max(0, int(len(v) * 0.95) - 1)]

    return {
        k: {
            "p50": statistics.median(v),
            "p95": p95(v),
            "repeat_p50": statistics.median(repeats[k]),
            "repeat_p95": p95(repeats[k]),
        }
        for k, v in timings.items()
    }


@contextlib.contextmanager
def _timed_statements() -> Iterator[list[tuple[str, float]]]:
    """Every statement run on the default connection inside the block, with its wall seconds."""
    from django.db import connection

    statements: list[tuple[str, float]] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((sql.lstrip(), time.perf_counter() - started))

    with connection.execute_wrapper(timed):
        yield statements


def main() -> None:
    django.setup()
    from django.db import connection
    from django.db.models import Sum

    from fawang.insights import rollup
    from fawang.insights.models import DailyFact
    from fawang.matters.models import Matter

    matters = Matter.objects.count()
    if connection.vendor == "postgresql":
        # As autovacuum would have by now (off on some test servers): statistics for the planner, no dead rows.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    if os.environ.get("BENCH_INSIGHTS_PAGES_ONLY"):
        # The pages only, on facts already built (the rebuild and DuckDB are measured by the full run).
        print(json.dumps({"matters": matters, "dashboards": _pages()}))
        return
    rebuild = []
    daily: list[float] = []
    for _ in range(RUNS):
        with _timed_statements() as statements:
            started = time.perf_counter()
            rows = rollup.rebuild()
            rebuild.append(time.perf_counter() - started)
        # The statement that computes the daily facts, the part DuckDB computes too.
        daily.append(
            sum(
                t
                for sql, t in statements
                if sql.startswith(("CREATE TABLE", "INSERT INTO insights_dailyfact"))
            )
        )
    totals = DailyFact.objects.aggregate(**{m: Sum(m) for m in MEASURES})
    ours = [int(totals[m] or 0) for m in MEASURES]
    with tempfile.TemporaryDirectory() as tmp:
        files = _export(Path(tmp))
        d = duck(files)
    # The five busiest days (most matters received): a refresh of a day reads that day's events.
    busiest = (
        DailyFact.objects.values("day")
        .annotate(n=Sum("received"))
        .order_by("-n")
        .values_list("day", flat=True)[:DAYS]
    )
    incremental = []
    for day in busiest:
        started = time.perf_counter()
        rollup.refresh_days([day])
        incremental.append(time.perf_counter() - started)
    dashboards = _pages()
    print(
        json.dumps(
            {
                "matters": matters,
                "fact_rows": rows,
                "rebuild": rebuild,
                "daily": daily,
                "ours": ours,
                "duck": d,
                "incremental": incremental,
                "dashboards": dashboards,
            }
        )
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
