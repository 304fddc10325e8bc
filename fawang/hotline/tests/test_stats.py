"""Hotline statistics against figures computed by hand from a fixed event stream, and the Excel export."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fawang.accounts.models import User
from fawang.orgs.models import Membership

from .. import actions, cti, quality, stats
from ..models import Call, CallbackTask, QualityReview
from .base import HotlineTestCase

TZ = timezone.get_default_timezone()
DAY = dt.date(2025, 3, 3)  # a Monday


def t(hh: int, mm: int, ss: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=TZ)


class StatsTestCase(HotlineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.agent2 = User.objects.create_user("xm_agent2", kind=User.Kind.STAFF, display_name="黄晓琳")
        Membership.objects.create(user=self.agent2, unit=self.xm_centre, role=Membership.Role.HOTLINE_AGENT)
        self.seat_in(self.xm_agent, extension="8001")
        self.seat_in(self.agent2, extension="8002")
        # (callId, queue, ring, answer, extension, hang-up, cause, rating)
        stream = [
            ("A", "法律咨询", t(9, 0), t(9, 0, 10), "8001", t(9, 5, 10), "normalClearing", "1"),
            ("B", "法律咨询", t(9, 20), t(9, 20, 30), "8002", t(9, 22, 30), "normalClearing", "3"),
            ("C", "法律援助", t(10, 10), None, "", t(10, 10, 40), "cancel", ""),
            ("D", "法律援助", t(10, 30), t(10, 30, 20), "8001", t(10, 40, 20), "normalClearing", "2"),
            ("E", "法律咨询", t(14, 50), None, "", t(14, 51), "noAnswer", ""),
            ("next-day", "法律咨询", t(9, 0, day=DAY + dt.timedelta(days=1)), None, "", None, "", ""),
        ]
        # Sent out of order (hang-ups first) and the answers twice: the figures must not change.
        for call_id, _queue, _ring, _answer, _ext, hangup, cause, _r in stream:
            if hangup:
                self.send("hangup", call_id, hangup, cause=cause)
        for call_id, queue, ring, _answer, _ext, _hangup, _cause, _r in stream:
            self.send("newCall", call_id, ring, queue=queue, number_from=f"1390000{ord(call_id[0]):04d}")
        for _repeat in range(2):
            for call_id, _queue, _ring, answer, ext, _hangup, _cause, _r in stream:
                if answer:
                    self.send("answer", call_id, answer, answering_number=ext)
        for call_id, _queue, _ring, _answer, _ext, hangup, _cause, rating in stream:
            if rating and hangup:
                self.send("rating", call_id, hangup + dt.timedelta(seconds=20), digit=int(rating))
        # An outbound call that day is no part of the inbound figures.
        self.send("newCall", "OUT", t(11, 0), direction="out", number_to="13900009999")
        self.send("hangup", "OUT", t(11, 1))
        # C's callback in time (due 14:40:40: 10:10:40 + 2 working hours across the lunch break) by 陈雨涵; E's
        # rung three times by 黄晓琳 without an answer, the third the next day: closed by the rule, late.
        c, e = (CallbackTask.objects.get(call__call_id=x) for x in ("C", "E"))
        self.assertEqual(c.due_at, t(14, 40, 40))
        actions.do_complete_callback(c.pk, actor=self.xm_agent, outcome="reached", now=t(10, 30))
        for moment in (t(15, 0), t(16, 0), t(9, 0, day=DAY + dt.timedelta(days=1))):
            actions.do_complete_callback(e.pk, actor=self.agent2, outcome="no_answer", now=moment)
        # 质检: A (陈雨涵) 80 of 100, B (黄晓琳) 60 of 100, D (陈雨涵) sampled but not scored yet.
        items = quality.items_of(self.xm_centre)  # 20, 40, 25, 15
        for call_id, given in (("A", (20, 30, 20, 10)), ("B", (10, 30, 15, 5)), ("D", None)):
            call = Call.objects.get(call_id=call_id)
            review = QualityReview.objects.create(
                call=call, unit=self.xm_centre, agent=call.agent, reason="random", sampled_at=t(17, 0)
            )
            if given:
                scores = {item.pk: value for item, value in zip(items, given, strict=True)}
                quality.do_score(review.pk, actor=self.xm_supervisor, scores=scores)

    def send(self, kind: str, call_id: str, moment: dt.datetime, **fields: object) -> None:
        defaults: dict[str, object] = {"direction": "in"} if kind == "newCall" else {}
        defaults.update(fields)
        actions.ingest(self.system, cti.Event(kind=kind, call_id=call_id, occurred_at=moment, **defaults))  # type: ignore[arg-type]

    def test_the_figures_match_the_hand_computed_ones(self) -> None:
        report = stats.report(Call.objects.all(), DAY, DAY)
        total = report.total
        self.assertEqual((total.offered, total.answered, total.abandoned), (5, 3, 2))
        self.assertEqual(total.answer_rate, 0.6)  # 3 / 5
        self.assertEqual(total.avg_wait, 20.0)  # (10 + 30 + 20) / 3
        self.assertEqual(total.avg_talk, 340.0)  # (300 + 120 + 600) / 3
        self.assertEqual(total.service_level, 0.4)  # A (10 s) and D (20 s) within 20 s, of 5
        self.assertEqual((total.rated, total.satisfaction), (3, 0.6667))  # 1 and 2 of 1, 3, 2
        self.assertEqual((total.callbacks_done, total.callbacks_on_time_rate), (2, 0.5))
        self.assertEqual((total.reviews, total.quality_rate), (2, 0.7))  # (80 + 60) / 200
        hours = {
            f.label: (f.offered, f.answered, f.abandoned, f.avg_wait, f.avg_talk) for f in report.by_hour
        }
        self.assertEqual(
            hours,
            {
                "09:00": (2, 2, 0, 20.0, 210.0),
                "10:00": (2, 1, 1, 20.0, 600.0),
                "14:00": (1, 0, 1, None, None),
            },
        )
        queues = {f.label: (f.offered, f.answered, f.service_level) for f in report.by_queue}
        self.assertEqual(queues, {"法律咨询": (3, 2, 0.3333), "法律援助": (2, 1, 0.5)})
        agents = {
            f.label: (
                f.answered,
                f.avg_talk,
                f.callbacks_done,
                f.callbacks_on_time,
                f.reviews,
                f.quality_rate,
            )
            for f in report.by_agent
        }
        self.assertEqual(
            agents,
            {
                "陈雨涵": (2, 450.0, 1, 1, 1, 0.8),
                "黄晓琳": (1, 120.0, 1, 0, 1, 0.6),
                "（未接通）": (0, None, 0, 0, 0, None),
            },
        )
        e = CallbackTask.objects.get(call__call_id="E")
        self.assertEqual((e.status, e.attempts, e.done_by), ("unreached", 3, self.agent2))
        self.assertEqual([f.label for f in report.by_day], ["2025-03-03"])
        two_days = stats.report(Call.objects.all(), DAY, DAY + dt.timedelta(days=1)).total
        self.assertEqual(
            (two_days.offered, two_days.abandoned), (5, 2)
        )  # next-day is still ringing: not counted

    def test_the_page_and_the_excel_export(self) -> None:
        self.client.force_login(self.xm_supervisor)
        page = self.client.get(reverse("hotline:stats"), {"start": "2025-03-03", "end": "2025-03-03"})
        self.assertContains(page, "60%")
        self.assertContains(page, "质检得分率")
        by_agent = {f.label: (f.reviews, f.quality_rate) for f in page.context["report"].by_agent}
        self.assertEqual(by_agent["陈雨涵"], (1, 0.8))
        chart = page.context["chart"]
        self.assertEqual(
            (chart["labels"], chart["offered"], chart["rate"]),
            (["09:00", "10:00", "14:00"], [2, 2, 1], [100.0, 50.0, 0.0]),
        )
        self.assertContains(page, 'id="hotline-chart-data"')
        response = self.client.get(
            reverse("hotline:stats_export"), {"start": "2025-03-03", "end": "2025-03-03"}
        )
        self.assertEqual(response.status_code, 200)
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["汇总", "按小时", "按日", "按队列", "按坐席"])
        rows = list(book["汇总"].iter_rows(values_only=True))
        self.assertEqual(rows[1][:5], ("分组", "呼入量", "接通量", "接通率", "呼损量"))
        self.assertEqual(rows[2][:9], ("合计", 5, 3, 0.6, 2, 20, 340, 0.4, 3))
        self.assertEqual(rows[1][-4:], ("回拨完成", "回拨及时率", "质检数", "质检得分率"))
        self.assertEqual(rows[2][-4:], (2, 0.5, 2, 0.7))
        sheet: dict[object, tuple[object, ...]] = {
            row[0]: tuple(row[-4:]) for row in list(book["按坐席"].iter_rows(values_only=True))[2:]
        }
        self.assertEqual(sheet["陈雨涵"], (1, 1, 1, 0.8))
        self.assertEqual(sheet["黄晓琳"], (1, 0, 1, 0.6))
        # A district bureau does not reach the city's centre: its figures are empty.
        self.client.force_login(self.sm_supervisor)
        response = self.client.get(
            reverse("hotline:stats_export"), {"start": "2025-03-03", "end": "2025-03-03"}
        )
        rows = list(load_workbook(io.BytesIO(response.content))["汇总"].iter_rows(values_only=True))
        self.assertEqual(rows[2][1:3], (0, 0))
        bad = self.client.get(reverse("hotline:stats"), {"start": "2025-03-04", "end": "2025-03-03"})
        self.assertContains(bad, "开始日期不能晚于结束日期")
        self.client.force_login(self.xm_agent)
        self.assertEqual(self.client.get(reverse("hotline:stats")).status_code, 403)
