"""Demo matters in various states, made through the real actions so their events, clocks and messages are
what production would have. Needs the demo units and staff (fawang.orgs.demo.load_demo) first.

Runs once: if any demo matter exists (idempotency key ``demo:...``) it does nothing. People, ID numbers and
phone numbers are invented (seeded random generator, 海沧区 region prefix so they never match test data).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from fawang.accounts.models import User
from fawang.catalog.models import ServiceItem
from fawang.lib.validators import id_check_digit
from fawang.orgs.models import Unit
from fawang.orgs.names import person_name
from fawang.regions.models import Region

from . import actions
from .models import Evaluation, Matter

KEY = "demo:"


def _person(rng: random.Random, *, groups: tuple[str, ...] = ()) -> actions.PersonData:
    born = dt.date(rng.randint(1945, 2000), rng.randint(1, 12), rng.randint(1, 28))
    first17 = f"350205{born:%Y%m%d}{rng.randint(100, 999)}"
    return actions.PersonData(
        name=person_name(rng),
        phone=f"139{rng.randint(10000000, 99999999)}",
        id_number=first17 + id_check_digit(first17),
        special_groups=groups,
    )


def _one(
    key: str,
    item_code: str,
    description: str,
    *,
    clerk: User | None,
    intake: Unit | None,
    region: str,
    channel: str,
    person: actions.PersonData,
    at: dt.datetime,
) -> Matter:
    item = ServiceItem.objects.get(code=item_code)
    return actions.do_submit(
        actor=clerk,
        person=person,
        requests=[actions.MatterRequest(item, description, Region.objects.get(code=region))],
        channel=channel,
        intake_unit=intake,
        idempotency_key=KEY + key,
        now=at,
    ).matters[0]


@transaction.atomic
def load_matters_demo(now: dt.datetime | None = None) -> int:
    """Create the demo matters; returns how many (0 when they exist already or the demo staff are missing)."""
    if Matter.objects.filter(idempotency_key__startswith=KEY).exists():
        return 0
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "sm_clerk",
                "sm_handler",
                "sm_supervisor",
                "hl_clerk",
                "xy_clerk",
                "xy_handler",
                "xm_agent",
            ]
        )
    }
    if len(users) < 7:
        return 0
    now = now or timezone.now()
    rng = random.Random("matters-demo")
    days = dt.timedelta(days=1)
    station = Unit.objects.get(name="厦港街道公共法律服务工作站")
    sm_centre = Unit.objects.get(name="思明区公共法律服务中心")
    xm_centre = Unit.objects.get(name="厦门市公共法律服务中心")
    hl_centre = Unit.objects.get(name="湖里区公共法律服务中心")
    xy_centre = Unit.objects.get(name="仙游县公共法律服务中心")
    sm_clerk, sm_handler = users["sm_clerk"], users["sm_handler"]
    made: list[Matter] = []

    # 思明区: a new legal-aid application taken in at a street station this morning.
    made.append(
        _one(
            "sm-new",
            "legal_aid",
            "在建筑工地务工，包工头拖欠 2024 年下半年工资约 3 万元，申请法律援助。",
            clerk=sm_clerk,
            intake=station,
            region="350203001",
            channel="window",
            person=_person(rng, groups=("migrant_worker",)),
            at=now - dt.timedelta(hours=2),
        )
    )
    # Waiting for materials (一次性告知).
    m = _one(
        "sm-materials",
        "legal_aid",
        "离婚后前夫拒付抚养费，申请法律援助代理诉讼。",
        clerk=sm_clerk,
        intake=sm_centre,
        region="350203003",
        channel="window",
        person=_person(rng, groups=("women",)),
        at=now - 3 * days,
    )
    actions.do_request_materials(
        m.pk, actor=sm_handler, missing=["经济困难状况说明", "离婚判决书或者调解书"], now=now - 2 * days
    )
    made.append(m)
    # Accepted and assigned, in progress.
    m = _one(
        "sm-progress",
        "legal_aid",
        "工伤认定后单位不支付工伤保险待遇。",
        clerk=sm_clerk,
        intake=sm_centre,
        region="350203005",
        channel="window",
        person=_person(rng),
        at=now - 6 * days,
    )
    actions.do_accept(m.pk, actor=sm_handler, now=now - 5 * days)
    actions.do_assign(m.pk, actor=sm_handler, handler=sm_handler, now=now - 4 * days)
    made.append(m)
    # Overdue: submitted twelve days ago and never accepted (the deadline scan will warn and escalate it).
    made.append(
        _one(
            "sm-overdue",
            "legal_aid",
            "交通事故受伤，对方拒绝赔偿医疗费。",
            clerk=sm_clerk,
            intake=sm_centre,
            region="350203006",
            channel="window",
            person=_person(rng, groups=("elderly",)),
            at=now - 12 * days,
        )
    )
    # A consultation answered at the window and rated 非常满意 (closed).
    m = _one(
        "sm-consult",
        "consultation",
        "咨询租房押金不退怎么办。",
        clerk=sm_clerk,
        intake=sm_centre,
        region="350203001",
        channel="window",
        person=_person(rng),
        at=now - 8 * days,
    )
    actions.do_accept(m.pk, actor=sm_handler, now=now - 8 * days)
    actions.do_complete(
        m.pk,
        actor=sm_handler,
        result="已告知可依据租赁合同约定协商，协商不成可向人民法院起诉。",
        now=now - 7 * days,
    )
    actions.do_rate(
        m.pk, actor=None, level=Evaluation.Level.VERY_SATISFIED, comment="解答清楚。", now=now - 6 * days
    )
    made.append(m)
    # Completed and rated 不满意: a callback for the bureau and a rectification for the centre.
    m = _one(
        "sm-bad",
        "legal_aid",
        "欠款纠纷，申请法律援助。",
        clerk=sm_clerk,
        intake=sm_centre,
        region="350203007",
        channel="window",
        person=_person(rng),
        at=now - 30 * days,
    )
    actions.do_accept(m.pk, actor=sm_handler, now=now - 28 * days)
    actions.do_assign(m.pk, actor=sm_handler, handler=sm_handler, now=now - 27 * days)
    actions.do_complete(m.pk, actor=sm_handler, result="已代为起诉，法院调解结案。", now=now - 5 * days)
    actions.do_rate(
        m.pk,
        actor=None,
        level=Evaluation.Level.DISSATISFIED,
        comment="承办律师联系不及时。",
        now=now - 4 * days,
    )
    made.append(m)
    # 12348 hotline (city centre) and 湖里区 and 仙游县 windows.
    made.append(
        _one(
            "xm-hotline",
            "consultation",
            "来电咨询：公司未签劳动合同，能否要求二倍工资。",
            clerk=users["xm_agent"],
            intake=xm_centre,
            region="350206",
            channel="hotline",
            person=_person(rng),
            at=now - 1 * days,
        )
    )
    made.append(
        _one(
            "hl-mediation",
            "mediation",
            "楼上住户装修导致楼下渗水，协商未果，申请调解。",
            clerk=users["hl_clerk"],
            intake=hl_centre,
            region="350206001",
            channel="window",
            person=_person(rng),
            at=now - 2 * days,
        )
    )
    m = _one(
        "xy-legal-aid",
        "legal_aid",
        "农村土地承包经营权纠纷，申请法律援助。",
        clerk=users["xy_clerk"],
        intake=xy_centre,
        region="350322100",
        channel="window",
        person=_person(rng, groups=("low_income",)),
        at=now - 3 * days,
    )
    actions.do_accept(m.pk, actor=users["xy_handler"], now=now - 1 * days)
    made.append(m)
    return len(made)
