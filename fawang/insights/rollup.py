"""The daily facts (``DailyFact``), made from the matters by one set-based ``INSERT … SELECT`` that runs the same on
SQLite and PostgreSQL, so that no dashboard ever scans the matters.

Each number is counted on the (Beijing) day of its own event:

- received     ``Matter.submitted_at``
- accepted     ``Matter.accepted_at``
- completed    ``Matter.completed_at`` of a matter that is 已办结 or 已关闭; ``on_time`` those whose last timed step was
               not escalated as overdue (the deadline worker sets ``escalated_at`` when a limit runs out, and a new
               step clears it, so a completed matter with it set missed the limit of the step it was completed in)
- overdue      ``Matter.escalated_at``: the limit ran out that day
- rated/good/bad  ``Evaluation.created_at``; good = 非常满意/满意/基本满意, bad = 不满意/非常不满意 (满意率 = good ÷ rated)
- complaints   the 投诉 matter's ``submitted_at``, counted against the matter (its region, item, topic, channel) and
               unit complained about

The monthly facts (``MonthFact``: month × region cut to the town × item × topic × channel × unit) are summed from
the daily ones with one more ``INSERT … SELECT``, and the district months (``DistrictMonthFact``: month × county ×
item × topic × channel, no town, village or unit) from the monthly ones with a third, by ``rebuild()`` and, for the
months of the days refreshed, by ``refresh_days()``; the dashboards read them for the whole months of a city's or
county's period (``figures``). Two more are summed the same way for a county's or city's pages: the district days
(``DistrictDayFact``: day × county alone, from the daily facts) for the days read with no breakdown or filter,
and the units' district months (``DistrictUnitMonthFact``: month × county × unit, from the monthly facts) for the
ranking of units. ``rebuild()`` and ``refresh_days()`` also put a new ``RollupState.version`` in the same
transaction: the dashboards cache what they computed under it (``figures.cached``).

``rebuild()`` replaces every fact in one statement; ``refresh_days()`` replaces the facts of some days (the same
statement, each branch bounded to the days' time range, so it reads the indexes on the timestamps);
``refresh_changed()`` is the scheduler's job: the days touched by matters changed and ratings made since the last
pass, plus today and yesterday (the deadline worker escalates by UPDATE without touching ``updated_at``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from fawang.matters.models import Complaint, Evaluation, Matter

from .models import (
    DailyFact,
    DistrictDayFact,
    DistrictMonthFact,
    DistrictUnitMonthFact,
    MonthFact,
    RollupState,
)

MEASURES = ("received", "accepted", "completed", "on_time", "overdue", "rated", "good", "bad", "complaints")
DIMENSIONS = ("day", "region_id", "service_item_id", "topic_id", "channel", "unit_id")
# How far back the accepted/completed/escalated/rating branches look from a day, through submitted_at (which is
# indexed): a matter accepted on day D was submitted at most this long before (a day's refresh reads an index
# range, not the whole table). Older events are still counted by the full rebuild.
LOOKBACK = dt.timedelta(days=400)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _day(column: str) -> str:
    """SQL for the local (settings.TIME_ZONE) date of a timestamp column. China has had no daylight saving since
    1991, so today's fixed offset is exact; on PostgreSQL a fixed offset is also about 2.5 times cheaper than the
    zone's name (which looks its rules up for every row: 10 s of a 10M-matter rebuild)."""
    offset = timezone.now().astimezone(_tz()).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    if connection.vendor == "postgresql":
        return f"CAST(({column}) AT TIME ZONE INTERVAL '{minutes} minutes' AS DATE)"
    # SQLite keeps UTC text.
    return f"date({column}, '{minutes:+d} minutes')"


MATTER_DIMS = ("m.region_id", "m.service_item_id", "m.topic_id", "m.channel", "m.unit_id")
# A complaint counts against the matter and unit complained about (or, with none named, the complaint itself).
COMPLAINT_DIMS = (
    "COALESCE(a.region_id, m.region_id)",
    "COALESCE(a.service_item_id, m.service_item_id)",
    "COALESCE(a.topic_id, m.topic_id)",
    "COALESCE(a.channel, m.channel)",
    "COALESCE(c.about_unit_id, a.unit_id, m.unit_id)",
)


