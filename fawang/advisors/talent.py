"""The talent pool (人才信息库) and recommendations: when an advisor post falls vacant (or a village's matter
needs a specialist), the practitioners who may serve, ranked by points with the reasons written out.

Who may serve as a village advisor is fawang.orgs' rule (lawyers, grassroots legal service workers, village
advisors; practising). Excluded with their reason: not available in the pool, already serving their maximum of
villages, a penalty (行政处罚/行业惩戒) on the credit file in the last three years. Points:

- on the reserve list (储备名单) of the village's town: 30
- a practice in the same county: 20 (another county of the same city: 0; further away: not a candidate)
- years of practice: 1 per year, at most 15
- free places (max villages − villages served now): 5 each
- the committees' ratings of confirmed work: (average − 3) × 5
- each speciality asked for that they hold: 25
- each language asked for that they speak: 10
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.lib import codes
from fawang.orgs.models import AdvisorAssignment, CreditRecord, Practitioner, Speciality
from fawang.regions.models import Region

from .models import TalentProfile, WorkLog, years_of_practice

ADVISOR_KINDS = (
    Practitioner.Kind.LAWYER,
    Practitioner.Kind.GRASSROOTS_WORKER,
    Practitioner.Kind.VILLAGE_ADVISOR,
)
PENALTY_YEARS = 3
DEFAULT_MAX_VILLAGES = 3


@dataclass
class Candidate:
    practitioner: Practitioner
    points: int = 0
    reasons: list[str] = field(default_factory=list)
    excluded: str = ""
    serving: int = 0
    past: int = 0
    rating: float | None = None
    years: int = 0


def recommend(  # noqa: C901 -- one exclusion rule after another over the candidates, read top to bottom
    village: Region,
    *,
    specialities: list[Speciality] | None = None,
    languages: list[str] | None = None,
    today: dt.date | None = None,
    limit: int = 10,
) -> tuple[list[Candidate], list[Candidate]]:
    """(ranked candidates, excluded ones with their reason) for ``village``'s advisor post."""
    today = today or timezone.localdate()
    city, county, town = village.code[:4], village.code[:6], village.code[:9]
    specialities = specialities or []
    languages = [w for w in (languages or []) if w]
    people = list(
        Practitioner.objects.filter(
            kind__in=ADVISOR_KINDS, licence_status=Practitioner.LicenceStatus.PRACTISING, unit__isnull=False
        )
        .filter(codes.under("unit__region_id", city))
        .select_related("unit")
        .prefetch_related("specialities")
    )
    ids = [p.pk for p in people]
    profiles = {
        t.practitioner_id: t
        for t in TalentProfile.objects.filter(practitioner_id__in=ids).prefetch_related("reserve_towns")
    }
    serving = dict(
        AdvisorAssignment.objects.current()
        .filter(practitioner_id__in=ids)
        .values_list("practitioner_id")
        .annotate(n=Count("pk"))
    )
    past = dict(
        AdvisorAssignment.objects.filter(practitioner_id__in=ids, ended_on__isnull=False)
        .values_list("practitioner_id")
        .annotate(n=Count("pk"))
    )
    ratings = dict(
        WorkLog.objects.filter(assignment__practitioner_id__in=ids, rating__isnull=False)
        .values_list("assignment__practitioner_id")
        .annotate(avg=Avg("rating"))
    )
    since = (
        today.replace(year=today.year - PENALTY_YEARS)
        if not (today.month == 2 and today.day == 29)
        else (today - dt.timedelta(days=365 * PENALTY_YEARS))
    )
    penalised = set(
        CreditRecord.objects.filter(
            practitioner_id__in=ids, kind=CreditRecord.Kind.PENALTY, decided_on__gte=since
        ).values_list("practitioner_id", flat=True)
    )
    current = (
        AdvisorAssignment.objects.current().filter(region=village).values_list("practitioner_id", flat=True)
    )
    current_ids = set(current)
    ranked: list[Candidate] = []
    excluded: list[Candidate] = []
    wanted_specs = {s.pk: s.name for s in specialities}
    for p in people:
        c = Candidate(
            p, serving=serving.get(p.pk, 0), past=past.get(p.pk, 0), years=years_of_practice(p, today)
        )
        avg = ratings.get(p.pk)
        c.rating = round(float(avg), 1) if avg is not None else None
        profile = profiles.get(p.pk)
        max_villages = profile.max_villages if profile else DEFAULT_MAX_VILLAGES
        if p.pk in current_ids:
            continue
        if profile is not None and not profile.available:
            c.excluded = _("人才库中标记为暂不接受聘任")
        elif c.serving >= max_villages:
            c.excluded = _("已服务 %(n)s 个村（社区），达到上限") % {"n": c.serving}
        elif p.pk in penalised:
            c.excluded = _("近 %(n)s 年有行政处罚或行业惩戒记录") % {"n": PENALTY_YEARS}
        if c.excluded:
            excluded.append(c)
            continue
        if profile is not None and any(t.code == town for t in profile.reserve_towns.all()):
            c.points += 30
            c.reasons.append(_("在本乡镇（街道）储备名单中（+30）"))
        if p.unit is not None and p.unit.region_id.startswith(county):
            c.points += 20
            c.reasons.append(_("执业机构在本县（区）（+20）"))
        if c.years:
            add = min(c.years, 15)
            c.points += add
            c.reasons.append(_("执业 %(n)s 年（+%(p)s）") % {"n": c.years, "p": add})
        free = max_villages - c.serving
        c.points += 5 * free
        c.reasons.append(
            _("现服务 %(n)s 个村（社区），还可承担 %(f)s 个（+%(p)s）")
            % {"n": c.serving, "f": free, "p": 5 * free}
        )
        if c.rating is not None:
            add = round((c.rating - 3) * 5)
            c.points += add
            c.reasons.append(_("村委会评价平均 %(r)s 分（%(p)+d）") % {"r": c.rating, "p": add})
        held = {s.pk for s in p.specialities.all()}
        for pk, name in wanted_specs.items():
            if pk in held:
                c.points += 25
                c.reasons.append(_("专长：%(name)s（+25）") % {"name": name})
        spoken = profile.language_list if profile else []
        for word in languages:
            if word in spoken:
                c.points += 10
                c.reasons.append(_("会说%(lang)s（+10）") % {"lang": word})
        if c.past:
            c.reasons.append(_("曾担任 %(n)s 个村（社区）的法律顾问") % {"n": c.past})
        ranked.append(c)
    ranked.sort(key=lambda c: (-c.points, -c.years, c.practitioner.pk))
    return ranked[:limit], excluded


