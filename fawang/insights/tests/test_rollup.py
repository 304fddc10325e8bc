from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from fawang.insights import figures, rollup
from fawang.insights.models import (
    DailyFact,
    DistrictDayFact,
    DistrictMonthFact,
    DistrictUnitMonthFact,
    MonthFact,
    RollupState,
)
from fawang.matters import actions
from fawang.matters.models import Complaint, Evaluation, Matter

from .base import END, ActivityTestCase

MEASURES = rollup.MEASURES


def totals() -> dict[str, int]:
    got = DailyFact.objects.aggregate(**{m: Sum(m) for m in MEASURES})
    return {m: int(v or 0) for m, v in got.items()}


def facts() -> set[tuple[object, ...]]:
    """Every fact row by its dimensions (rows with nothing are not written)."""
    return set(DailyFact.objects.values_list(*rollup.DIMENSIONS, *MEASURES))


def months() -> set[tuple[object, ...]]:
    return set(
        MonthFact.objects.values_list(
            "month", "area", "service_item_id", "topic_id", "channel", "unit_id", *MEASURES
        )
    )


def districts() -> set[tuple[object, ...]]:
    return set(
        DistrictMonthFact.objects.values_list(
            "month", "district", "service_item_id", "topic_id", "channel", *MEASURES
        )
    )


def district_days() -> set[tuple[object, ...]]:
    return set(DistrictDayFact.objects.values_list("day", "district", *MEASURES))


def unit_months() -> set[tuple[object, ...]]:
    return set(DistrictUnitMonthFact.objects.values_list("month", "district", "unit_id", *MEASURES))


def summed_by_hand(key: Callable[[DailyFact], tuple[object, ...]]) -> dict[tuple[object, ...], list[int]]:
    """Every daily fact's measures summed by ``key`` of the fact."""
    out: dict[tuple[object, ...], list[int]] = {}
    for fact in DailyFact.objects.all():
        slot = out.setdefault(key(fact), [0] * len(MEASURES))
        for i, m in enumerate(MEASURES):
            slot[i] += getattr(fact, m)
    return out


def daily_only(
    region: str, period: figures.Period, keys: tuple[str, ...], depth: int = 9
) -> dict[tuple[object, ...], dict[str, int]]:
    """The same sums from the daily facts alone, folded by hand (the region cut to ``depth`` digits, the day to its
    month)."""
    out: dict[tuple[object, ...], dict[str, int]] = {}
    for fact in figures.facts(region, period):
        key: list[object] = []
        for k in keys:
            if k == "month":
                key.append(fact.day.replace(day=1))
            elif k == "region_id":
                key.append(fact.region_id[:depth])
            else:
                key.append(getattr(fact, k))
        slot = out.setdefault(tuple(key), dict.fromkeys(MEASURES, 0))
        for m in MEASURES:
            slot[m] += getattr(fact, m)
    return out


