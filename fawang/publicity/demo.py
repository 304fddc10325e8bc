"""Demo publicity data for 思明区, made through the actions as the system administrator: the first street has two
法治文化阵地, a 宣传栏 and an LED screen showing this week's content; the second street one 阵地 (so it shows among the
towns below two); a "进社区" activity that took place (with a 以案释法 case) and one planned next week; the year's
survey of two communities. Idempotent (a town with sites is left as it is); all names invented."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fawang.accounts.models import User
from fawang.knowledge.models import KnowledgeEntry
from fawang.orgs.models import Unit
from fawang.regions.models import Region

from . import actions
from .models import Activity, Site

SIMING = "350203"


def load_line_demo() -> None:
    actor = User.objects.filter(username="sysadmin").first()
    towns = list(Region.objects.filter(parent_id=SIMING, level=Region.Level.TOWN).order_by("code")[:2])
    if actor is None or len(towns) < 2 or Site.objects.filter(town__in=towns).exists():
        return
    first, second = towns
    office = Unit.objects.filter(region=first, kind=Unit.Kind.JUDICIAL_OFFICE).first()
    office2 = Unit.objects.filter(region=second, kind=Unit.Kind.JUDICIAL_OFFICE).first()
    if office is None or office2 is None:
        return
    for kind, form, name, address in (
        (
            Site.Kind.CULTURE,
            Site.Form.PARK,
            f"{first.name}法治文化公园",
            f"{first.name}沙坡尾滨海步道旁（示例）",
        ),
        (
            Site.Kind.CULTURE,
            Site.Form.CORRIDOR,
            f"{first.name}宪法长廊",
            f"{first.name}便民服务中心南侧（示例）",
        ),
        (Site.Kind.BOARD, "", f"{first.name}法治宣传栏", f"{first.name}社区广场（示例）"),
        (Site.Kind.LED, "", f"{first.name}法治宣传LED屏", f"{first.name}主街十字路口（示例）"),
    ):
        site = actions.register_site(
            office.pk,
            actions.SiteData(kind=kind, form=form, name=name, town=first, address=address),
            actor=actor,
        )
        if kind == Site.Kind.LED:
            today = timezone.localdate()
            actions.add_display_item(
                site.pk,
                actor=actor,
                title="民法典进万家",
                content="婚姻家庭、继承、相邻关系，遇到纠纷找人民调解，法律咨询请拨打 12348。",
                starts_on=today - dt.timedelta(days=2),
                ends_on=today + dt.timedelta(days=5),
            )
    actions.register_site(
        office2.pk,
        actions.SiteData(
            kind=Site.Kind.CULTURE,
            form=Site.Form.SQUARE,
            name=f"{second.name}法治广场",
            town=second,
            address=f"{second.name}文化广场（示例）",
        ),
        actor=actor,
    )
    now = timezone.now()
    case = KnowledgeEntry.objects.filter(kind=KnowledgeEntry.Kind.CASE).order_by("pk").first()
    done = actions.plan_activity(
        office.pk,
        actions.ActivityData(
            title="民法典进社区专题讲座",
            target=Activity.Target.COMMUNITIES,
            town=first,
            place=f"{first.name}社区党群服务中心",
            starts_at=now - dt.timedelta(days=10),
            audience="社区居民",
            organiser="社区法律顾问",
        ),
        actor=actor,
    )
    actions.record_activity(
        done.pk,
        actor=actor,
        reached=86,
        summary="讲解相邻关系与物业纠纷，现场解答咨询 12 人次。",
        cases=[case] if case else [],
    )
    actions.plan_activity(
        office.pk,
        actions.ActivityData(
            title="防范电信诈骗进校园",
            target=Activity.Target.SCHOOLS,
            town=first,
            place=f"{first.name}中心小学（示例）",
            starts_at=now + dt.timedelta(days=7),
            audience="小学生及家长",
        ),
        actor=actor,
    )
    year = timezone.localdate().year
    for n, village in enumerate(Region.objects.filter(parent=first).order_by("code")[:2]):
        actions.save_survey(
            village.code,
            actor=actor,
            year=year,
            households=1200 + 100 * n,
            households_reached=1150 + 50 * n,
            sample_size=100,
            aware=92 + 3 * n,
            surveyed_on=dt.date(year, 1, 15),
        )