def _branch(
    measure: str,
    select_from: str,
    day_col: str,
    where: str,
    extra: dict[str, str] | None = None,
    dims: tuple[str, ...] = MATTER_DIMS,
) -> str:
    extra = extra or {}
    named = ", ".join(f"{expr} AS {name}" for expr, name in zip(dims, DIMENSIONS[1:], strict=True))
    values = ", ".join(extra.get(x, "1" if x == measure else "0") + f" AS {x}" for x in MEASURES)
    # Every name here is a constant of this module or a model's table name; values go in as parameters.
    return f"SELECT {_day(day_col)} AS day, {named}, {values} FROM {select_from} WHERE {where}"  # noqa: S608


def insert_sql(bounded: bool) -> str:
    """The statement: ``select_sql`` into the daily facts."""
    cols = ", ".join((*DIMENSIONS, *MEASURES))
    return f"INSERT INTO {DailyFact._meta.db_table} ({cols})\n{select_sql(bounded)}"


def select_sql(bounded: bool) -> str:
    """The daily facts as a query: one SELECT per event kind, UNION ALL, grouped by the dimensions, each column
    named as the model's. With ``bounded``, every branch takes its event time range as parameters (start, end), and
    the branches of later events also the submitted_at range behind it (start - LOOKBACK, end)."""
    m = Matter._meta.db_table
    e = Evaluation._meta.db_table
    c = Complaint._meta.db_table

    def rng(col: str) -> str:
        if not bounded:
            return f"{col} IS NOT NULL"
        cond = f"{col} >= %s AND {col} < %s"
        if col != "m.submitted_at":
            cond += " AND m.submitted_at >= %s AND m.submitted_at < %s"
        return cond

    branches = [
        _branch("received", f"{m} m", "m.submitted_at", rng("m.submitted_at")),
        _branch("accepted", f"{m} m", "m.accepted_at", rng("m.accepted_at")),
        _branch(
            "completed",
            f"{m} m",
            "m.completed_at",
            rng("m.completed_at") + " AND m.status IN ('completed', 'closed')",
            {"on_time": "CASE WHEN m.escalated_at IS NULL THEN 1 ELSE 0 END"},
        ),
        _branch("overdue", f"{m} m", "m.escalated_at", rng("m.escalated_at")),
        _branch(
            "rated",
            f"{e} ev JOIN {m} m ON m.id = ev.matter_id",
            "ev.created_at",
            rng("ev.created_at"),
            {
                "good": "CASE WHEN ev.level >= 3 THEN 1 ELSE 0 END",
                "bad": "CASE WHEN ev.level <= 2 THEN 1 ELSE 0 END",
            },
        ),
        _branch(
            "complaints",
            f"{c} c JOIN {m} m ON m.id = c.matter_id LEFT JOIN {m} a ON a.id = c.about_matter_id",
            "m.submitted_at",
            rng("m.submitted_at"),
            dims=COMPLAINT_DIMS,
        ),
    ]
    union = "\nUNION ALL\n".join(branches)
    sums = ", ".join(f"SUM({x}) AS {x}" for x in MEASURES)
    group = ", ".join(DIMENSIONS)
    return f"SELECT {group}, {sums} FROM (\n{union}\n) x\nGROUP BY {group}"  # noqa: S608 (constants of this module)


def _state() -> RollupState:
    state, _created = RollupState.objects.get_or_create(name="facts")
    return state


