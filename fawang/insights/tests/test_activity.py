from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count
from django.utils import timezone

from fawang.catalog.models import Channel, ServiceItem
from fawang.insights.activity import DEMOLITION_VILLAGE, WAGE_TOWN, generated, load_activity
from fawang.matters.models import Complaint, Evaluation, Matter, MatterEvent

from .base import END, ActivityTestCase


class LoadActivityTestCase(ActivityTestCase):
    def test_a_year_on_every_channel_item_and_county(self) -> None:
        matters = generated()
        self.assertGreater(matters.count(), 2800)
        self.assertEqual(set(matters.values_list("channel", flat=True)), set(Channel.values))
        items = set(matters.values_list("service_item__code", flat=True))
        self.assertEqual(items, set(ServiceItem.objects.values_list("code", flat=True)))
        counties = {code[:6] for code in matters.values_list("region_id", flat=True)}
        self.assertEqual(counties, {"350203", "350205", "350206", "350211", "350212", "350213", "350322"})
        first = timezone.localtime(matters.order_by("submitted_at")[0].submitted_at).date()
        last = timezone.localtime(matters.order_by("-submitted_at")[0].submitted_at).date()
        self.assertEqual(last, END)
        self.assertGreaterEqual(first, END - dt.timedelta(days=364))
        self.assertFalse(matters.filter(person__name="").exists())

    def test_it_is_idempotent(self) -> None:
        before = generated().count()
        again = load_activity(count=self.count, seed=7, end=END)
        self.assertTrue(again.skipped)
        self.assertEqual(generated().count(), before)

    def test_weekly_and_seasonal_rhythm(self) -> None:
        by_weekday: Counter[int] = Counter()
        labour = Counter[str]()
        for at, topic in generated().values_list("submitted_at", "topic__code"):
            day = timezone.localtime(at).date()
            by_weekday[day.weekday()] += 1
            before_festival = dt.date(2026, 1, 20) <= day < dt.date(2026, 2, 17)
            key = "before" if before_festival else "rest"
            labour[key + ("_labour" if topic == "labour" else "_all")] += 1
        self.assertGreater(by_weekday[0], 3 * by_weekday[6])  # Mondays against Sundays
        share_before = labour["before_labour"] / (labour["before_labour"] + labour["before_all"])
        share_rest = labour["rest_labour"] / (labour["rest_labour"] + labour["rest_all"])
        self.assertGreater(share_before, 1.4 * share_rest)  # wage arrears before 春节
        festival = generated().filter(
            submitted_at__date__gte=dt.date(2026, 2, 17), submitted_at__date__lt=dt.date(2026, 2, 23)
        )
        self.assertLess(festival.count(), 6 * self.count / 365 * 0.6)

    def test_events_agree_with_the_matters(self) -> None:
        matters = generated()
        events = MatterEvent.objects.filter(matter__in=matters)
        counts = dict(events.values_list("action").annotate(n=Count("pk")))
        self.assertEqual(counts["submit"], matters.count())
        self.assertEqual(counts["accept"], matters.exclude(accepted_at=None).count())
        self.assertEqual(counts["complete"], matters.filter(status=Matter.Status.COMPLETED).count())
        self.assertEqual(counts["escalate"], matters.exclude(escalated_at=None).count())
        self.assertEqual(counts["rate"], Evaluation.objects.filter(matter__in=matters).count())
        self.assertEqual(counts["complaint"], Complaint.objects.filter(about_matter__in=matters).count())
        # Some late, some still open, some rated badly, some complained about.
        self.assertTrue(matters.filter(status=Matter.Status.COMPLETED).exclude(escalated_at=None).exists())
        self.assertTrue(Evaluation.objects.filter(matter__in=matters, level__lte=2).exists())
        self.assertTrue(Complaint.objects.filter(matter__in=matters).exists())
        # Completion after acceptance after submission.
        for m in matters.filter(status=Matter.Status.COMPLETED)[:200]:
            assert m.accepted_at and m.completed_at
            self.assertLessEqual(m.submitted_at, m.accepted_at)
            self.assertLessEqual(m.accepted_at, m.completed_at)

    def test_the_planted_anomalies_are_there(self) -> None:
        last_week = generated().filter(submitted_at__date__gt=END - dt.timedelta(days=7))
        wage = last_week.filter(region__code__startswith=WAGE_TOWN, topic__code="labour")
        self.assertGreaterEqual(wage.count(), 32)
        self.assertTrue(wage.filter(description__contains="包工头").exists())
        demolition = last_week.filter(region_id=DEMOLITION_VILLAGE, topic__code="demolition")
        self.assertGreaterEqual(demolition.count(), 14)
