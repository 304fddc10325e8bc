from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from .. import actions
from ..stats import compute
from .base import MediationTestCase, staff


class StatsTestCase(MediationTestCase):
    def test_statistics_against_a_hand_count(self) -> None:
        unit = self.sibling  # 鹭江街道: no demo data
        user = self.sibling_user
        from fawang.orgs.models import Practitioner

        m = Practitioner.objects.filter(unit=unit, kind="mediator").first()
        assert m is not None
        today = self.today()
        # 3 screenings (one high with a group reason: 1 warning, later lowered), 4 cases: 2 agreed (one performed,
        # one confirmed by the court), 1 terminated, 1 still open.
        for risk, reasons in (("low", []), ("medium", ["amount"]), ("high", ["group"])):
            actions.record_screening(
                actor=user,
                unit=unit,
                screened_on=today,
                round="monthly",
                parties="甲与乙",
                dispute_type="family",
                place="鹭江",
                people_count=2,
                summary="x",
                risk_level=risk,
                risk_reasons=reasons,
            )
        from ..models import RiskWarning

        actions.lower_warning(RiskWarning.objects.get(unit=unit).pk, actor=user, note="已化解")
        cases = [
            self.new_case(unit=unit, actor=user, dispute_type=t)
            for t in ("family", "family", "labour", "land")
        ]
        for case in cases[:3]:
            for p in case.parties.all():
                actions.record_consent(case.pk, actor=user, party_id=p.pk, consent="agrees")
            actions.assign_mediator(case.pk, actor=user, mediator_id=m.pk)
        a1 = actions.record_agreement(
            cases[0].pk,
            actor=user,
            form="oral",
            facts="f",
            terms="t",
            performance="p",
            agreed_on=today,
            follow_up_dates=[today],
        )
        actions.do_follow_up(a1.follow_ups.get().pk, actor=user, result="performed", note="已履行")
        a2 = actions.record_agreement(
            cases[1].pk,
            actor=user,
            form="oral",
            facts="f",
            terms="t",
            performance="p",
            agreed_on=today,
            follow_up_dates=[today],
        )
        actions.do_follow_up(a2.follow_ups.get().pk, actor=user, result="not_performed", note="未履行")
        actions.record_confirmation(a2.pk, actor=user, decision="applied", court="思明区人民法院", on=today)
        actions.record_confirmation(a2.pk, actor=user, decision="confirmed", court="思明区人民法院", on=today)
        actions.terminate(cases[2].pk, actor=user, reason="r", routes="诉讼")

        table = compute(user, today - dt.timedelta(days=1), today)
        (row,) = table.committees
        self.assertEqual(
            (
                row.screened,
                row.warnings,
                row.warnings_lowered,
                row.cases,
                row.closed,
                row.agreements,
                row.follow_ups_done,
                row.performed,
                row.confirmed,
            ),
            (3, 1, 1, 4, 3, 2, 2, 1, 1),
        )
        self.assertEqual((row.success_rate, row.performance_rate, row.average_days), (66.7, 50.0, 0.0))
        self.assertEqual(dict(row.by_type), {"family": 2, "labour": 1, "land": 1})
        self.assertEqual(dict(row.by_source), {"initiative": 4})
        # The 思明区 supervisor sees it within the district's figures (with the demo's 厦港 data besides).
        district = {
            r.region: r for r in compute(self.sm_supervisor, today - dt.timedelta(days=1), today).regions
        }
        self.assertGreaterEqual(district["350203"].cases, 4)

        self.client.force_login(user)
        page = self.client.get(
            reverse("mediation:stats"), {"from": (today - dt.timedelta(days=1)).isoformat()}
        )
        self.assertContains(page, "66.7%")
        export = self.client.get(
            reverse("mediation:stats_export"), {"from": (today - dt.timedelta(days=1)).isoformat()}
        )
        sheet = load_workbook(io.BytesIO(export.content))["按调委会"]
        values = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
        self.assertEqual(values[0][:9], ["鹭江街道人民调解委员会", unit.region_id, 3, 1, 1, 4, 3, 2, 66.7])

    def test_a_window_clerk_has_no_statistics(self) -> None:
        clerk = staff("t_clerk", self.unit("siming.xiagang.station"), "window_clerk")
        self.client.force_login(clerk)
        self.assertEqual(self.client.get(reverse("mediation:stats")).status_code, 403)

    def test_warnings_raised_by_an_office_or_bureau_count_in_the_district(self) -> None:
        today = self.today()
        period = (today - dt.timedelta(days=1), today)
        before = compute(self.sm_supervisor, *period)
        district_before = {r.region: r for r in before.regions}["350203"]
        office = self.unit("siming.xiagang.office")
        bureau = self.unit("siming.bureau")
        actions.raise_warning(actor=self.office_user, unit=office, kind="criminal", summary="扬言报复。")
        lowered = actions.raise_warning(
            actor=self.sm_supervisor, unit=bureau, kind="petition", summary="重复信访。"
        )
        actions.lower_warning(lowered.pk, actor=self.sm_supervisor, note="已息访")
        after = compute(self.sm_supervisor, *period)
        district = {r.region: r for r in after.regions}["350203"]
        self.assertEqual(
            (
                district.warnings - district_before.warnings,
                district.warnings_lowered - district_before.warnings_lowered,
            ),
            (2, 1),
        )
        self.assertEqual((after.total.warnings - before.total.warnings), 2)
        # No committee's own row counts them.
        self.assertEqual(
            sum(r.warnings for r in after.committees), sum(r.warnings for r in before.committees)
        )
        # The 司法所 sees its own; the sibling committee sees neither.
        office_total = compute(self.office_user, *period).total
        self.assertGreaterEqual(office_total.warnings, 1)
        self.assertEqual(compute(self.sibling_user, *period).total.warnings, 0)
