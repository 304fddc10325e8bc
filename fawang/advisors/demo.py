"""Demo data of the advisors' work, made through the actions as the system administrator: every advisor of the
first town of 思明区 and of 仙游县 keeps Wednesday mornings at the village's room (定点), each of those villages has
its committee's contact, the city of 厦门 and 仙游县 have their 法律服务工作补助办法, and the lawyers of 思明区 have
talent profiles (languages, reserve towns). Idempotent: a village with a schedule is left as it is. All people
are invented."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fawang.accounts.models import User
from fawang.orgs.models import AdvisorAssignment, Practitioner
from fawang.regions.models import Region

from . import actions
from .models import CommitteeContact, ServiceDay, ServiceKind, SubsidyRule, TalentProfile

SIMING, XIANYOU = "350203", "350322"
SURNAMES = "陈林黄郑吴王李张刘许"
GIVEN = ["建国", "秀英", "志强", "丽华", "文斌", "美玲", "国栋", "晓燕", "金水", "春梅"]


def _first_town(county: str) -> Region | None:
    return Region.objects.filter(parent_id=county, level=Region.Level.TOWN).order_by("code").first()


def load_line_demo() -> None:
    actor = User.objects.filter(username="sysadmin").first()
    if actor is None:
        return
    for county, cap in ((SIMING, None), (XIANYOU, Decimal("1200"))):
        town = _first_town(county)
        if town is None:
            continue
        assignments = list(
            AdvisorAssignment.objects.current()
            .filter(region__parent=town, room__isnull=False)
            .select_related("region")
            .order_by("region_id")
        )
        for n, a in enumerate(assignments):
            if not ServiceDay.objects.filter(assignment=a).exists():
                actions.add_service_day(
                    a.pk,
                    actions.ServiceDayData(
                        kind=ServiceKind.FIXED,
                        weekday=2,
                        start_time=dt.time(9),
                        end_time=dt.time(11, 30),
                        place="村（居）党群服务中心法律服务工作室",
                    ),
                    actor=actor,
                )
            if not CommitteeContact.objects.filter(region=a.region).exists():
                actions.set_committee_contact(
                    a.pk,
                    actor=actor,
                    name=f"{SURNAMES[n % 10]}{GIVEN[(n * 3) % 10]}",
                    title="村（居）委会文书",
                    phone=f"1390592{int(a.region_id[-4:]) % 10000:04d}",
                )
        region = county[:4] if county == SIMING else county
        if not SubsidyRule.objects.filter(region_id=region).exists():
            actions.add_subsidy_rule(
                actions.SubsidyRuleData(
                    region_code=region,
                    effective_from=dt.date(2024, 1, 1),
                    per_fixed_day=Decimal("200"),
                    per_roving_day=Decimal("150"),
                    per_talk=Decimal("100"),
                    per_mediation=Decimal("50"),
                    per_document=Decimal("30"),
                    monthly_cap=cap,
                    document_no="（示例）",
                ),
                actor=actor,
            )
    # Talent profiles of 思明区's lawyers: availability, a dialect, the reserve list of the first town.
    town = _first_town(SIMING)
    for n, p in enumerate(
        Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER, unit__region_id=SIMING).order_by("pk")[:6]
    ):
        if TalentProfile.objects.filter(practitioner=p).exists():
            continue
        actions.save_talent_profile(
            p.pk,
            actions.TalentData(
                languages="闽南语" if n % 2 == 0 else "",
                available=n != 3,
                max_villages=3,
                reserve_towns=[town] if town is not None and n % 3 == 0 else [],
            ),
            actor=actor,
        )