def _month_of(column: str) -> str:
    """SQL for the first day of the month of a date column."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS DATE)"
    return f"strftime('%%Y-%%m-01', {column})"


def _summary_sql(
    target: type[models.Model], source: type[models.Model], keys: dict[str, str], period: str, bounded: bool
) -> str:
    """The statement that fills ``target`` with ``source``'s measures summed by ``keys`` (each of ``target``'s key
    columns and the SQL over ``source`` that gives it); with ``bounded``, only the rows whose ``period`` column lies
    in [start, end) (parameters)."""
    exprs = ", ".join(keys.values())
    sums = ", ".join(f"SUM({x})" for x in MEASURES)
    cols = ", ".join((*keys, *MEASURES))
    where = f"WHERE {period} >= %s AND {period} < %s" if bounded else ""
    return (
        f"INSERT INTO {target._meta.db_table} ({cols})\n"
        f"SELECT {exprs}, {sums} FROM {source._meta.db_table} {where}\nGROUP BY {exprs}"
    )


def _same(*columns: str) -> dict[str, str]:
    return {c: c for c in columns}


def month_sql(bounded: bool) -> str:
    """The monthly facts from the daily ones (``MonthFact``): by month, the region cut to nine digits (towns), and
    the other dimensions; with ``bounded``, only the days in [start, end) (parameters)."""
    keys = {"month": _month_of("day"), "area": "substr(region_id, 1, 9)"}
    keys |= _same("service_item_id", "topic_id", "channel", "unit_id")
    return _summary_sql(MonthFact, DailyFact, keys, "day", bounded)


def district_sql(bounded: bool) -> str:
    """The district months from the monthly facts (``DistrictMonthFact``): by month, the area cut to six digits
    (counties), item, topic and channel; with ``bounded``, only the months in [start, end) (parameters)."""
    keys = {"month": "month", "district": "substr(area, 1, 6)"} | _same(
        "service_item_id", "topic_id", "channel"
    )
    return _summary_sql(DistrictMonthFact, MonthFact, keys, "month", bounded)


def district_day_sql(bounded: bool) -> str:
    """The district days from the daily facts (``DistrictDayFact``): by day and the region cut to six digits
    (counties); with ``bounded``, only the days in [start, end) (parameters)."""
    keys = {"day": "day", "district": "substr(region_id, 1, 6)"}
    return _summary_sql(DistrictDayFact, DailyFact, keys, "day", bounded)


def district_unit_sql(bounded: bool) -> str:
    """The units' district months from the monthly facts (``DistrictUnitMonthFact``): by month, the area cut to
    six digits (counties) and the unit; with ``bounded``, only the months in [start, end) (parameters)."""
    keys = {"month": "month", "district": "substr(area, 1, 6)", "unit_id": "unit_id"}
    return _summary_sql(DistrictUnitMonthFact, MonthFact, keys, "month", bounded)


def _new_version() -> None:
    """A new facts version, written with the facts (a rolled-back refresh leaves the old one)."""
    state = _state()
    RollupState.objects.filter(pk=state.pk).update(version=uuid.uuid4().hex)


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def refresh_months(days: Iterable[dt.date]) -> None:
    """Make the monthly facts, the district months and the units' district months of the months of ``days`` again
    from the daily facts."""
    months = sorted({_first_of_month(day) for day in days})
    by_month = month_sql(bounded=True)
    if connection.vendor != "postgresql":
        by_month = by_month.replace("%%", "%")
    summaries = (
        (MonthFact, by_month),
        (DistrictMonthFact, district_sql(bounded=True)),
        (DistrictUnitMonthFact, district_unit_sql(bounded=True)),
    )
    with connection.cursor() as cursor:
        for month in months:
            for model, sql in summaries:
                model.objects.filter(month=month).delete()
                cursor.execute(sql, [month, _next_month(month)])


# Work memory of a full rebuild on PostgreSQL, per process of its parallel plan: the daily facts' grouping holds one
# entry per fact row (about a gigabyte at 10M matters, 6M facts, within hash_mem_multiplier's default 2 × this);
# with less it spills to disk and takes several times longer.
REBUILD_WORK_MEM = "512MB"


def _swap_in(cursor: CursorWrapper, table: str, select: str) -> int:
    """PostgreSQL: replace every row of ``table`` with the rows of ``select`` (every column but ``id``, by name).

    The rows go into a new table made by ``CREATE TABLE … AS`` (which, unlike INSERT … SELECT, may run the query
    in parallel, and writes its rows in bulk), cast to the old table's column types and numbered; the old table's
    NOT NULLs, checks, defaults, identity, primary key and indexes are then put on it under their old names (an
    index built in one sort, not 6M single inserts into trees larger than the buffer cache), and it is swapped in
    under the old name. Readers see the old rows until the transaction commits; the swap holds the table's lock
    only for the renames."""
    new = f"{table}_next"
    cursor.execute(
        "SELECT attname, format_type(atttypid, atttypmod), attnotnull, attidentity FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
        [table],
    )
    columns = cursor.fetchall()
    cursor.execute(
        "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
        "ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = %s::regclass",
        [table],
    )
    defaults = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype = 'c' ORDER BY conname",
        [table],
    )
    checks = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexname, i.indexdef, c.conname IS NOT NULL FROM pg_indexes i LEFT JOIN pg_constraint c "
        "ON c.conname = i.indexname AND c.contype = 'p' AND c.conrelid = %s::regclass "
        "WHERE i.schemaname = current_schema() AND i.tablename = %s ORDER BY i.indexname",
        [table, table],
    )
    indexes = cursor.fetchall()

    outputs = ", ".join(
        f"CAST(row_number() OVER () AS {kind}) AS {name}"
        if name == "id"
        else f"CAST(s.{name} AS {kind}) AS {name}"
        for name, kind, _null, _identity in columns
    )
    cursor.execute(f"DROP TABLE IF EXISTS {new}")
    cursor.execute(f"CREATE TABLE {new} AS SELECT {outputs} FROM (\n{select}\n) s")  # noqa: S608 (names)
    written = max(cursor.rowcount, 0)
    changes = [f"ALTER COLUMN {name} SET NOT NULL" for name, _kind, null, _identity in columns if null]
    changes += [f"ALTER COLUMN {name} SET DEFAULT {expression}" for name, expression in defaults]
    changes += [f"ADD CONSTRAINT {name} {definition}" for name, definition in checks]
    changes += [
        f"ALTER COLUMN {name} ADD GENERATED {'ALWAYS' if identity == 'a' else 'BY DEFAULT'} AS IDENTITY "
        f"(START WITH {written + 1})"
        for name, _kind, _null, identity in columns
        if identity
    ]
    cursor.execute(f"ALTER TABLE {new} " + ", ".join(changes))
    renames = []
    for i, (name, definition, primary) in enumerate(indexes):
        temporary = f"{new}_{i}"
        if primary:
            cursor.execute(f"ALTER TABLE {new} ADD CONSTRAINT {temporary} PRIMARY KEY (id)")
        else:
            head, _sep, tail = definition.partition(" ON ")
            head = head.removesuffix(name) + temporary
            tail = tail.replace(f".{table} ", f".{new} ", 1)
            cursor.execute(f"{head} ON {tail}")
        renames.append((temporary, name, primary))
    cursor.execute(f"DROP TABLE {table}")
    cursor.execute(f"ALTER TABLE {new} RENAME TO {table}")
    for temporary, name, primary in renames:
        if primary:
            cursor.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {temporary} TO {name}")
        else:
            cursor.execute(f"ALTER INDEX {temporary} RENAME TO {name}")
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    if sequence:
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {table}_id_seq")
    return written


@transaction.atomic
def rebuild(now: dt.datetime | None = None) -> int:
    """Replace every fact from the matters: one INSERT … SELECT for the daily facts, then the monthly facts from
    them and the district months from those. On PostgreSQL the daily facts go into a new table that is swapped in
    (``_swap_in``); elsewhere one DELETE and the INSERT. Returns the daily rows written."""
    now = now or timezone.now()
    daily = DailyFact._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL work_mem = '{REBUILD_WORK_MEM}'")
            rows = _swap_in(cursor, daily, select_sql(bounded=False))
        else:
            cursor.execute(f"DELETE FROM {daily}")  # noqa: S608 (the model's table name)
            cursor.execute(insert_sql(bounded=False))
            rows = max(cursor.rowcount, 0)
        summaries = (
            # Run without parameters: SQLite's strftime pattern loses its escaping.
            (MonthFact, month_sql(bounded=False).replace("%%", "%")),
            (DistrictMonthFact, district_sql(bounded=False)),
            (DistrictUnitMonthFact, district_unit_sql(bounded=False)),
            (DistrictDayFact, district_day_sql(bounded=False)),
        )
        for model, sql in summaries:
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 (the model's table name)
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            # Every row of these tables is new: the planner learns them now, not at autovacuum's next pass (a
            # dashboard planned on the old statistics read a city's month by a plain index scan, about 3 times
            # slower). ANALYZE counts this transaction's own rows.
            tables = (DailyFact, MonthFact, DistrictMonthFact, DistrictUnitMonthFact, DistrictDayFact)
            cursor.execute("ANALYZE " + ", ".join(t._meta.db_table for t in tables))
    RollupState.objects.update_or_create(
        name="facts",
        defaults={"refreshed_at": now, "rebuilt_at": now, "rows": rows, "version": uuid.uuid4().hex},
    )
    return rows


def _spans(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days joined: [(first, last), ...]."""
    spans: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if spans and (day - spans[-1][1]).days == 1:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = _tz()
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@transaction.atomic
def refresh_days(days: Iterable[dt.date]) -> int:
    """Replace the facts of ``days`` (a few days: the scheduler's job; a whole year: use ``rebuild``), their
    district days, and the monthly facts of their months."""
    days = list(days)
    sql = insert_sql(bounded=True)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A day reads a few ten thousand rows through indexes: compiling the plan (JIT, for the rebuild's 36M
            # rows) would take longer than running it.
            cursor.execute("SET LOCAL jit = off")
        for first, last in _spans(days):
            DailyFact.objects.filter(day__gte=first, day__lte=last).delete()
            start, end = _bounds(first, last)
            params: list[dt.datetime] = []
            # received: own range; accepted/completed/overdue/rated: own range and the submitted_at window behind
            # it; complaints: own (submitted_at) range.
            params += [start, end]
            params += [start, end, start - LOOKBACK, end] * 4
            params += [start, end]
            cursor.execute(sql, params)
            written += max(cursor.rowcount, 0)
            DistrictDayFact.objects.filter(day__gte=first, day__lte=last).delete()
            cursor.execute(district_day_sql(bounded=True), [first, last + dt.timedelta(days=1)])
    refresh_months(days)
    _new_version()
    return written


def changed_days(since: dt.datetime, now: dt.datetime) -> set[dt.date]:
    """The days whose facts may have changed since ``since``: the event days of matters saved since then, the
    days of ratings made since then, and today and yesterday."""
    tz = _tz()
    days: set[dt.date] = {now.astimezone(tz).date(), (now - dt.timedelta(days=1)).astimezone(tz).date()}
    # The distinct days, found by the database through the index on updated_at: a few rows, however many matters
    # there are. Reading the saved matters' timestamps through a server-side cursor (iterator()) had PostgreSQL
    # scan every matter without its parallel workers: 2.4 s of every pass at a million matters (bench_facts_pass).
    saved = Matter.objects.filter(updated_at__gte=since).order_by()
    event_days = [
        saved.filter(**{f"{column}__isnull": False})
        .annotate(day=TruncDate(column, tzinfo=tz))
        .values_list("day", flat=True)
        for column in ("submitted_at", "accepted_at", "completed_at", "escalated_at")
    ]
    days.update(event_days[0].union(*event_days[1:]))
    rated = Evaluation.objects.filter(Q(created_at__gte=since)).values_list("created_at", flat=True)
    days.update(moment.astimezone(tz).date() for moment in rated)
    return days


# More changed days than this in one pass (a bulk import of past matters, a restore, a mass correction) and the
# pass rebuilds: one rebuild reads every matter once (about 5 s at a million matters, docs/benchmarks.md), where
# refreshing a year of days span by span read them over and over for many minutes, the scheduler's other jobs
# waiting behind it. A normal pass changes today, yesterday and the days of the matters worked on: a few.
REFRESH_MAX_DAYS = 62


def refresh_changed(now: dt.datetime | None = None) -> int:
    """The scheduler's job: refresh the days changed since the last pass (the first pass, and a pass with more
    than REFRESH_MAX_DAYS changed days, rebuilds)."""
    now = now or timezone.now()
    state = _state()
    if state.refreshed_at is None:
        return rebuild(now)
    # A little overlap: a transaction that committed just after the last pass began is not missed.
    days = changed_days(state.refreshed_at - dt.timedelta(minutes=5), now)
    if len(days) > REFRESH_MAX_DAYS:
        return rebuild(now)
    written = refresh_days(days)
    RollupState.objects.filter(pk=state.pk).update(refreshed_at=now, rows=DailyFact.objects.count())
    return written
