"""A million realistic matters in PostgreSQL, fast: the data behind bench_matters.

Run inside a Django process pointed at a freshly migrated database with ``import_regions 35`` and
``load_demo`` done (bench_matters does that and then runs ``python -m bench.matters_data N``). Prints one
JSON object with the counts and timings.

What it writes, for 厦门市 and 仙游县 only (where the demo units are):

- persons: a pool of N/5, three quarters with an ID number that passes the checksum, encrypted and hashed by
  ``fawang.lib.crypto`` itself (so the running site can decrypt and find them), reused by several matters;
- matters: every service item of the catalogue in plausible shares, channels the item offers, regions
  weighted towards towns and villages, the handling unit that ``routing.explain_route`` gives (a manual
  choice of the district centre where there is no route), the intake unit and first responder for window
  and hotline, submission times over three years on working hours, and statuses by age: old matters mostly
  done, recent ones open, some overdue and escalated;
- events: the submit event of every matter and the accept / request materials / assign / suspend /
  complete / close / reject / withdraw / merge events its status implies, with the payloads the actions
  write.

Speed: secondary indexes and constraints of the three tables are dropped, rows go in by COPY (matters and
events on two connections at once, so the server parses one while Python builds the other), then the
indexes and constraints are created again (which re-validates every foreign key) and VACUUM ANALYZE runs.
Notification outbox messages of the history are not made: they would have been delivered long ago.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

XIAMEN, XIANYOU = "3502", "350322"
SEED = 2026
HISTORY_DAYS = 3 * 365
PERSON_SHARE = 5  # one person per five matters on average
CHUNK = 20_000  # rows per COPY write

# Shares of the business, in percent of matters, by item code (items not named share what is left).
ITEM_WEIGHTS = {
    "consultation": 44,
    "mediation": 15,
    "legal_aid": 11,
    "lawyer": 5,
    "notary": 5,
    "corrections": 3,
    "publicity": 3,
    "other": 4,
    "complaint": 2,
    "resettlement": 2,
    "remote_visit": 2,
    "appraisal": 1.5,
    "legal_aid_objection": 0.5,
}
CHANNEL_WEIGHTS: dict[str, float] = {
    "window": 40,
    "hotline": 30,
    "wechat": 10,
    "web": 12,
    "app": 5,
    "mail": 1,
    "proxy": 1,
    "visit": 1,
}
# Status shares by age of the matter (days since submission): old matters are done, recent ones open.
STATUS_BY_AGE: list[tuple[int, dict[str, float]]] = [
    (
        30,
        {
            "submitted": 18,
            "accepted": 15,
            "in_progress": 30,
            "awaiting_materials": 6,
            "suspended": 1,
            "completed": 22,
            "rejected": 4,
            "withdrawn": 3,
            "merged": 1,
        },
    ),
    (
        90,
        {
            "submitted": 2,
            "accepted": 5,
            "in_progress": 18,
            "awaiting_materials": 3,
            "suspended": 2,
            "completed": 55,
            "closed": 5,
            "rejected": 5,
            "withdrawn": 4,
            "merged": 1,
        },
    ),
    (
        10**6,
        {
            "accepted": 0.5,
            "in_progress": 2,
            "awaiting_materials": 0.3,
            "suspended": 0.5,
            "completed": 72,
            "closed": 12.7,
            "rejected": 6,
            "withdrawn": 5,
            "merged": 1,
        },
    ),
]
DESCRIPTIONS = {
    "consultation": [
        "咨询劳动合同解除后经济补偿金的计算方法。",
        "咨询离婚时夫妻共同财产如何分割，子女抚养权归属。",
        "咨询房屋租赁合同到期后押金不退如何处理。",
        "咨询交通事故责任认定后保险公司拒赔的救济途径。",
        "咨询父母去世后房产继承的办理流程。",
        "咨询网购商品质量问题商家拒绝退货怎么办。",
    ],
    "legal_aid": [
        "申请人在建筑工地务工，被拖欠工资三个月，申请法律援助代为追讨。",
        "申请人因工受伤，用人单位未缴纳工伤保险，申请法律援助。",
        "申请人年逾七十，子女拒绝履行赡养义务，申请法律援助提起诉讼。",
        "申请人系残疾人，与他人发生人身损害赔偿纠纷，申请法律援助。",
    ],
    "mediation": [
        "邻里之间因排水管道渗漏引发纠纷，申请人民调解。",
        "相邻宅基地界址不清发生争执，请求村调委会调解。",
        "装修噪音扰民引发邻里矛盾，申请调解。",
        "家庭成员之间因老人赡养费用分担产生矛盾，申请调解。",
    ],
}
GENERIC_DESCRIPTION = "申请人来访反映相关情况，请求依法予以办理。"
RESULTS = [
    "已当场解答，申请人表示清楚。",
    "经调解双方达成协议，已签订人民调解协议书。",
    "已指派律师代理，案件审结，申请人权益得到维护。",
    "已出具公证书并送达申请人。",
    "已按申请人要求办理完毕。",
]
MISSING = ["身份证明", "经济困难状况说明表", "与所申请法律援助事项相关的材料", "户口簿复印件"]
REJECT_REASONS = ["不属于本机构受理范围，已告知向有关部门申请。", "经审查，申请人不符合经济困难标准。"]

TZ = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai has no daylight saving: a fixed offset is exact
DAY = 86400.0


_DAYS: dict[int, str] = {}


def _ts(seconds: float) -> str:
    """A COPY text timestamp for epoch ``seconds``, in China time, to the second. Formatting a datetime for
    each of some ten million values is the generator's biggest cost; the date part is cached per day."""
    local = int(seconds) + 8 * 3600
    day, rest = divmod(local, 86400)
    prefix = _DAYS.get(day)
    if prefix is None:
        prefix = _DAYS[day] = f"{dt.date(1970, 1, 1) + dt.timedelta(days=day):%Y-%m-%d} "
    hour, rest = divmod(rest, 3600)
    return f"{prefix}{hour:02d}:{rest // 60:02d}:{rest % 60:02d}+08"


