"""Monthly figures, the subsidy under dated rules, the payment export, coverage and staff per 10,000 residents,
against hand counts."""

from __future__ import annotations

import datetime as dt
import io
import math
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from fawang.orgs.models import AdvisorAssignment
from fawang.regions.models import Region

from .. import actions, figures
from .base import AdvisorsTestCase

NOV_1 = dt.date(2026, 12, 1)  # "today" for November 2026: every Wednesday of the month is due


class MonthlyTestCase(AdvisorsTestCase):
    def november(self) -> None:
        """Wednesdays 4, 11, 18, 25 are scheduled (the demo's 定点). Logged: 4 (fixed, a talk, 2 mediations, a
        document), 11 (fixed), 18 (fixed, disputed), 20 (a Friday visit, 流动), 27 (pending). 25 is missed."""
        self.confirm(
            self.log(dt.date(2026, 11, 4), talks=1, audience=40, disputes_mediated=2, documents_reviewed=1),
            rating=5,
        )
        self.confirm(self.log(dt.date(2026, 11, 11), consultations=4), rating=4)
        self.confirm(self.log(dt.date(2026, 11, 18)), agree=False, note="当天未到。")
        self.confirm(self.log(dt.date(2026, 11, 20), kind="roving", hours="1.5"))
        self.log(dt.date(2026, 11, 27))

    def row(self) -> figures.MonthRow:
        rows = figures.monthly(self.sm_supervisor, 2026, 11, today=NOV_1)
        return next(r for r in rows if r.assignment.pk == self.assignment.pk)

    def test_figures_and_subsidy_by_hand(self) -> None:
        self.november()
        r = self.row()
        self.assertEqual((r.scheduled, r.attended, r.compliance), (4, 3, 75))
        self.assertEqual((r.logs, r.confirmed, r.disputed, r.pending), (5, 3, 1, 1))
        self.assertEqual(r.hours, Decimal("5.5"))
        self.assertEqual((r.consultations, r.disputes_mediated, r.documents_reviewed, r.talks), (4, 2, 1, 1))
        # 厦门市's rule (demo): 定点 200, 流动 150, 讲座 100, 调解 50, 审查 30.
        # 11-04: 200 + 100 + 2×50 + 30 = 430; 11-11: 200; 11-20: 150; disputed and pending: 0.
        self.assertEqual(r.subsidy, Decimal("780.00"))

    def test_a_newer_county_rule_applies_from_its_day(self) -> None:
        self.november()
        actions.add_subsidy_rule(
            actions.SubsidyRuleData(
                region_code="350203",
                effective_from=dt.date(2026, 11, 15),
                per_fixed_day=Decimal("300"),
                per_roving_day=Decimal("250"),
            ),
            actor=self.sm_supervisor,
        )
        # 11-04 and 11-11 under the city's rule (430 + 200); 11-20 under 思明区's (250).
        self.assertEqual(self.row().subsidy, Decimal("880.00"))

    def test_the_monthly_cap(self) -> None:
        self.november()
        actions.add_subsidy_rule(
            actions.SubsidyRuleData(
                region_code="350203",
                effective_from=dt.date(2026, 11, 1),
                per_fixed_day=Decimal("300"),
                per_roving_day=Decimal("300"),
                monthly_cap=Decimal("500"),
            ),
            actor=self.sm_supervisor,
        )
        r = self.row()
        self.assertEqual((r.subsidy, r.capped), (Decimal("500.00"), True))

    def test_only_a_bureau_sets_rules(self) -> None:
        from django.core.exceptions import PermissionDenied, ValidationError

        data = actions.SubsidyRuleData(
            region_code="350206",
            effective_from=dt.date(2027, 1, 1),
            per_fixed_day=Decimal(1),
            per_roving_day=Decimal(1),
        )
        with self.assertRaises(PermissionDenied):
            actions.add_subsidy_rule(data, actor=self.sm_supervisor)  # 湖里区 is not 思明区's
        with self.assertRaisesMessage(ValidationError, "补助办法适用于市或县（区）"):
            actions.add_subsidy_rule(
                actions.SubsidyRuleData(
                    region_code=self.assignment.region_id,
                    effective_from=dt.date(2027, 1, 1),
                    per_fixed_day=Decimal(1),
                    per_roving_day=Decimal(1),
                ),
                actor=self.sm_supervisor,
            )

    def test_the_export_for_payment(self) -> None:
        self.november()
        self.client.force_login(self.sm_supervisor)
        response = self.client.get(reverse("advisors:export"), {"month": "2026-11", "region": "350203001"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("advisor-subsidy-2026-11.xlsx", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(rows[1]), figures.EXPORT_HEADERS)
        mine = next(r for r in rows[2:] if r[0] == self.assignment.region.name)
        self.assertEqual(
            (mine[2], mine[5], mine[6], mine[7], mine[15]),
            (self.assignment.practitioner.name, 4, 3, 75, 780.0),
        )
        self.assertEqual(rows[-1][0], "合计")
        self.assertEqual(rows[-1][15], 780.0)  # nobody else in 厦港街道 logged anything

    def test_the_monthly_page_is_scoped(self) -> None:
        self.november()
        self.client.force_login(self.sm_supervisor)
        page = self.client.get(reverse("advisors:monthly"), {"month": "2026-11"})
        self.assertContains(page, self.assignment.region.name)
        self.assertContains(page, "780.00")
        self.client.force_login(self.hl_supervisor)
        page = self.client.get(reverse("advisors:monthly"), {"month": "2026-11"})
        self.assertNotContains(page, self.assignment.region.name)
        self.client.force_login(self.sm_clerk)
        self.assertEqual(self.client.get(reverse("advisors:monthly")).status_code, 403)


class CoverageTestCase(AdvisorsTestCase):
    def test_advisor_coverage_by_hand(self) -> None:
        town = Region.objects.get(code="350203001")  # 厦港街道: 7 communities, each with its advisor (demo)
        vacant = AdvisorAssignment.objects.current().filter(region__parent=town).order_by("region_id").last()
        assert vacant is not None
        AdvisorAssignment.objects.filter(pk=vacant.pk).update(ended_on=dt.date(2026, 1, 1))
        rows = {c.town.code: c for c in figures.advisor_coverage("350203")}
        self.assertEqual(
            (rows["350203001"].villages, rows["350203001"].with_advisor, rows["350203001"].missing), (7, 6, 1)
        )
        self.assertEqual(
            sum(c.villages for c in rows.values()),
            Region.objects.filter(code__startswith="350203", level=5).count(),
        )
        self.client.force_login(self.sm_supervisor)
        page = self.client.get(reverse("advisors:coverage"), {"county": "350203"})
        self.assertContains(page, "厦港街道")

    def test_staff_per_10k_by_hand(self) -> None:
        # 仙游县 (demo): one lawyer per three villages of a town, 2 notaries at 仙游县公证处, 3 workers at the
        # 鲤城法律服务所; census 2020 population 905,068.
        lawyers = sum(
            math.ceil(Region.objects.filter(parent=town).count() / 3)
            for town in Region.objects.filter(parent_id="350322", level=4)
        )
        ratio = next(r for r in figures.staff_per_10k("3503") if r.county.code == "350322")
        self.assertEqual(ratio.by_kind, {"lawyer": lawyers, "notary": 2, "grassroots_worker": 3})
        self.assertEqual(ratio.county.population, 905068)
        expected = (Decimal(lawyers + 5) * 10000 / Decimal(905068)).quantize(Decimal("0.01"))
        self.assertEqual(ratio.per_10k, expected)
        self.assertEqual(ratio.meets, expected >= Decimal("1.5"))
        # 厦门市 as a whole counts its city-level notary office and appraisal institution too (4 + 3).
        whole = figures.staff_per_10k("3502")[-1]
        self.assertEqual(whole.county.code, "3502")
        self.assertEqual((whole.by_kind["notary"], whole.by_kind["appraiser"]), (4, 3))