class RollupTestCase(ActivityTestCase):
    def test_the_rebuild_counts_what_the_matters_say(self) -> None:
        t = totals()
        matters = Matter.objects.all()
        self.assertEqual(t["received"], matters.count())
        self.assertEqual(t["accepted"], matters.exclude(accepted_at=None).count())
        done = matters.filter(status__in=Matter.DONE_STATUSES).exclude(completed_at=None)
        self.assertEqual(t["completed"], done.count())
        self.assertEqual(t["on_time"], done.filter(escalated_at=None).count())
        self.assertEqual(t["overdue"], matters.exclude(escalated_at=None).count())
        self.assertEqual(t["rated"], Evaluation.objects.count())
        self.assertEqual(t["good"], Evaluation.objects.filter(level__gte=3).count())
        self.assertEqual(t["bad"], Evaluation.objects.filter(level__lte=2).count())
        self.assertEqual(t["complaints"], Complaint.objects.count())

    def test_days_are_beijing_days(self) -> None:
        tz = timezone.get_current_timezone()
        day = END - dt.timedelta(days=10)
        start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
        received = Matter.objects.filter(
            submitted_at__gte=start, submitted_at__lt=start + dt.timedelta(days=1)
        )
        self.assertEqual(
            DailyFact.objects.filter(day=day).aggregate(n=Sum("received"))["n"], received.count()
        )
        # By region, item and topic too.
        village = received.values_list("region_id", flat=True).first()
        self.assertEqual(
            DailyFact.objects.filter(day=day, region_id=village).aggregate(n=Sum("received"))["n"],
            received.filter(region_id=village).count(),
        )

    def test_refreshing_days_gives_what_a_rebuild_gives(self) -> None:
        # Change a few matters through the actions, as the workbench would.
        matter = (
            Matter.objects.filter(status=Matter.Status.IN_PROGRESS).first()
            or Matter.objects.filter(status=Matter.Status.ACCEPTED).first()
        )
        assert matter is not None
        now = timezone.now()
        actions.do_complete(matter.pk, actor=None, result="已办结。", now=now)
        RollupState.objects.filter(name="facts").update(refreshed_at=now - dt.timedelta(minutes=1))
        rollup.refresh_changed(now + dt.timedelta(seconds=1))
        incremental, incremental_months, incremental_districts = facts(), months(), districts()
        incremental_days, incremental_units = district_days(), unit_months()
        rollup.rebuild()
        self.assertEqual(incremental, facts())
        self.assertEqual(incremental_months, months())
        self.assertEqual(incremental_districts, districts())
        self.assertEqual(incremental_days, district_days())
        self.assertEqual(incremental_units, unit_months())
        today = timezone.localdate(now)
        self.assertGreaterEqual(DailyFact.objects.filter(day=today).aggregate(n=Sum("completed"))["n"], 1)

    def test_refresh_days_replaces_only_those_days(self) -> None:
        before = facts()
        day = END - dt.timedelta(days=3)
        DailyFact.objects.filter(day=day).update(received=999)
        DailyFact.objects.filter(day=day - dt.timedelta(days=1)).update(received=999)
        rollup.refresh_days([day])
        after = facts()
        self.assertEqual({r for r in after if r[0] == day}, {r for r in before if r[0] == day})
        self.assertTrue(all(r[6] == 999 for r in after if r[0] == day - dt.timedelta(days=1)))

    def test_a_rebuild_leaves_the_table_as_the_migrations_made_it(self) -> None:
        # On PostgreSQL the daily facts are rebuilt in a new table swapped in under the old name: its indexes,
        # primary key, checks and id sequence must come back under their own names, and later refreshes (which
        # insert single days) and the next rebuild must work on it.
        def shape() -> tuple[object, ...]:
            with connection.cursor() as cursor:
                table = DailyFact._meta.db_table
                indexes = connection.introspection.get_constraints(cursor, table)
                cursor.execute("SELECT COUNT(*) FROM " + table)  # noqa: S608 (the model's table name)
                count = cursor.fetchone()[0]
            described = {
                name: (c["columns"], c["primary_key"], c["index"], bool(c["check"]))
                for name, c in indexes.items()
            }
            return described, count

        before = shape()
        rows = rollup.rebuild()
        after = shape()
        self.assertEqual(before, after)
        self.assertEqual(rows, after[1])
        rollup.refresh_days([END - dt.timedelta(days=2)])
        rollup.rebuild()
        self.assertEqual(shape(), after)
        fact = DailyFact.objects.order_by("day").first()
        assert fact is not None
        fact.pk = None
        fact.save()  # the id sequence survived the swap
        self.assertGreater(fact.pk, 0)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [DailyFact._meta.db_table])
                self.assertEqual(cursor.fetchone()[0], f"public.{DailyFact._meta.db_table}_id_seq")

    def test_a_pass_over_many_changed_days_rebuilds_and_one_over_a_few_refreshes(self) -> None:
        # A bulk change of past matters (an import, a restore) touches more days than REFRESH_MAX_DAYS.
        now = timezone.now()
        last_pass = now - dt.timedelta(minutes=1)
        Matter.objects.update(updated_at=now - dt.timedelta(days=1))  # all seen by the last pass
        RollupState.objects.filter(name="facts").update(refreshed_at=last_pass, rebuilt_at=None)
        few = Matter.objects.filter(submitted_at__date=END - dt.timedelta(days=1))
        few.update(updated_at=now)
        rollup.refresh_changed(now + dt.timedelta(seconds=1))
        self.assertIsNone(RollupState.objects.get(name="facts").rebuilt_at)

        by_day = Matter.objects.order_by("submitted_at").values_list("pk", flat=True)
        Matter.objects.filter(pk__in=list(by_day[:: max(1, by_day.count() // 300)])).update(updated_at=now)
        self.assertGreater(len(rollup.changed_days(last_pass, now)), rollup.REFRESH_MAX_DAYS)
        DailyFact.objects.filter(day=END - dt.timedelta(days=200)).update(received=999)
        rollup.refresh_changed(now + dt.timedelta(seconds=2))
        self.assertEqual(RollupState.objects.get(name="facts").rebuilt_at, now + dt.timedelta(seconds=2))
        self.assertEqual(totals()["received"], Matter.objects.count())

    def test_the_changed_days_are_the_beijing_days_of_the_events_of_the_matters_saved_since(self) -> None:
        now = timezone.now()
        Matter.objects.update(updated_at=now - dt.timedelta(days=1))  # seen by the last pass
        saved = Matter.objects.order_by("pk")[0]
        utc = dt.UTC
        Matter.objects.filter(pk=saved.pk).update(
            submitted_at=dt.datetime(2026, 3, 1, 17, 30, tzinfo=utc),  # 3月2日 01:30 in Beijing
            accepted_at=dt.datetime(2026, 3, 3, 10, 0, tzinfo=utc),
            completed_at=None,
            escalated_at=dt.datetime(2026, 3, 5, 16, 30, tzinfo=utc),  # 3月6日 00:30
            updated_at=now,
        )
        beijing = timezone.localdate(now)
        expected = {beijing, beijing - dt.timedelta(days=1)} | {dt.date(2026, 3, d) for d in (2, 3, 6)}
        self.assertEqual(rollup.changed_days(now - dt.timedelta(minutes=1), now), expected)

    def test_the_first_scheduler_pass_rebuilds(self) -> None:
        RollupState.objects.all().delete()
        DailyFact.objects.all().delete()
        rollup.refresh_changed()
        self.assertEqual(totals()["received"], Matter.objects.count())
        self.assertIsNotNone(RollupState.objects.get().rebuilt_at)


class MonthFactTestCase(ActivityTestCase):
    """The coarser rollup: months × towns, read for the whole months of a city's or county's period."""

    def test_the_monthly_facts_are_the_daily_ones_summed(self) -> None:
        by_month: dict[tuple[object, ...], int] = {}
        for day, region, received in DailyFact.objects.values_list("day", "region_id", "received"):
            key = (day.replace(day=1), region[:9])
            by_month[key] = by_month.get(key, 0) + received
        got: dict[tuple[object, ...], int] = {}
        for month, area, received in MonthFact.objects.values_list("month", "area", "received"):
            got[(month, area)] = got.get((month, area), 0) + received
        self.assertEqual({k: v for k, v in got.items() if v}, {k: v for k, v in by_month.items() if v})
        self.assertLess(MonthFact.objects.count(), DailyFact.objects.count())

    def test_a_period_read_by_months_and_days_gives_the_daily_sums(self) -> None:
        periods = [
            figures.Period(dt.date(2025, 8, 17), END),  # a ragged start, whole months, a whole last month
            figures.Period(dt.date(2025, 9, 1), dt.date(2026, 3, 12)),  # whole months then a ragged end
            figures.Period.last(365, END),
            figures.Period(dt.date(2026, 2, 3), dt.date(2026, 2, 20)),  # inside one month: days only
            # Two months each read whole less a few days outside the period (January's first four, February's
            # last), and thirty days across a month's end.
            figures.Period(dt.date(2026, 1, 5), dt.date(2026, 2, 27)),
            figures.Period.last(30, dt.date(2026, 5, 9)),
            figures.Period.last(7, END),
        ]
        for region in ("3502", "350203"):
            for period in periods:
                for keys in (
                    (),
                    ("service_item_id",),
                    ("region_id",),
                    ("unit_id",),
                    ("month",),
                    ("channel",),
                    ("day",),
                    ("unit_id", "month"),
                ):
                    with self.subTest(region=region, period=period, keys=keys):
                        got = {
                            k: v for k, v in figures.grouped(region, period, keys).items() if any(v.values())
                        }
                        self.assertEqual(got, daily_only(region, period, keys))
        # The mix's three fields read together (GROUPING SETS on PostgreSQL) as each alone.
        fields = ("service_item_id", "topic_id", "channel")
        for region in ("3502", "350203", "350203010", "350203010001"):
            for period in periods:
                with self.subTest(region=region, period=period, keys="each"):
                    each = figures.grouped_each(region, period, fields)
                    self.assertEqual(each, {f: figures.grouped(region, period, (f,)) for f in fields})
                    self.assertEqual(each["channel"], daily_only(region, period, ("channel",)))
        # The places of a city as counties (read from the district months for the whole months).
        for period in periods:
            with self.subTest(region="3502", period=period, keys="counties"):
                got = {
                    k: v
                    for k, v in figures.grouped("3502", period, ("region_id",), 6).items()
                    if any(v.values())
                }
                self.assertEqual(got, daily_only("3502", period, ("region_id",), 6))
        # With a filter too.
        period = periods[0]
        item = DailyFact.objects.values_list("service_item_id", flat=True).first()
        self.assertEqual(
            figures.sums("350203", period, service_item_id=item)["received"],
            sum(f.received for f in figures.facts("350203", period, service_item_id=item)),
        )


class DistrictMonthFactTestCase(ActivityTestCase):
    """The coarsest rollup: months × counties × item × topic × channel, without towns, villages or units."""

    def test_the_district_months_are_the_daily_facts_summed(self) -> None:
        by_hand: dict[tuple[object, ...], list[int]] = {}
        for fact in DailyFact.objects.all():
            key = (
                fact.day.replace(day=1),
                fact.region_id[:6],
                fact.service_item_id,
                fact.topic_id,
                fact.channel,
            )
            slot = by_hand.setdefault(key, [0] * len(MEASURES))
            for i, m in enumerate(MEASURES):
                slot[i] += getattr(fact, m)
        got = {row[:5]: list(row[5:]) for row in districts()}
        self.assertEqual(len(got), DistrictMonthFact.objects.count())  # one row per combination
        self.assertEqual(got, by_hand)
        self.assertLess(DistrictMonthFact.objects.count(), MonthFact.objects.count())

    def test_a_year_of_the_city_reads_the_district_months(self) -> None:
        period = figures.Period(dt.date(2025, 7, 1), END)  # twelve whole months
        by_hand: dict[str, int] = {}
        for fact in figures.facts("3502", period):
            by_hand[fact.region_id[:6]] = by_hand.get(fact.region_id[:6], 0) + fact.received
        with self.assertNumQueries(1):
            got = figures.grouped("3502", period, ("region_id",), 6)
        self.assertEqual({k[0]: v["received"] for k, v in got.items() if v["received"]}, by_hand)
        ranked = {row["code"]: row["received"] for row in figures.ranking("3502", period)}
        self.assertEqual({k: v for k, v in ranked.items() if v}, by_hand)

    def test_the_district_days_and_unit_months_are_the_daily_facts_summed(self) -> None:
        cases = (
            (district_days, lambda f: (f.day, f.region_id[:6]), DistrictDayFact),
            (
                unit_months,
                lambda f: (f.day.replace(day=1), f.region_id[:6], f.unit_id),
                DistrictUnitMonthFact,
            ),
        )
        for rows, key, model in cases:
            with self.subTest(model=model.__name__):
                got = {row[: -len(MEASURES)]: list(row[-len(MEASURES) :]) for row in rows()}
                self.assertEqual(len(got), model.objects.count())  # one row per combination
                self.assertEqual(got, summed_by_hand(key))
        self.assertLess(DistrictDayFact.objects.count(), DailyFact.objects.count())
        self.assertLess(DistrictUnitMonthFact.objects.count(), MonthFact.objects.count())

    def test_a_refresh_makes_the_district_days_and_unit_months_of_its_days_again(self) -> None:
        before_days, before_units = district_days(), unit_months()
        day = END - dt.timedelta(days=3)
        DistrictDayFact.objects.filter(day=day).update(received=999)
        DistrictDayFact.objects.filter(day=day - dt.timedelta(days=1)).update(received=999)
        DistrictUnitMonthFact.objects.filter(month=day.replace(day=1)).update(received=999)
        rollup.refresh_days([day])
        self.assertEqual({r for r in district_days() if r[0] == day}, {r for r in before_days if r[0] == day})
        self.assertEqual(unit_months(), before_units)
        untouched = DistrictDayFact.objects.filter(day=day - dt.timedelta(days=1))
        self.assertTrue(untouched.exists())
        self.assertTrue(all(r.received == 999 for r in untouched))

    def test_the_trend_and_the_unit_ranking_read_the_district_tables_with_the_same_numbers(self) -> None:
        period = figures.Period.last(30, END)
        by_day = daily_only("3502", period, ("day",))
        shown = figures.trend("3502", period)
        for label, received in zip(shown["labels"], shown["received"], strict=True):
            day = dt.date.fromisoformat(label)
            self.assertEqual(received, by_day.get((day,), {}).get("received", 0))
        year = figures.Period.last(365, END)
        by_unit = daily_only("3502", year, ("unit_id",))
        ranked = figures.unit_ranking("3502", year, limit=1000)
        self.assertTrue(ranked)
        for row in ranked:
            self.assertEqual(row["received"], by_unit[(row["id"],)]["received"])

    def test_a_refresh_writes_a_new_version(self) -> None:
        before = figures.facts_version()
        self.assertTrue(before)
        rollup.refresh_days([END])
        self.assertNotEqual(figures.facts_version(), before)
