"""A year of realistic activity for the demo (``manage.py load_activity``): tens of thousands of matters across
厦门市 and 仙游县, on every channel, item and unit, with a weekly rhythm (Mondays busy, weekends quiet), the
seasons (quiet over 春节 and 国庆, a rise after 春节, wage arrears in the weeks before 春节), handling times by
item, some late, ratings, complaints after bad ratings, and two planted anomalies for the early warning.

This is a data generator, not a workflow: it writes the rows directly with ``bulk_create`` and bypasses the
actions (``do_submit``, ``do_accept`` ...) on purpose — through them a year would take hours. What it writes is
what the actions would have left: the matter in its final status with its times, and its events (提交, 受理,
督办升级 for a missed limit, 办结, 评价, 被投诉) in the same shape, each marked ``{"generated": "load_activity"}``.
Every matter carries the idempotency key ``activity-<seed>-<n>``, so a second run finds the year loaded and
does nothing (``replace=True`` deletes the generated rows first). All people are invented.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from fawang.catalog.models import Channel, ServiceItem
from fawang.matters import tracking
from fawang.matters.models import Callback, Complaint, Evaluation, Matter, MatterEvent, Person
from fawang.orgs.models import Speciality, Unit
from fawang.orgs.names import person_name
from fawang.regions.models import Region

KEY_PREFIX = "activity-"
GENERATED = {"generated": "load_activity"}
COUNTIES = ("350203", "350205", "350206", "350211", "350212", "350213", "350322")
SIMING = "350203"
# The planted anomalies (both in 思明区, so its supervisor sees them): a wage-arrears surge in 莲前街道 and a
# demolition-dispute cluster in 曾厝垵社区 (滨海街道), in the last days before ``end``.
WAGE_TOWN = "350203010"
DEMOLITION_VILLAGE = "350203005007"
WAGE_EXTRA = 32
DEMOLITION_EXTRA = 14
PLANT_DAYS = 7
CHUNK = 20_000

# 春节 (the first day) and 国庆 of the years the generator may cover: quiet weeks.
SPRING_FESTIVAL = [dt.date(2024, 2, 10), dt.date(2025, 1, 29), dt.date(2026, 2, 17), dt.date(2027, 2, 6)]
NATIONAL_DAY = [dt.date(y, 10, 1) for y in (2024, 2025, 2026, 2027)]
# Monday .. Sunday: the windows are busiest on Mondays and nearly closed at weekends.
WEEKDAY = (1.45, 1.15, 1.05, 1.0, 0.95, 0.3, 0.2)

# Share of each service item (by code) among what people bring; complaints come from bad ratings.
ITEMS = {
    "consultation": 0.55,
    "legal_aid": 0.08,
    "legal_aid_objection": 0.003,
    "mediation": 0.14,
    "notary": 0.06,
    "appraisal": 0.01,
    "lawyer": 0.03,
    "publicity": 0.02,
    "resettlement": 0.01,
    "corrections": 0.02,
    "remote_visit": 0.02,
    "other": 0.02,
}
TOPIC_ITEMS = {
    "consultation",
    "legal_aid",
    "legal_aid_objection",
    "mediation",
    "lawyer",
    "other",
    "complaint",
}
TOPICS = {
    "family": 0.18,
    "labour": 0.15,
    "debt": 0.12,
    "contract": 0.08,
    "property": 0.08,
    "traffic": 0.07,
    "tort": 0.05,
    "injury": 0.05,
    "consumer": 0.05,
    "demolition": 0.03,
    "construction": 0.03,
    "medical": 0.02,
    "administrative": 0.02,
    "criminal": 0.02,
    "general": 0.03,
    "company": 0.01,
    "security": 0.01,
}
CHANNELS = {
    "window": 0.35,
    "hotline": 0.28,
    "web": 0.09,
    "app": 0.06,
    "wechat": 0.13,
    "mail": 0.01,
    "proxy": 0.03,
}
CHANNELS["visit"] = 0.05
# Typical handling (median days from acceptance to completion) and the limit in calendar days when the item has
# none of its own (working days × 7/5).
HANDLING = {
    "consultation": 0.6,
    "legal_aid": 4.0,
    "legal_aid_objection": 3.0,
    "mediation": 9.0,
    "notary": 5.0,
    "appraisal": 12.0,
    "lawyer": 2.0,
    "publicity": 6.0,
    "resettlement": 5.0,
    "corrections": 1.5,
    "remote_visit": 3.0,
    "other": 3.0,
    "complaint": 8.0,
}
LIMIT_DAYS = {
    "legal_aid": 10,
    "mediation": 30,
    "notary": 21,
    "appraisal": 42,
    "lawyer": 7,
    "publicity": 14,
    "resettlement": 14,
    "corrections": 7,
    "remote_visit": 7,
    "other": 10,
}

# What people say, by topic: a few sentences each, so the consultations' text has words to compare.
TEXTS = {
    "family": [
        "离婚时孩子抚养权怎么判",
        "夫妻共同财产如何分割",
        "老人赡养费子女不给",
        "彩礼退还的问题",
        "遗产继承兄弟姐妹有争议",
    ],
    "labour": [
        "公司拖欠工资两个月不发",
        "被单位辞退没有经济补偿",
        "加班费不支付怎么办",
        "没签劳动合同能要求双倍工资吗",
        "工伤认定后单位不赔偿",
    ],
    "debt": ["朋友借钱不还有借条", "民间借贷利息过高", "担保人要承担什么责任", "欠款人下落不明怎么起诉"],
    "contract": [
        "装修合同违约对方不退定金",
        "买卖合同货物质量有问题",
        "租房押金房东不退",
        "合同约定的违约金过高",
    ],
    "property": ["二手房过户后发现漏水", "房屋买卖定金纠纷", "物业费争议", "房产证上加名字的问题"],
    "traffic": ["交通事故对方全责不赔钱", "电动车被撞保险怎么理赔", "交通事故伤残鉴定", "肇事逃逸怎么办"],
    "tort": ["邻居装修损坏我家墙面", "宠物狗咬伤人谁负责", "楼上漏水造成损失"],
    "injury": ["在商场摔伤要求赔偿", "打架受伤医药费谁出", "学校里孩子受伤的责任"],
    "consumer": ["网购商品质量问题商家不退货", "预付卡商家跑路", "培训机构不退费"],
    "demolition": ["房屋征收补偿标准不清楚", "拆迁安置房面积有争议", "宅基地上的房子被拆补偿"],
    "construction": ["工程款结算纠纷", "房屋质量问题开发商不修"],
    "medical": ["手术后出现并发症医院有没有责任", "医疗事故鉴定程序"],
    "administrative": ["对行政处罚决定不服", "行政复议怎么申请"],
    "criminal": ["家人被刑事拘留怎么办", "取保候审的条件"],
    "general": ["想了解法律援助的条件", "怎么申请人民调解", "公证需要带什么材料"],
    "company": ["股东之间的分红纠纷", "公司注销后债务怎么处理"],
    "security": ["抵押的房子能不能卖", "担保合同的效力"],
}
ITEM_TEXTS = {
    "notary": ["办理继承公证", "办理委托公证", "学历公证用于出国", "房产赠与公证"],
    "appraisal": ["伤残等级鉴定申请", "笔迹鉴定咨询"],
    "publicity": ["预约社区法治讲座", "企业员工普法宣传活动"],
    "resettlement": ["刑满释放人员就业帮扶", "安置帮教对象登记"],
    "corrections": ["社区矫正报到", "社区矫正期间外出请假"],
    "remote_visit": ["预约远程视频会见在押家属"],
}
# The planted anomalies' own words: what rises in the consultations when they happen.
WAGE_TEXTS = [
    "工地包工头拖欠农民工工资，项目部不结算",
    "年底讨薪，包工头跑路，工地上十几个人没拿到工资",
    "建筑工地欠薪，总包单位和项目部互相推诿",
    "农民工工资被拖欠半年，工地停工",
]
DEMOLITION_TEXTS = [
    "旧村改造征收补偿款比评估价低，村里很多户不同意",
    "曾厝垵旧村改造安置房分配不公",
    "征收补偿协议没谈好就被断水断电",
    "旧村改造评估价偏低，要求重新评估",
]
PHONE_PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "158", "159", "186", "187", "188")


@dataclass
class Summary:
    matters: int = 0
    events: int = 0
    evaluations: int = 0
    complaints: int = 0
    skipped: bool = False
    start: dt.date | None = None
    end: dt.date | None = None
    extra: dict[str, int] = field(default_factory=dict)


@dataclass
class Places:
    """The regions and units the generator sends matters to."""

    villages: dict[str, list[str]]  # county -> village codes
    village_weight: dict[str, float]  # county -> share of matters (census population)
    town_of: dict[str, str]  # village -> town
    county_units: dict[str, dict[str, int]]  # county -> {"bureau", "centre", "legal_aid", "notary", "prison"}
    town_units: dict[str, dict[str, int]]  # town -> {"office", "mediation", "station"}
    rooms: dict[str, int]  # village -> 工作室
    city_centre: int | None
    appraisal: int | None


def _places() -> Places:
    units = list(Unit.objects.filter(is_active=True).values("pk", "kind", "region_id", "name"))
    by_kind_region: dict[tuple[str, str], int] = {}
    for u in sorted(units, key=lambda u: u["pk"]):
        by_kind_region.setdefault((u["kind"], u["region_id"]), u["pk"])
    counties = Region.objects.filter(code__in=COUNTIES).values_list("code", "population")
    population = {code: float(pop or 100_000) for code, pop in counties}
    villages: dict[str, list[str]] = {}
    town_of: dict[str, str] = {}
    for code, parent in (
        Region.objects.filter(level=Region.Level.VILLAGE, parent__parent__in=list(population))
        .order_by("code")
        .values_list("code", "parent_id")
    ):
        villages.setdefault(code[:6], []).append(code)
        town_of[code] = parent or code[:9]
    present = [c for c in population if villages.get(c)]
    total = sum(population[c] for c in present) or 1.0
    county_units: dict[str, dict[str, int]] = {}
    for c in present:
        city = c[:4]
        county_units[c] = {
            "bureau": by_kind_region.get((Unit.Kind.BUREAU, c), 0),
            "centre": by_kind_region.get((Unit.Kind.CENTRE, c), 0),
            "legal_aid": by_kind_region.get((Unit.Kind.LEGAL_AID, c), 0),
            "notary": by_kind_region.get((Unit.Kind.NOTARY, c), 0)
            or by_kind_region.get((Unit.Kind.NOTARY, city), 0),
            "prison": by_kind_region.get((Unit.Kind.PRISON, c), 0)
            or by_kind_region.get((Unit.Kind.PRISON, city), 0),
        }
    town_units: dict[str, dict[str, int]] = {}
    for town in set(town_of.values()):
        town_units[town] = {
            "office": by_kind_region.get((Unit.Kind.JUDICIAL_OFFICE, town), 0),
            "mediation": by_kind_region.get((Unit.Kind.MEDIATION, town), 0),
            "station": by_kind_region.get((Unit.Kind.STATION, town), 0),
        }
    rooms = {v: by_kind_region[(Unit.Kind.ROOM, v)] for v in town_of if (Unit.Kind.ROOM, v) in by_kind_region}
    return Places(
        villages={c: villages[c] for c in present},
        village_weight={c: population[c] / total for c in present},
        town_of=town_of,
        county_units=county_units,
        town_units=town_units,
        rooms=rooms,
        city_centre=by_kind_region.get((Unit.Kind.CENTRE, "3502")),
        appraisal=by_kind_region.get((Unit.Kind.APPRAISAL, "3502")),
    )


def _day_factor(day: dt.date) -> float:
    f = WEEKDAY[day.weekday()]
    for sf in SPRING_FESTIVAL:
        offset = (day - sf).days
        if -1 <= offset < 7:
            return f * 0.25  # 春节 holidays
        if 7 <= offset < 21:
            f *= 1.3  # the rise after the holidays
    for nd in NATIONAL_DAY:
        if 0 <= (day - nd).days < 7:
            return f * 0.3
    return f


def _labour_factor(day: dt.date) -> float:
    """Wage arrears before 春节: labour matters double in the four weeks before the holidays."""
    for sf in SPRING_FESTIVAL:
        if 0 < (sf - day).days <= 28:
            return 2.0
    return 1.0


def _pick(rng: random.Random, weights: dict[str, float], allowed: Sequence[str] | None = None) -> str:
    keys = [k for k in weights if allowed is None or k in allowed]
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class Generator:
    def __init__(self, *, seed: int, count: int, end: dt.date, plant: bool) -> None:
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.seed = seed
        self.count = count
        self.end = end
        self.start = end - dt.timedelta(days=364)
        self.plant = plant
        self.now = timezone.now()
        self.places = _places()
        self.items = {s.code: s for s in ServiceItem.objects.all()}
        self.topics = dict(Speciality.objects.values_list("code", "pk"))
        self.n = 0
        self.matters: list[Matter] = []
        self.persons: list[Person] = []
        self.events: list[tuple[int, dict[str, Any]]] = []  # (index of matter, event fields)
        self.evaluations: list[tuple[int, dict[str, Any]]] = []
        self.complaints: list[tuple[int, int, int]] = []  # (complaint index, about index, about unit)
        self.callbacks: list[tuple[int, dict[str, Any]]] = []
        # Written every CHUNK matters (a day at a time), so that ten million never sit in memory at once; a
        # matter's events, rating, callback and complaint are made with it, so they are always in its chunk.
        self.summary = Summary(start=self.start, end=self.end)

    # ------------------------------------------------------------------------------------------ choices

    def _moment(self, day: dt.date, channel: str) -> dt.datetime:
        rng = self.rng
        if channel in (Channel.HOTLINE, Channel.WEB, Channel.APP, Channel.WECHAT):
            minute = int(min(max(rng.gauss(14 * 60, 200), 0), 24 * 60 - 1))
        else:
            minute = rng.choice((8 * 60 + 30, 14 * 60 + 30)) + rng.randrange(0, 180)
        naive = dt.datetime.combine(day, dt.time(minute // 60, minute % 60, rng.randrange(60)))
        return timezone.make_aware(naive)

    def _unit(self, item: str, channel: str, county: str, village: str) -> int:
        p = self.places
        cu = p.county_units[county]
        tu = p.town_units.get(p.town_of[village], {})
        rng = self.rng
        if item == "consultation":
            if (
                channel == Channel.HOTLINE
                and county.startswith("3502")
                and p.city_centre
                and rng.random() < 0.35
            ):
                return p.city_centre
            if channel in (Channel.WINDOW, Channel.VISIT):
                r = rng.random()
                if r < 0.35 and village in p.rooms:
                    return p.rooms[village]
                if r < 0.65 and tu.get("station"):
                    return tu["station"]
            return cu["centre"]
        if item == "legal_aid":
            return cu["legal_aid"] or cu["centre"]
        if item in ("legal_aid_objection", "complaint"):
            return cu["bureau"]
        if item == "mediation":
            return tu.get("mediation") or cu["centre"]
        if item == "notary":
            return cu["notary"] or cu["centre"]
        if item == "appraisal":
            return p.appraisal or cu["centre"]
        if item in ("publicity", "resettlement", "corrections"):
            return tu.get("office") or cu["bureau"]
        if item == "remote_visit":
            return cu["prison"] or cu["centre"]
        return cu["centre"]

    def _text(self, item: str, topic: str | None) -> str:
        rng = self.rng
        if topic and topic in TEXTS and item in TOPIC_ITEMS:
            base = rng.choice(TEXTS[topic])
        else:
            base = rng.choice(ITEM_TEXTS.get(item) or TEXTS["general"])
        return base + rng.choice(("，请问怎么处理？", "，想咨询一下。", "，希望得到帮助。", "。"))

    # ------------------------------------------------------------------------------------------ one matter

    def add(
        self,
        day: dt.date,
        *,
        item: str | None = None,
        topic: str | None = None,
        county: str | None = None,
        village: str | None = None,
        text: str | None = None,
        channel: str | None = None,
    ) -> int | None:
        rng = self.rng
        p = self.places
        if county is None:
            county = rng.choices(list(p.village_weight), weights=list(p.village_weight.values()))[0]
        if village is None:
            village = rng.choice(p.villages[county])
        if item is None:
            item = _pick(rng, ITEMS)
            if item == "appraisal" and not county.startswith("3502"):
                item = "consultation"
        service_item = self.items.get(item)
        if service_item is None:
            return None
        if topic is None and item in TOPIC_ITEMS:
            weights = dict(TOPICS)
            weights["labour"] *= _labour_factor(day)
            topic = _pick(rng, weights)
        if channel is None:
            channel = _pick(rng, CHANNELS, service_item.channels or list(CHANNELS))
        submitted = self._moment(day, channel)
        if submitted >= self.now:
            return None
        unit = self._unit(item, channel, county, village)
        if not unit:
            return None
        index = len(self.matters)
        self.n += 1
        person = Person(
            name=person_name(rng),
            phone=rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            address="",
        )
        self.persons.append(person)
        body = f"{submitted.astimezone(timezone.get_current_timezone()):%y%m%d}" + "".join(
            rng.choice(tracking.ALPHABET) for _ in range(tracking.RANDOM_LENGTH)
        )
        matter = Matter(
            tracking_no=tracking.PREFIX + body + tracking.check_character(body),
            service_item=service_item,
            channel=channel,
            region_id=village,
            topic_id=self.topics.get(topic) if topic else None,
            topic_source="staff" if topic else "",
            description=text or self._text(item, topic),
            status=Matter.Status.SUBMITTED,
            unit_id=unit,
            intake_unit_id=unit if channel in (Channel.WINDOW, Channel.VISIT, Channel.HOTLINE) else None,
            submitted_at=submitted,
            idempotency_key=f"{KEY_PREFIX}{self.seed}-{self.n:07d}",
        )
        self.matters.append(matter)
        self._event(index, "submit", submitted, "", "submitted", unit)
        self._life(index, matter, item, unit)
        return index

    def _event(
        self, index: int, action: str, at: dt.datetime, old: str, new: str, unit: int, **extra: Any
    ) -> None:
        fields = {
            "action": action,
            "created_at": at,
            "old_status": old,
            "new_status": new,
            "old_unit_id": unit,
            "new_unit_id": unit,
            "visible_to_person": action != "escalate",
            "payload": dict(GENERATED),
            **extra,
        }
        self.events.append((index, fields))

    def _life(self, index: int, m: Matter, item: str, unit: int) -> None:
        """Acceptance, handling, the limit, completion, rating and perhaps a complaint, up to now."""
        rng = self.rng
        now = self.now
        accept_delay = dt.timedelta(hours=rng.expovariate(1 / (2 if item == "consultation" else 20)))
        accepted = m.submitted_at + accept_delay
        if accepted >= now:
            m.step = "accept"
            m.step_started_at = m.submitted_at
            m.due_at = m.submitted_at + dt.timedelta(days=4)
            return
        if rng.random() < 0.01:  # 不予受理
            m.status = Matter.Status.REJECTED
            m.closed_at = accepted
            self._event(
                index,
                "reject",
                accepted,
                Matter.Status.SUBMITTED,
                Matter.Status.REJECTED,
                unit,
                note="不符合受理条件。",
            )
            return
        m.status = Matter.Status.ACCEPTED
        m.accepted_at = accepted
        self._event(index, "accept", accepted, Matter.Status.SUBMITTED, Matter.Status.ACCEPTED, unit)
        limit = dt.timedelta(days=LIMIT_DAYS.get(item, 5))
        due = accepted + limit
        median = HANDLING.get(item, 3.0)
        # Log-normal handling times; a few units run late.
        days = float(self.np.lognormal(math.log(median), 0.75))
        if unit % 17 == 0:
            days *= 1.8
        done = accepted + dt.timedelta(days=days)
        late = done > due
        if late and due < now:
            m.escalated_at = due
            self._event(
                index,
                "escalate",
                due,
                Matter.Status.ACCEPTED,
                Matter.Status.ACCEPTED,
                unit,
                note="超过办理时限，自动督办。",
            )
        if done >= now:
            m.status = Matter.Status.IN_PROGRESS
            m.step = "complete"
            m.step_started_at = accepted
            m.due_at = due
            m.warn_at = accepted + limit * 0.8
            return
        m.status = Matter.Status.COMPLETED
        m.completed_at = done
        m.result = "已答复并告知相关法律规定。" if item == "consultation" else "已办结。"
        self._event(
            index, "complete", done, Matter.Status.ACCEPTED, Matter.Status.COMPLETED, unit, note=m.result
        )
        if rng.random() >= 0.55:
            return
        rated = done + dt.timedelta(hours=rng.expovariate(1 / 30))
        if rated >= now:
            return
        weights = [0.02, 0.05, 0.08, 0.25, 0.60]  # levels 1..5
        if late:
            weights = [0.10, 0.18, 0.17, 0.25, 0.30]
        level = rng.choices((1, 2, 3, 4, 5), weights=weights)[0]
        self.evaluations.append((index, {"level": level, "created_at": rated}))
        self._event(
            index,
            "rate",
            rated,
            Matter.Status.COMPLETED,
            Matter.Status.COMPLETED,
            unit,
            payload={**GENERATED, "level": level, "level_label": str(Evaluation.Level(level).label)},
        )
        if level <= 2:
            self._callback(index, m, rated)
            if rng.random() < 0.3:
                self._complaint(index, m, rated, unit)

    def _callback(self, index: int, m: Matter, rated: dt.datetime) -> None:
        """差评回访, by the county's 司法局 (as ``do_rate`` opens it), done within the limit nine times in ten."""
        bureau = self.places.county_units[m.region_id[:6]]["bureau"]
        if not bureau:
            return
        due = rated + dt.timedelta(days=7)
        fields: dict[str, Any] = {
            "reason": "bad_rating",
            "unit_id": bureau,
            "due_at": due,
            "created_at": rated,
        }
        r = self.rng.random()
        done = rated + dt.timedelta(days=r * 6) if r < 0.9 else due + dt.timedelta(days=3)
        if done < self.now and r < 0.97:
            fields.update(
                done_at=done, outcome="已电话回访，说明办理情况。", satisfied=self.rng.random() < 0.6
            )
        self.callbacks.append((index, fields))
        self._event(index, "callback", rated, "completed", "completed", m.unit_id, visible_to_person=False)

    def _complaint(self, about: int, about_matter: Matter, after: dt.datetime, about_unit: int) -> None:
        county = about_matter.region_id[:6]
        day = (
            (after + dt.timedelta(days=self.rng.random() * 3))
            .astimezone(timezone.get_current_timezone())
            .date()
        )
        if day > self.end:
            return
        topic_code = None
        if about_matter.topic_id:
            topic_code = next((c for c, pk in self.topics.items() if pk == about_matter.topic_id), None)
        index = self.add(
            day,
            item="complaint",
            topic=topic_code,
            county=county,
            village=about_matter.region_id,
            text="对办理结果不满意，投诉工作人员答复敷衍。",
            channel=self.rng.choice((Channel.HOTLINE, Channel.WEB, Channel.WECHAT)),
        )
        if index is not None:
            self.complaints.append((index, about, about_unit))
            at = self.matters[index].submitted_at
            self._event(about, "complaint", at, "completed", "completed", about_unit, visible_to_person=False)

    # ------------------------------------------------------------------------------------------ the year

    def generate(self) -> None:
        days = [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]
        factors = np.array([_day_factor(d) for d in days])
        # The year grows a little (more people find the platform): +15% from the first day to the last.
        factors *= np.linspace(0.93, 1.07, len(days))
        lam = factors / factors.sum() * self.count
        counts = self.np.poisson(lam)
        for day, n in zip(days, counts, strict=True):
            for _ in range(int(n)):
                self.add(day)
            if len(self.matters) >= CHUNK:
                self.flush()
        if self.plant:
            self._plant()
        self.flush()

    def _plant(self) -> None:
        p = self.places
        rng = self.rng
        wage_villages = [v for v in p.villages.get(SIMING, []) if p.town_of.get(v) == WAGE_TOWN]
        last = [self.end - dt.timedelta(days=i) for i in range(PLANT_DAYS)]
        if wage_villages:
            for i in range(WAGE_EXTRA):
                self.add(
                    last[i % PLANT_DAYS],
                    item=rng.choice(("consultation", "consultation", "legal_aid")),
                    topic="labour",
                    county=SIMING,
                    village=rng.choice(wage_villages),
                    text=rng.choice(WAGE_TEXTS),
                )
        if DEMOLITION_VILLAGE in p.town_of:
            for i in range(DEMOLITION_EXTRA):
                self.add(
                    last[i % (PLANT_DAYS - 1)],
                    item=rng.choice(("consultation", "mediation")),
                    topic="demolition",
                    county=SIMING,
                    village=DEMOLITION_VILLAGE,
                    text=rng.choice(DEMOLITION_TEXTS),
                )

    # ------------------------------------------------------------------------------------------ writing

    def flush(self, batch: int = 5000) -> None:
        Person.objects.bulk_create(self.persons, batch_size=batch)
        for matter, person in zip(self.matters, self.persons, strict=True):
            matter.person_id = person.pk
        # auto_now / auto_now_add are filled by bulk_create; the year's own times are set above.
        Matter.objects.bulk_create(self.matters, batch_size=batch)
        events = [MatterEvent(matter_id=self.matters[i].pk, **f) for i, f in self.events]
        MatterEvent.objects.bulk_create(events, batch_size=batch)
        evaluations = [
            Evaluation(matter_id=self.matters[i].pk, person_id=self.persons[i].pk, **f)
            for i, f in self.evaluations
        ]
        Evaluation.objects.bulk_create(evaluations, batch_size=batch)
        complaints = [
            Complaint(matter_id=self.matters[c].pk, about_matter_id=self.matters[a].pk, about_unit_id=u)
            for c, a, u in self.complaints
        ]
        Complaint.objects.bulk_create(complaints, batch_size=batch)
        Callback.objects.bulk_create(
            [Callback(matter_id=self.matters[i].pk, **f) for i, f in self.callbacks], batch_size=batch
        )
        self.summary.matters += len(self.matters)
        self.summary.events += len(events)
        self.summary.evaluations += len(evaluations)
        self.summary.complaints += len(complaints)
        self.matters.clear()
        self.persons.clear()
        self.events.clear()
        self.evaluations.clear()
        self.complaints.clear()
        self.callbacks.clear()


