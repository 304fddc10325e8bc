"""The KPI board's indicators from the business lines (社区矫正, 安置帮教, 12348 热线, 人民调解) against counts made by
hand: a few records of each line in a month of 2024, far from the demo's own (which are around today), so that the
month holds only what the test put there."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fawang.corrections.models import Subject, SupervisionItem
from fawang.corrections.tests.base import CorrectionsTestCase, id_number
from fawang.hotline import actions as hotline_actions
from fawang.hotline.models import Call, CallbackTask
from fawang.insights import figures, kpi, lines
from fawang.lib import codes, supervision
from fawang.mediation.choices import CaseSource, DisputeType
from fawang.mediation.models import Case
from fawang.orgs.models import Unit
from fawang.regions.models import Region
from fawang.resettlement.models import HelpFile, ReleaseNotice
from fawang.testing.world import world

JANUARY = figures.Period(dt.date(2024, 1, 1), dt.date(2024, 1, 31))
TZ = timezone.get_default_timezone()


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2024, 1, day, hour, tzinfo=TZ)


def row(board: list[kpi.Indicator], key: str) -> kpi.Indicator:
    return next(i for i in board if i.key == key)


class LinesTestCase(CorrectionsTestCase):
    """The 厦港街道 司法所 (corrections, resettlement), its mediation committee, the city's hotline centre."""

    def setUp(self) -> None:
        super().setUp()
        self.town = self.office.region_id
        self.county = self.town[:6]

    def test_corrections_items_done_on_time(self) -> None:
        subject = self.supervised()
        SupervisionItem.objects.filter(subject=subject).delete()
        for day, status in ((2, "done"), (3, "done"), (4, "done"), (5, "missed")):
            SupervisionItem.objects.create(
                subject=subject,
                kind="location",
                period_start=dt.date(2024, 1, day),
                due_at=at(day, 23),
                status=status,
            )
        # Due after the month: not counted.
        SupervisionItem.objects.create(
            subject=subject,
            kind="visit",
            period_start=dt.date(2024, 2, 1),
            due_at=at(31) + dt.timedelta(days=2),
        )
        self.assertEqual(lines.figure("corrections_items", self.town, JANUARY), (0.75, 3, 4))
        ind = row(kpi.board(self.county, JANUARY), "corrections_items")
        self.assertEqual((ind.part, ind.whole, ind.met), (3, 4, False))
        self.assertEqual([m["code"] for m in ind.misses], [self.town])
        # Another county has none: no value, no miss.
        self.assertIsNone(lines.figure("corrections_items", "350206", JANUARY)[0])

    def test_corrections_lost_contact(self) -> None:
        _value, lost_before, all_before = lines.figure("corrections_lost", self.town, JANUARY)
        first = self.supervised()
        self.supervised(id_number=id_number(seq="232"), name="林志强")
        Subject.objects.filter(pk=first.pk).update(status=Subject.Status.LOST)
        value, part, whole = lines.figure("corrections_lost", self.town, JANUARY)
        self.assertEqual((part, whole), (lost_before + 1, all_before + 2))
        self.assertAlmostEqual(value or 0, part / whole)
        ind = row(kpi.board(self.county, JANUARY), "corrections_lost")
        self.assertTrue(ind.ceiling)
        self.assertFalse(ind.met)  # the target is 0: one lost is a miss
        Subject.objects.filter(pk=first.pk).update(status=Subject.Status.SUPERVISED)
        if lost_before == 0:
            self.assertTrue(row(kpi.board(self.county, JANUARY), "corrections_lost").met)

    def _notice(self, no: str, day: int, *, key: bool, connected: bool) -> ReleaseNotice:
        return ReleaseNotice.objects.create(
            prison=self.bureau,
            notice_no=no,
            name="黄某某",
            id_number=id_number(seq=no[-3:]),
            residence=Region.objects.get(code=self.town),
            office=self.office,
            crime="盗窃罪",
            sentence="有期徒刑二年",
            release_on=dt.date(2024, 1, day),
            is_key=key,
            status="connected" if connected else "notified",
        )

    def test_key_and_general_connected(self) -> None:
        self._notice("T-101", 5, key=True, connected=True)
        self._notice("T-102", 6, key=True, connected=False)
        for i, connected in enumerate((True, True, True, False)):
            self._notice(f"T-20{i}", 10 + i, key=False, connected=connected)
        self._notice("T-301", 2, key=False, connected=False)
        ReleaseNotice.objects.filter(notice_no="T-301").update(release_on=dt.date(2023, 12, 31))  # before
        self.assertEqual(lines.figure("key_connected", self.town, JANUARY), (0.5, 1, 2))
        self.assertEqual(lines.figure("general_connected", self.town, JANUARY), (0.75, 3, 4))
        board = kpi.board(self.county, JANUARY)
        self.assertFalse(row(board, "key_connected").met)  # 100% required
        self.assertTrue(row(board, "general_connected").met)  # 70% required

    def test_placement(self) -> None:
        for i, placement in enumerate(("job", "family", "none", "business")):
            HelpFile.objects.create(
                source="prison",
                office=self.office,
                name="郑某某",
                id_number=id_number(seq=f"4{i}1"),
                opened_on=dt.date(2023, 6, 1),
                ends_on=dt.date(2028, 6, 1),
                placement=placement,
            )
        # A file from corrections and one that ended before January: neither counts.
        HelpFile.objects.create(
            source="corrections",
            office=self.office,
            name="周某",
            id_number=id_number(seq="491"),
            opened_on=dt.date(2023, 6, 1),
            ends_on=dt.date(2028, 6, 1),
        )
        HelpFile.objects.create(
            source="prison",
            office=self.office,
            name="吴某",
            id_number=id_number(seq="492"),
            opened_on=dt.date(2018, 6, 1),
            ends_on=dt.date(2023, 6, 1),
        )
        self.assertEqual(lines.figure("placement", self.town, JANUARY), (0.75, 3, 4))
        self.assertFalse(row(kpi.board(self.county, JANUARY), "placement").met)

    def test_hotline_answer_rate_and_callbacks(self) -> None:
        centre = world().unit("xiamen.centre")
        system, _token, _secret = hotline_actions.do_create_system(
            actor=None, unit=centre, name="测试呼叫中心", signed=False
        )
        city = centre.region_id
        calls = []
        for i, answered in enumerate((True, True, True, True, False)):
            calls.append(
                Call.objects.create(
                    system=system,
                    unit=centre,
                    call_id=f"k{i}",
                    rang_at=at(8 + i),
                    answered_at=at(8 + i) + dt.timedelta(seconds=12) if answered else None,
                    status="ended" if answered else "missed",
                )
            )
        # An outbound call is not offered.
        Call.objects.create(system=system, unit=centre, call_id="o1", direction="out", rang_at=at(9))
        self.assertEqual(lines.figure("hotline_answer_rate", city, JANUARY), (0.8, 4, 5))
        self.assertTrue(row(kpi.board(city, JANUARY), "hotline_answer_rate").met is False)  # 80% < 90%
        # Callbacks: one done in time, one late, one still open past its limit, one cancelled.
        due = at(20, 17)
        for call, (done, status) in zip(
            calls,
            (
                (due - dt.timedelta(hours=2), "done"),
                (due + dt.timedelta(hours=3), "done"),
                (None, "open"),
                (None, "cancelled"),
            ),
            strict=False,
        ):
            CallbackTask.objects.create(call=call, unit=centre, due_at=due, done_at=done, status=status)
        value, part, whole = lines.figure("hotline_callbacks", city, JANUARY)
        self.assertEqual((part, whole), (1, 3))
        self.assertAlmostEqual(value or 0, 1 / 3)

    def test_mediation_success(self) -> None:
        committee = world().unit("siming.xiagang.committee")
        for i, status in enumerate(("agreed", "agreed", "agreed", "terminated", "mediating")):
            Case.objects.create(
                number=f"（2024）厦港调字第{i + 1}号",
                unit=committee,
                source=CaseSource.values[0],
                dispute_type=DisputeType.values[0],
                summary="邻里纠纷",
                status=status,
                opened_at=at(2),
                due_on=dt.date(2024, 2, 1),
                closed_at=at(10 + i) if status != "mediating" else None,
            )
        self.assertEqual(lines.figure("mediation_success", committee.region_id, JANUARY), (0.75, 3, 4))
        ind = row(kpi.board(self.county, JANUARY), "mediation_success")
        self.assertEqual((ind.part, ind.whole, ind.met), (3, 4, False))

    def test_the_board_takes_the_lines_indicators_from_the_registry(self) -> None:
        registered = [s.key for s in supervision.indicator_sources()]
        self.assertEqual(
            set(registered),
            {
                "corrections_items",
                "corrections_lost",
                "key_connected",
                "general_connected",
                "placement",
                "hotline_answer_rate",
                "hotline_callbacks",
                "mediation_success",
            },
        )
        keys = [i.key for i in kpi.board(self.county, JANUARY)]
        self.assertEqual(keys, [*kpi.TARGETS, *registered])
        # A line that registers one more indicator has it on the board, with no change to the supervision app.
        stations = supervision.IndicatorSource(
            key="test_active_units",
            label="机构启用率",
            target=1.0,
            rows=lambda start, end: Unit.objects.all(),
            part=Q(is_active=True),
            region_field="region_id",
        )
        with mock.patch.dict(supervision._INDICATORS, {stations.key: stations}):
            board = kpi.board(self.county, JANUARY)
        units = Unit.objects.filter(codes.under("region_id", self.county))
        ind = row(board, "test_active_units")
        self.assertEqual(
            (ind.name, ind.part, ind.whole),
            ("机构启用率", units.filter(is_active=True).count(), units.count()),
        )
        self.assertNotIn("test_active_units", [i.key for i in kpi.board(self.county, JANUARY)])

    def test_mediation_risk_warnings_enter_the_warning_loop(self) -> None:
        """矛盾纠纷预警 registered by mediation (fawang.lib.supervision) become warnings of the supervisors' own loop:
        taken in once, told to the region's supervisors, handled (签收、交办、办结) and audited like the others."""
        from fawang.audit.models import AuditEvent
        from fawang.insights import actions, warnings
        from fawang.insights.models import Warning
        from fawang.mediation.models import RiskWarning
        from fawang.notify.models import Message

        committee = world().unit("siming.xiagang.committee")
        kinds = RiskWarning._meta.get_field("kind").choices or []
        risk = RiskWarning.objects.create(
            unit=committee,
            region_id=committee.region_id,
            kind=kinds[0][0],
            summary="邻里纠纷有激化苗头，双方扬言动手",
            raised_by=self.officer,
            next_check_on=dt.date(2024, 1, 8),
        )
        lowered = RiskWarning.objects.create(
            unit=committee,
            region_id=committee.region_id,
            kind=kinds[0][0],
            summary="已化解",
            raised_by=self.officer,
            next_check_on=dt.date(2024, 1, 8),
            status="lowered",
        )
        taken = warnings.take_in_line_warnings()
        mine = [w for w in taken if w.source_pk in (risk.pk, lowered.pk)]
        self.assertEqual([(w.source, w.source_pk) for w in mine], [("mediation.risk", risk.pk)])
        warning = mine[0]
        self.assertEqual(warning.kind, Warning.Kind.LINE)
        self.assertEqual(warning.kind_label, "矛盾纠纷预警")
        self.assertEqual(warning.region_id, committee.region_id)
        self.assertTrue(warning.title.startswith("矛盾纠纷预警："))
        self.assertEqual(warning.due_at - warning.created_at, dt.timedelta(days=warnings.HANDLING_DAYS))
        told = set(
            Message.objects.filter(kind="insights.warning", related_id=str(warning.pk)).values_list(
                "user__username", flat=True
            )
        )
        self.assertEqual(told, {"sm_supervisor", "xm_supervisor"})
        # Taken in once: the next pass (and the hourly raise) finds nothing new.
        self.assertEqual(warnings.take_in_line_warnings(), [])
        self.assertNotIn(risk.pk, [w.source_pk for w in warnings.raise_warnings() if w.source])
        self.assertEqual(Warning.objects.filter(source="mediation.risk", source_pk=risk.pk).count(), 1)

        # In the console: the 思明区 supervisor's list and dashboard show it; the 湖里区 one's list does not.
        self.client.force_login(self.sm_supervisor)
        detail_url = reverse("insights:warning", args=[warning.pk])
        self.assertContains(self.client.get(reverse("insights:warnings")), detail_url)
        self.assertContains(self.client.get(reverse("insights:dashboard", args=[self.county])), detail_url)
        page = self.client.get(detail_url)
        self.assertContains(page, "双方扬言动手")
        self.assertContains(page, "条线仍在预警中")
        self.assertContains(page, reverse("mediation:warning", args=[risk.pk]))
        self.client.force_login(self.hl_supervisor)
        self.assertNotContains(self.client.get(reverse("insights:warnings")), detail_url)
        self.assertEqual(self.client.get(detail_url).status_code, 404)

        # The loop, audited; lowering stays the committee's: the page then says the line lowered it.
        actions.do_acknowledge(warning.pk, actor=self.sm_supervisor)
        office = world().unit("siming.xiagang.office")
        actions.do_assign(warning.pk, actor=self.sm_supervisor, unit=office, note="约见双方")
        RiskWarning.objects.filter(pk=risk.pk).update(status="lowered")
        actions.do_close(warning.pk, actor=self.sm_supervisor, text="经调解已化解。")
        self.assertEqual(
            list(
                AuditEvent.objects.filter(target_type="insights.warning", target_id=str(warning.pk))
                .order_by("pk")
                .values_list("action", flat=True)
            ),
            [
                "insights.raise_warning",
                "insights.acknowledge_warning",
                "insights.assign_warning",
                "insights.close_warning",
            ],
        )
        self.client.force_login(self.sm_supervisor)
        self.assertContains(self.client.get(detail_url), "条线已解除预警")
        # A warning the line raises again later is a new one.
        again = RiskWarning.objects.create(
            unit=committee,
            region_id=committee.region_id,
            kind=kinds[0][0],
            summary="再次激化",
            raised_by=self.officer,
            next_check_on=dt.date(2024, 2, 8),
        )
        self.assertEqual([w.source_pk for w in warnings.take_in_line_warnings()], [again.pk])