def _esc(text: str) -> str:
    """COPY text format escaping (our texts have no tabs or newlines; backslashes would be doubled)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _weighted(rng: random.Random, weights: dict[str, float]) -> Iterator[str]:
    """An endless stream of keys drawn with ``weights``, in batches (random.choices is fast in bulk)."""
    keys, w = list(weights), list(weights.values())
    while True:
        yield from rng.choices(keys, w, k=4096)


@dataclass
class Reference:
    """What the generator needs from the demo database, loaded once."""

    items: dict[str, Any]
    regions: list[str]  # matter regions, weighted by repetition
    region_town: dict[str, str]
    routes: dict[tuple[str, str], tuple[int, str]]  # (item code, town or district code) -> unit id, how
    window_units: dict[str, int]  # city, district or town code -> centre / station id
    staff: dict[int, dict[str, list[int]]]  # unit id -> role -> user ids
    supervisor: dict[int, int | None]  # unit id -> supervising bureau id
    topics: list[int]
    channels: dict[str, list[tuple[str, float]]] = field(default_factory=dict)


def load_reference(rng: random.Random) -> Reference:
    from fawang.catalog.models import ServiceItem
    from fawang.matters.routing import NoRoute, explain_route, supervising_unit
    from fawang.orgs.models import Membership, Speciality, Unit
    from fawang.regions.models import Region

    items = {i.code: i for i in ServiceItem.objects.active()}
    regions = {
        r.code: r
        for prefix in (XIAMEN, XIANYOU)
        for r in Region.objects.under(prefix).filter(level__gte=3).order_by("code")
    }
    districts = [c for c in regions if len(c) == 6]
    towns = [c for c in regions if len(c) == 9]
    villages = [c for c in regions if len(c) == 12]
    # Matter regions: towns (weighted at random, as towns differ in size), villages under them, districts.
    town_weight = {t: rng.uniform(0.3, 3.0) for t in towns}
    weighted: list[str] = []
    for t in towns:
        weighted += [t] * round(town_weight[t] * 4)
    for v in villages:
        weighted += [v] * round(town_weight.get(v[:9], 1.0) * 3)
    for d in districts:
        weighted += [d] * 8
    region_town = {c: (c[:9] if len(c) >= 9 else c) for c in regions}

    centres = {u.region_id: u for u in Unit.objects.active().filter(kind=Unit.Kind.CENTRE)}
    routes: dict[tuple[str, str], tuple[int, str]] = {}
    for code in districts + towns:
        for item in items.values():
            try:
                route = explain_route(item, regions[code])
                routes[item.code, code] = (route.unit.pk, route.how)
            except NoRoute:
                # What staff do by hand: the district's centre takes it (a manual route with a reason).
                routes[item.code, code] = (centres[code[:6]].pk, "manual")
    window_units = {
        u.region_id: u.pk
        for u in Unit.objects.active()
        .filter(kind__in=[Unit.Kind.CENTRE, Unit.Kind.STATION])
        .filter(region_id__in=[XIAMEN, *districts, *towns])
    }
    staff: dict[int, dict[str, list[int]]] = {}
    for m in Membership.objects.active():
        staff.setdefault(m.unit_id, {}).setdefault(m.role, []).append(m.user_id)
    supervisor = {}
    for unit in Unit.objects.filter(pk__in={u for u, _how in routes.values()}).select_related("parent"):
        bureau = supervising_unit(unit)
        supervisor[unit.pk] = bureau.pk if bureau else None
    channels = {
        code: [(c, w) for c, w in CHANNEL_WEIGHTS.items() if item.offers(c)] for code, item in items.items()
    }
    return Reference(
        items=items,
        regions=weighted,
        region_town=region_town,
        routes=routes,
        window_units=window_units,
        staff=staff,
        supervisor=supervisor,
        topics=list(Speciality.objects.values_list("pk", flat=True)),
        channels=channels,
    )


# --------------------------------------------------------------------------------------------- persons


def person_rows(count: int, first_id: int, rng: random.Random, now_s: float) -> Iterator[str]:
    """COPY lines for ``count`` persons; the ID numbers are unique (a sequence number in the order code)."""
    from fawang.lib import crypto
    from fawang.lib.validators import id_check_digit
    from fawang.orgs.names import person_name

    prefixes = ["350203", "350205", "350206", "350211", "350212", "350213", "350322"]
    groups = ["elderly", "disabled", "migrant_worker", "veteran", "women", "low_income", "minor"]
    created = _ts(now_s - HISTORY_DAYS * DAY)
    seen: set[str] = set()
    for n in range(count):
        pid = first_id + n
        id_number = ""
        special: list[str] = []
        if rng.random() < 0.75:
            first17 = ""
            while not first17 or first17 in seen:
                born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 70 * 365))
                first17 = f"{rng.choice(prefixes)}{born:%Y%m%d}{rng.randrange(1000):03d}"
            seen.add(first17)
            id_number = first17 + id_check_digit(first17)
            age = 2026 - born.year
            if age >= 60:
                special.append("elderly")
        if rng.random() < 0.08:
            special.append(rng.choice(groups[1:]))
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if rng.random() < 0.9 else ""
        yield (
            f"{pid}\t{_esc(person_name(rng))}\t{phone}\t{crypto.encrypt(id_number)}\t"
            f"{crypto.lookup_hash(id_number)}\t{json.dumps(sorted(set(special)))}\t\t{created}\t{created}\t\\N\n"
        )


PERSON_COLUMNS = (
    "id",
    "name",
    "phone",
    "id_number",
    "id_number_hash",
    "special_groups",
    "address",
    "created_at",
    "updated_at",
    "user_id",
)


# --------------------------------------------------------------------------------------------- matters

MATTER_COLUMNS = (
    "id",
    "tracking_no",
    "channel",
    "description",
    "status",
    "step",
    "step_started_at",
    "due_at",
    "warn_at",
    "clock_paused_at",
    "paused_total",
    "resume_status",
    "materials_due_at",
    "warned_at",
    "escalated_at",
    "result",
    "submitted_at",
    "accepted_at",
    "completed_at",
    "closed_at",
    "rating_invited_at",
    "sampled_at",
    "idempotency_key",
    "created_at",
    "updated_at",
    "escalated_to_id",
    "first_responder_id",
    "handler_id",
    "intake_unit_id",
    "parent_id",
    "region_id",
    "service_item_id",
    "submitted_by_id",
    "topic_id",
    "unit_id",
    "person_id",
    "topic_source",
)
EVENT_COLUMNS = (
    "action",
    "old_status",
    "new_status",
    "note",
    "visible_to_person",
    "payload",
    "created_at",
    "actor_id",
    "matter_id",
    "new_unit_id",
    "old_unit_id",
)
NULL = "\\N"


def _limit_days(item: Any, step: str) -> float | None:
    """A step's limit in calendar days, approximately: 5 working days are about 7 calendar days."""
    amount = getattr(item, f"{step}_limit")
    if amount is None:
        return None
    unit = getattr(item, f"{step}_limit_unit")
    if unit == "workhours":
        return amount / 8 * 1.4
    return amount * (1.4 if unit == "workdays" else 1.0)


