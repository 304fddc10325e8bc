"""专业人才推荐 on a matter's page: the talent pool's practitioners holding the matter's area, near its region, ranked
with their reasons; the penalised, the unavailable and those of another city are left out."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from fawang.accounts.models import User
from fawang.matters.models import Matter
from fawang.matters.tests.base import MatterTestCase
from fawang.orgs.models import CreditRecord, Practitioner, Speciality, Unit
from fawang.regions.models import Region

from .. import talent
from ..models import TalentProfile

TODAY = dt.date(2026, 12, 6)


class SpecialistsTestCase(MatterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.area = Speciality.objects.create(code="test_area", name="测试领域", order=99)
        siming = Unit.objects.filter(kind=Unit.Kind.LAW_FIRM, region_id="350203").order_by("pk").first()
        other = (
            Unit.objects.filter(kind=Unit.Kind.LAW_FIRM, region__code__startswith="3502")
            .exclude(region_id="350203")
            .order_by("pk")
            .first()
        )
        putian = (
            Unit.objects.filter(kind=Unit.Kind.LAW_FIRM, region__code__startswith="3503")
            .order_by("pk")
            .first()
        )
        assert siming and other and putian

        def lawyer(name: str, unit: Unit, licensed: dt.date) -> Practitioner:
            person = Practitioner.objects.create(
                name=name,
                kind=Practitioner.Kind.LAWYER,
                licence_no=f"T{name}",
                unit=unit,
                licensed_on=licensed,
            )
            person.specialities.add(self.area)
            return person

        self.near = lawyer("近律师", siming, dt.date(2016, 1, 1))  # 10 years
        profile = TalentProfile.objects.create(practitioner=self.near, languages="闽南语")
        profile.reserve_towns.add(Region.objects.get(code="350203001"))
        self.far = lawyer("远律师", other, dt.date(2000, 1, 1))  # 26 years, counted 15
        penalised = lawyer("罚律师", siming, dt.date(2010, 1, 1))
        CreditRecord.objects.create(
            practitioner=penalised,
            kind=CreditRecord.Kind.PENALTY,
            title="违规收费",
            authority="思明区司法局",
            decided_on=dt.date(2025, 3, 1),
        )
        busy = lawyer("忙律师", siming, dt.date(2010, 1, 1))
        TalentProfile.objects.create(practitioner=busy, available=False)
        lawyer("外市律师", putian, dt.date(2010, 1, 1))
        Practitioner.objects.create(
            name="无专长律师", kind=Practitioner.Kind.LAWYER, licence_no="Tnone", unit=siming
        )

    def test_ranked_with_reasons(self) -> None:
        found = talent.specialists(self.area, Region.objects.get(code="350203001"), today=TODAY)
        self.assertEqual([(c.practitioner.name, c.points) for c in found], [("近律师", 40), ("远律师", 15)])
        self.assertEqual(
            found[0].reasons,
            [
                "专长：测试领域",
                "执业机构在本县（区）（+20）",
                "在本乡镇（街道）储备名单中（+10）",
                "执业 10 年（+10）",
                "会说闽南语",
            ],
        )
        self.assertEqual(found[1].reasons, ["专长：测试领域", "执业 26 年（+15）"])
        self.assertEqual(talent.specialists(None, Region.objects.get(code="350203001")), [])

    def test_the_panel_on_the_matter_page(self) -> None:
        matter = self.submit()
        self.client.force_login(self.sysadmin)
        url = reverse("matters:detail", args=[matter.pk])
        Matter.objects.filter(pk=matter.pk).update(topic=None)
        self.assertNotContains(self.client.get(url), "专业人才推荐")
        Matter.objects.filter(pk=matter.pk).update(topic=self.area)
        page = self.client.get(url)
        self.assertContains(page, "专业人才推荐")
        self.assertContains(page, "近律师")
        self.assertContains(page, "远律师")
        self.assertNotContains(page, "罚律师")
        self.assertNotContains(page, "忙律师")
        # Staff who may not handle the matter see no suggestions.
        outsider = User.objects.create_user("talent-outsider", kind=User.Kind.STAFF)
        self.client.force_login(outsider)
        self.assertNotContains(self.client.get(url), "专业人才推荐", status_code=404)
