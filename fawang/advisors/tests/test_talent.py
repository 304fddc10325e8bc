"""The talent pool: a vacancy's ranked recommendation with its reasons, and who is left out and why."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse

from fawang.orgs.models import AdvisorAssignment, CreditRecord, Practitioner, Speciality
from fawang.regions.models import Region

from .. import actions, talent
from .base import AdvisorsTestCase

TODAY = dt.date(2026, 12, 6)


class RecommendTestCase(AdvisorsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.town = Region.objects.get(code="350203001")
        current = (
            AdvisorAssignment.objects.current().filter(region__parent=self.town).order_by("region_id").last()
        )
        assert current is not None
        AdvisorAssignment.objects.filter(pk=current.pk).update(ended_on=dt.date(2026, 11, 30))
        self.village = current.region
        serving = {
            p.pk: p.n
            for p in Practitioner.objects.filter(kind="lawyer", unit__region_id="350203").annotate(
                n=Count("assignments", filter=Q(assignments__ended_on__isnull=True))
            )
        }
        free = sorted(pk for pk, n in serving.items() if n < 3)
        self.reserve, self.penalised = (
            Practitioner.objects.get(pk=free[0]),
            Practitioner.objects.get(pk=free[1]),
        )

    def test_a_vacancy_gets_a_ranked_recommendation_with_reasons(self) -> None:
        actions.save_talent_profile(
            self.reserve.pk,
            actions.TalentData(languages="闽南语", reserve_towns=[self.town]),
            actor=self.sm_supervisor,
        )
        CreditRecord.objects.create(
            practitioner=self.penalised,
            kind="penalty",
            title="警告",
            authority="思明区司法局",
            decided_on=dt.date(2025, 3, 1),
        )
        ranked, excluded = talent.recommend(self.village, languages=["闽南语"], today=TODAY)
        self.assertEqual(ranked[0].practitioner, self.reserve)
        reasons = "；".join(ranked[0].reasons)
        self.assertIn("在本乡镇（街道）储备名单中（+30）", reasons)
        self.assertIn("执业机构在本县（区）（+20）", reasons)
        self.assertIn("会说闽南语（+10）", reasons)
        points = [c.points for c in ranked]
        self.assertEqual(points, sorted(points, reverse=True))
        why = {c.practitioner.pk: c.excluded for c in excluded}
        self.assertEqual(why[self.penalised.pk], "近 3 年有行政处罚或行业惩戒记录")
        full = AdvisorAssignment.objects.current().filter(practitioner=self.assignment.practitioner).count()
        if full >= 3:
            self.assertIn("达到上限", why[self.assignment.practitioner.pk])
        self.assertNotIn(self.penalised.pk, [c.practitioner.pk for c in ranked])

    def test_a_speciality_wins_points(self) -> None:
        speciality = Speciality.objects.order_by("pk")[0]
        second = talent.recommend(self.village, today=TODAY)[0][1].practitioner
        second.specialities.add(speciality)
        ranked, _excluded = talent.recommend(self.village, specialities=[speciality], today=TODAY)
        self.assertEqual(ranked[0].practitioner, second)
        self.assertIn(f"专长：{speciality.name}（+25）", ranked[0].reasons)

    def test_the_page_and_its_scope(self) -> None:
        self.client.force_login(self.sm_supervisor)
        page = self.client.get(reverse("advisors:talent"), {"county": "350203"})
        self.assertContains(page, self.village.name)
        page = self.client.get(reverse("advisors:recommend", args=[self.village.code]))
        self.assertContains(page, "该村（社区）法律顾问岗位空缺")
        self.assertContains(page, "执业机构在本县（区）（+20）")
        self.client.force_login(self.hl_supervisor)
        self.assertEqual(
            self.client.get(reverse("advisors:recommend", args=[self.village.code])).status_code, 404
        )

    def test_reserve_towns_must_be_of_the_county(self) -> None:
        huli_town = Region.objects.filter(parent_id="350206", level=4).order_by("code")[0]
        with self.assertRaisesMessage(ValidationError, "储备乡镇应为执业机构所在县（区）的乡镇（街道）"):
            actions.save_talent_profile(
                self.reserve.pk, actions.TalentData(reserve_towns=[huli_town]), actor=self.sm_supervisor
            )