def _tracking(rng: random.Random, at_s: float, seen: set[str]) -> str:
    from fawang.matters import tracking

    day = dt.datetime.fromtimestamp(at_s, TZ)
    while True:
        body = f"{day:%y%m%d}" + "".join(rng.choices(tracking.ALPHABET, k=tracking.RANDOM_LENGTH))
        number = tracking.PREFIX + body + tracking.check_character(body)
        if number not in seen:
            seen.add(number)
            return number


def _submitted_at(rng: random.Random, now_s: float, channel: str) -> float:
    """A moment in the last three years, more recent ones likelier (the service grows), in working hours
    on weekdays for window and hotline; any time for online channels."""
    age_days = HISTORY_DAYS * (1 - math.sqrt(rng.random()))  # density rising towards now
    t = now_s - age_days * DAY
    local = dt.datetime.fromtimestamp(t, TZ)
    if channel in ("window", "hotline", "visit", "proxy", "mail"):
        if local.weekday() >= 5:
            t -= (local.weekday() - 4) * DAY
        midnight = t - (local.hour * 3600 + local.minute * 60 + local.second)
        t = midnight + rng.uniform(8.5, 17.5) * 3600
    return min(t, now_s - 60)


class _History:
    """The events of one generated matter; each move starts from the status the previous one left."""

    __slots__ = ("rows", "status")

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, bool, str, float, int | None]] = []
        self.status = "submitted"

    def move(
        self, action: str, new: str, at: float, note: str = "", payload: str = "{}", actor: int | None = None
    ) -> None:
        self.rows.append((action, self.status, new, note, True, payload, at, actor))
        self.status = new