def vacancies(county_code: str) -> list[Region]:
    """Villages of a county without a current advisor (the posts to fill)."""
    taken = (
        AdvisorAssignment.objects.current().filter(region__parent__parent_id=county_code).values("region_id")
    )
    return list(
        Region.objects.filter(parent__parent_id=county_code, level=Region.Level.VILLAGE)
        .exclude(code__in=taken)
        .order_by("code")
    )


def reserve_lists(county_code: str) -> dict[str, list[TalentProfile]]:
    """Town code -> the talent profiles on its reserve list (储备名单)."""
    out: dict[str, list[TalentProfile]] = defaultdict(list)
    for profile in (
        TalentProfile.objects.filter(reserve_towns__parent_id=county_code)
        .select_related("practitioner__unit")
        .prefetch_related("reserve_towns")
        .distinct()
    ):
        for town in profile.reserve_towns.all():
            if town.parent_id == county_code:
                out[town.code].append(profile)
    return dict(out)


def specialists(
    topic: Speciality | None, region: Region, *, today: dt.date | None = None, limit: int = 5
) -> list[Candidate]:
    """Practitioners of the talent pool to suggest for a matter about ``topic`` in ``region`` (专业人才推荐), best
    first, each with the reasons of their points. Without a topic there is nothing to match: none. Left out: not
    practising, marked unavailable in the pool, a penalty in the last three years.

    Points: the matter's area among their specialities is required; practice in the matter's county +20 (elsewhere in
    the city 0); on the reserve list of the matter's town +10; years of practice 1 each, at most 15; the committees'
    ratings of their confirmed village work (average − 3) × 5."""
    if topic is None:
        return []
    today = today or timezone.localdate()
    code = region.code
    city, county, town = code[:4], code[:6], code[:9]
    people = list(
        Practitioner.objects.filter(
            kind__in=ADVISOR_KINDS,
            licence_status=Practitioner.LicenceStatus.PRACTISING,
            unit__isnull=False,
            specialities=topic,
        )
        .filter(codes.under("unit__region_id", city))
        .select_related("unit")
    )
    ids = [p.pk for p in people]
    profiles = {
        t.practitioner_id: t
        for t in TalentProfile.objects.filter(practitioner_id__in=ids).prefetch_related("reserve_towns")
    }
    ratings = dict(
        WorkLog.objects.filter(assignment__practitioner_id__in=ids, rating__isnull=False)
        .values_list("assignment__practitioner_id")
        .annotate(avg=Avg("rating"))
    )
    since = today - dt.timedelta(days=365 * PENALTY_YEARS + 1)
    penalised = set(
        CreditRecord.objects.filter(
            practitioner_id__in=ids, kind=CreditRecord.Kind.PENALTY, decided_on__gte=since
        ).values_list("practitioner_id", flat=True)
    )
    ranked: list[Candidate] = []
    for person in people:
        profile = profiles.get(person.pk)
        if person.pk in penalised or (profile is not None and not profile.available):
            continue
        found = Candidate(person, years=years_of_practice(person, today))
        found.reasons.append(_("专长：%(name)s") % {"name": topic.name})
        if person.unit is not None and person.unit.region_id.startswith(county):
            found.points += 20
            found.reasons.append(_("执业机构在本县（区）（+20）"))
        if (
            profile is not None
            and len(town) == 9
            and any(t.code == town for t in profile.reserve_towns.all())
        ):
            found.points += 10
            found.reasons.append(_("在本乡镇（街道）储备名单中（+10）"))
        if found.years:
            add = min(found.years, 15)
            found.points += add
            found.reasons.append(_("执业 %(n)s 年（+%(p)s）") % {"n": found.years, "p": add})
        average = ratings.get(person.pk)
        if average is not None:
            found.rating = round(float(average), 1)
            add = round((found.rating - 3) * 5)
            found.points += add
            found.reasons.append(_("村委会评价平均 %(r)s 分（%(p)+d）") % {"r": found.rating, "p": add})
        if profile is not None and profile.language_list:
            found.reasons.append(_("会说%(langs)s") % {"langs": "、".join(profile.language_list)})
        ranked.append(found)
    ranked.sort(key=lambda c: (-c.points, -c.years, c.practitioner.pk))
    return ranked[:limit]