def generated() -> Any:
    return Matter.objects.filter(idempotency_key__startswith=KEY_PREFIX)


@transaction.atomic
def delete_generated() -> int:
    """Delete what ``load_activity`` wrote (raw deletes: the ORM's collector would take minutes)."""
    matters = generated()
    ids = list(matters.values_list("pk", flat=True))
    person_ids = list(matters.values_list("person_id", flat=True))
    qs: Any
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for qs in (
            Complaint.objects.filter(matter_id__in=chunk),
            Complaint.objects.filter(about_matter_id__in=chunk),
            Evaluation.objects.filter(matter_id__in=chunk),
            Callback.objects.filter(matter_id__in=chunk),
            MatterEvent.objects.filter(matter_id__in=chunk),
        ):
            qs._raw_delete(qs.db)
    for start in range(0, len(ids), 5000):
        qs = Matter.objects.filter(pk__in=ids[start : start + 5000])
        qs._raw_delete(qs.db)
    for start in range(0, len(person_ids), 5000):
        qs = Person.objects.filter(pk__in=person_ids[start : start + 5000]).exclude(matters__isnull=False)
        qs._raw_delete(qs.db)
    return len(ids)


def load_activity(
    *,
    count: int = 40_000,
    seed: int = 2026,
    end: dt.date | None = None,
    plant: bool = True,
    replace: bool = False,
) -> Summary:
    """Generate and write a year of activity ending on ``end`` (default: today); nothing when it is there."""
    if generated().exists():
        if not replace:
            return Summary(skipped=True, matters=generated().count())
        delete_generated()
    end = end or timezone.localdate()
    gen = Generator(seed=seed, count=count, end=end, plant=plant)
    with transaction.atomic():
        gen.generate()
    return gen.summary