def generate(  # noqa: C901 -- a synthetic matter's whole life in one loop, kept together for speed
    conn_matters: Any,
    conn_events: Any,
    ref: Reference,
    *,
    count: int,
    first_matter_id: int,
    person_ids: list[int],
    rng: random.Random,
    now_s: float,
) -> tuple[int, int]:
    """COPY ``count`` matters and their events; returns (matters, events)."""
    item_codes = _weighted(rng, {c: w for c, w in ITEM_WEIGHTS.items() if c in ref.items})
    channel_streams = {code: _weighted(rng, dict(pairs)) for code, pairs in ref.channels.items() if pairs}
    status_streams = [(limit, _weighted(rng, weights)) for limit, weights in STATUS_BY_AGE]
    items = ref.items
    seen: set[str] = set()
    # Most people come once or twice; one in a hundred comes back often (about 75 matters each).
    frequent = person_ids[: max(1, len(person_ids) // 100)]
    last_of_person: dict[int, int] = {}
    events = 0
    # The last change of every matter lies at least a quarter of an hour back, as on a site in steady state: the
    # supervision facts' scheduled pass re-reads the matters changed in the five minutes before its last pass
    # (fawang/insights/rollup.py, refresh_changed), and thousands of matters all stamped with the moment of
    # generation, their dates spread over months, would make the benchmark's first pass rebuild every fact while
    # the intake is measured.
    settled_s = now_s - 15 * 60
    m_sql = f"COPY matters_matter ({', '.join(MATTER_COLUMNS)}) FROM STDIN"
    e_sql = f"COPY matters_matterevent ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
    with (
        conn_matters.cursor() as mc,
        conn_events.cursor() as ec,
        mc.copy(m_sql) as mcopy,
        ec.copy(e_sql) as ecopy,
    ):
        mbuf: list[str] = []
        ebuf: list[str] = []
        for i in range(count):
            mid = first_matter_id + i
            code = next(item_codes)
            item = items[code]
            channel = next(channel_streams[code])
            region = rng.choice(ref.regions)
            town = ref.region_town[region]
            unit, how = ref.routes.get((code, town)) or ref.routes[code, town[:6]]
            intake: int | None = None
            if channel in ("window", "visit", "proxy"):
                intake = ref.window_units.get(town) or ref.window_units[town[:6]]
            elif channel == "hotline":
                # 12348 calls are answered at the city centre (厦门) or the county centre (仙游).
                intake = ref.window_units.get(region[:4]) or ref.window_units[region[:6]]
            if item.handled_at_intake and intake is not None:
                unit, how = intake, "intake"
            responder: int | None = None
            if intake is not None:
                clerks = ref.staff.get(intake, {})
                pool = clerks.get("window_clerk") or clerks.get("hotline_agent")
                responder = pool[mid % len(pool)] if pool else None
            sub = _submitted_at(rng, now_s, channel)
            age = (now_s - sub) / DAY
            status = next(next(stream) for limit, stream in status_streams if age < limit)
            if rng.random() < 0.15:
                person = frequent[rng.randrange(len(frequent))]
            else:
                person = person_ids[rng.randrange(len(person_ids))]
            parent: int | None = None
            if status == "merged":
                parent = last_of_person.get(person)
                if parent is None:
                    status = "withdrawn"
            last_of_person[person] = mid

            # Walk the matter through its history: each event starts from the status the previous one left.
            h = _History()
            payload = json.dumps({"channel": channel, "route": how}, ensure_ascii=False)
            h.rows.append(("submit", "", "submitted", "", True, payload, sub, responder))
            step, step_start = "accept", sub
            paused = materials_due = warned = escalated = None
            resume = ""
            escalated_to = handler = None
            accepted = completed = closed = None
            result = ""
            t = sub
            goes_on = status not in ("submitted", "rejected", "withdrawn", "merged")
            if goes_on or (status in ("withdrawn", "merged") and rng.random() < 0.5):
                t = accepted = sub + rng.uniform(0.05, 2.5) * DAY
                h.move("accept", "accepted", t)
                step = "assign" if item.assign_limit is not None else "complete"
                step_start = t
            staff = ref.staff.get(unit, {})
            handlers = staff.get("handler") or staff.get("legal_advisor") or staff.get("supervisor")
            if status in ("in_progress", "suspended", "completed", "closed"):
                handler = handlers[mid % len(handlers)] if handlers else None
                t += rng.uniform(0.1, 2.0) * DAY
                h.move("assign", "in_progress", t)
                step, step_start = "complete", t
            if status == "awaiting_materials":
                paused = t + rng.uniform(0.1, 1.5) * DAY
                resume = h.status
                materials_due = paused + 15 * 1.4 * DAY
                missing = json.dumps({"missing": rng.sample(MISSING, rng.randint(1, 3))}, ensure_ascii=False)
                h.move("request_materials", "awaiting_materials", paused, "请一次性补齐以下材料。", missing)
            elif status == "suspended":
                paused = t + rng.uniform(1, 10) * DAY
                resume = h.status
                h.move("suspend", "suspended", paused, "当事人申请暂缓办理。")
            elif status in ("completed", "closed"):
                t = completed = t + rng.uniform(0.05, 1.1) * (_limit_days(item, step) or 5.0) * DAY
                result = rng.choice(RESULTS)
                h.move("complete", "completed", t, result, actor=handler)
                step = ""
                if status == "closed":
                    t = closed = t + rng.uniform(10, 30) * DAY
                    h.move("close", "closed", t)
            elif status == "rejected":
                t = sub + rng.uniform(0.1, 3) * DAY
                h.move("reject", "rejected", t, rng.choice(REJECT_REASONS))
            elif status == "withdrawn":
                t += rng.uniform(0.1, 5) * DAY
                h.move("withdraw", "withdrawn", t, "申请人主动撤回。")
            elif status == "merged":
                t += rng.uniform(0.1, 3) * DAY
                h.move("merge", "merged", t, "重复提交，已合并。")
            due = warn = None
            if status in ("rejected", "withdrawn", "merged", "completed", "closed"):
                step = ""
            else:
                limit = _limit_days(item, step)
                if limit is not None:
                    due = step_start + limit * DAY
                    warn = step_start + limit * item.warn_share * DAY
                    # The worker has warned and escalated running matters whose moments have passed.
                    if status in ("submitted", "accepted", "in_progress") and warn < now_s:
                        warned = warn
                        h.rows.append(("warn", h.status, h.status, "", False, "{}", warn, None))
                        if due < now_s:
                            escalated = due + 600
                            escalated_to = ref.supervisor.get(unit)
                            h.rows.append(("escalate", h.status, h.status, "", False, "{}", escalated, None))
            assert h.status == status, (h.status, status)
            # The scheduled jobs have long since invited ratings and drawn the callback sample for old matters;
            # leaving these empty would hand the first scheduler run of the benchmark 800,000 rows of backlog.
            invited = sampled = None
            if completed is not None:
                if status == "completed" and completed + 3 * DAY < now_s:
                    invited = completed + 3 * DAY
                if completed + DAY < now_s:
                    sampled = completed + DAY
            topic = rng.choice(ref.topics) if rng.random() < 0.7 else None
            descs = DESCRIPTIONS.get(item.business_line)
            description = rng.choice(descs) if descs else GENERIC_DESCRIPTION
            mbuf.append(
                "\t".join(
                    (
                        str(mid),
                        _tracking(rng, sub, seen),
                        channel,
                        description,
                        status,
                        step,
                        _ts(step_start) if step else NULL,
                        _ts(due) if due else NULL,
                        _ts(warn) if warn else NULL,
                        _ts(paused) if paused else NULL,
                        "0",
                        resume,
                        _ts(materials_due) if materials_due else NULL,
                        _ts(warned) if warned else NULL,
                        _ts(escalated) if escalated else NULL,
                        result,
                        _ts(sub),
                        _ts(accepted) if accepted else NULL,
                        _ts(completed) if completed else NULL,
                        _ts(closed) if closed else NULL,
                        _ts(invited) if invited else NULL,
                        _ts(sampled) if sampled else NULL,
                        NULL,
                        _ts(sub),
                        _ts(min(t, settled_s)),
                        str(escalated_to) if escalated_to else NULL,
                        str(responder) if responder else NULL,
                        str(handler) if handler else NULL,
                        str(intake) if intake else NULL,
                        str(parent) if parent else NULL,
                        region,
                        str(item.pk),
                        NULL,
                        str(topic) if topic else NULL,
                        str(unit),
                        str(person),
                        "staff" if topic else "",  # chosen at intake (no auto topics in generated data)
                    )
                )
                + "\n"
            )
            su, sm = str(unit), str(mid)
            for action, old, new, note, visible, pl, at, actor in h.rows:
                ebuf.append(
                    f"{action}\t{old}\t{new}\t{note}\t{'t' if visible else 'f'}\t{pl}\t{_ts(min(at, now_s))}\t"
                    f"{actor or NULL}\t{sm}\t{su}\t{su if old else NULL}\n"
                )
            events += len(h.rows)
            if len(mbuf) >= CHUNK:
                mcopy.write("".join(mbuf))
                ecopy.write("".join(ebuf))
                mbuf.clear()
                ebuf.clear()
        if mbuf:
            mcopy.write("".join(mbuf))
            ecopy.write("".join(ebuf))
    return count, events


# --------------------------------------------------------------------------------------------- schema


TABLES = ("matters_person", "matters_matter", "matters_matterevent")


def drop_secondary(conn: Any) -> list[str]:
    """Drop the foreign keys, unique constraints and indexes (not the primary keys) of TABLES, and return
    the statements that re-create them, constraints after indexes."""
    recreate_idx: list[str] = []
    recreate_con: list[str] = []
    drops: list[str] = []
    for table in TABLES:
        cons = conn.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
            (table,),
        ).fetchall()
        con_names = {name for name, _def in cons}
        for name, definition in cons:
            drops.append(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            recreate_con.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for name, definition in conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
            "AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p')",
            (table,),
        ).fetchall():
            if name in con_names:
                continue
            drops.append(f'DROP INDEX "{name}"')
            recreate_idx.append(definition)
    # Foreign keys of other tables into these stay: they point at primary keys, which are kept.
    for statement in drops:
        conn.execute(statement)
    return recreate_idx + recreate_con


def _scalar(conn: Any, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def reset_sequences(conn: Any) -> None:
    for table in TABLES:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
        )


def main(argv: list[str]) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    django.setup()
    import psycopg
    from django.conf import settings
    from django.db import connection

    count = int(argv[0]) if argv else 1_000_000
    rng = random.Random(SEED)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    ref = load_reference(rng)
    timings["reference"] = time.perf_counter() - started
    connection.close()

    db = settings.DATABASES["default"]
    dsn = psycopg.conninfo.make_conninfo(
        host=db["HOST"] or "",
        port=str(db["PORT"] or ""),
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
    )
    now_s = time.time()
    with psycopg.connect(dsn) as main_conn, psycopg.connect(dsn) as ev_conn:
        main_conn.execute("SET maintenance_work_mem = '512MB'")
        t0 = time.perf_counter()
        recreate = drop_secondary(main_conn)
        main_conn.commit()
        first_person = _scalar(main_conn, "SELECT coalesce(max(id), 0) + 1 FROM matters_person")
        first_matter = _scalar(main_conn, "SELECT coalesce(max(id), 0) + 1 FROM matters_matter")
        n_persons = max(100, count // PERSON_SHARE)
        with (
            main_conn.cursor() as cur,
            cur.copy(f"COPY matters_person ({', '.join(PERSON_COLUMNS)}) FROM STDIN") as copy,
        ):
            buf: list[str] = []
            for line in person_rows(n_persons, first_person, rng, now_s):
                buf.append(line)
                if len(buf) >= CHUNK:
                    copy.write("".join(buf))
                    buf.clear()
            copy.write("".join(buf))
        timings["persons"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        person_ids = list(range(first_person, first_person + n_persons))
        matters, events = generate(
            main_conn,
            ev_conn,
            ref,
            count=count,
            first_matter_id=first_matter,
            person_ids=person_ids,
            rng=rng,
            now_s=now_s,
        )
        main_conn.commit()
        ev_conn.commit()
        timings["copy"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        for statement in recreate:
            main_conn.execute(statement)
        reset_sequences(main_conn)
        main_conn.commit()
        timings["indexes"] = time.perf_counter() - t2
        t3 = time.perf_counter()
        main_conn.autocommit = True
        for table in TABLES:
            main_conn.execute(f"VACUUM (ANALYZE) {table}")
        timings["vacuum_analyze"] = time.perf_counter() - t3
    timings["total"] = time.perf_counter() - started
    print(json.dumps({"persons": n_persons, "matters": matters, "events": events, "timings": timings}))


if __name__ == "__main__":
    main(sys.argv[1:])
