"""Demo data: the real divisions of 厦门市 and 仙游县 with invented units, practitioners and staff.

Everything is keyed by natural keys (unit name + region, licence number, user name) and generated from a
seeded random generator, so ``load_demo`` can run any number of times and reuses what exists.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pyotp
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from fawang.accounts.models import User
from fawang.regions.importer import import_regions
from fawang.regions.models import Region

from .models import (
    AdvisorAssignment,
    CreditRecord,
    Function,
    Membership,
    Practitioner,
    Speciality,
    Unit,
    Window,
)
from .names import gender, person_name

XIAMEN = "3502"
XIANYOU = "350322"
PUTIAN = "3503"
SIMING, HULI = "350203", "350206"
DEMO_PASSWORD = "fawang-demo-2026"
CONSULTATION_POST = "法律咨询岗"
HOURS = "工作日 8:30-12:00，14:30-17:30（法定节假日除外）"
AREA_CODES = {XIAMEN: "0592", PUTIAN: "0594"}

_password_hashes: dict[tuple[str, ...], str] = {}


def demo_password_hash() -> str:
    """DEMO_PASSWORD hashed once per process and hasher setting, for every demo account: the password is the one
    the README publishes, so one salt for all leaks nothing, and hashing it anew per account (Argon2, ~0.27 s of
    CPU) was about half of load_demo's time with its ~35 accounts."""
    key = tuple(settings.PASSWORD_HASHERS)
    if key not in _password_hashes:
        _password_hashes[key] = make_password(DEMO_PASSWORD)
    return _password_hashes[key]


# Invented firm names; any match with a real firm is chance.
FIRM_WORDS = ["明理", "正衡", "嘉禾", "立信", "同舟", "鹭岛", "海晟", "恒源", "致远", "木兰", "仙溪", "九鲤"]


@dataclass
class DemoSummary:
    units: int = 0
    practitioners: int = 0
    assignments: int = 0
    staff: int = 0
    created: dict[str, int] = field(default_factory=dict)


class Builder:
    def __init__(self) -> None:
        self.units: dict[tuple[str, str], Unit] = {(u.region_id, u.name): u for u in Unit.objects.all()}
        self.functions = {f.code: f for f in Function.objects.all()}
        self.specialities = list(Speciality.objects.all())
        self.created: dict[str, int] = {}

    def phone(self, region_code: str, rng: random.Random) -> str:
        area = AREA_CODES.get(region_code[:4], "0592")
        return f"{area}-{rng.randint(2000000, 8999999)}"

    def unit(
        self,
        kind: str,
        region: Region,
        name: str,
        *,
        parent: Unit | None = None,
        functions: Iterable[str] = (),
        address: str = "",
        hours: str = HOURS,
        hotline: str = "",
    ) -> Unit:
        key = (region.code, name)
        found = self.units.get(key)
        if found:
            return found
        rng = random.Random(f"unit:{region.code}:{name}")
        unit = Unit.objects.create(
            kind=kind,
            region=region,
            name=name,
            parent=parent,
            address=address or f"{region.full_name}人民路{rng.randint(1, 300)}号",
            phone=hotline or self.phone(region.code, rng),
            opening_hours=hours,
            hotline_number=hotline,
        )
        if functions:
            unit.functions.set([self.functions[c] for c in functions])
        if kind in (Unit.Kind.CENTRE, Unit.Kind.STATION):
            windows = [Window.Kind.RECEPTION, Window.Kind.CONSULTATION]
            if kind == Unit.Kind.CENTRE:
                windows.append(Window.Kind.LEGAL_AID)
            Window.objects.bulk_create(
                [
                    Window(unit=unit, kind=w, number=i, name=str(Window.Kind(w).label))
                    for i, w in enumerate(windows, 1)
                ]
            )
        self.units[key] = unit
        self.created["units"] = self.created.get("units", 0) + 1
        return unit

    def practitioner(self, kind: str, licence_no: str, unit: Unit, seed: str) -> Practitioner:
        found = Practitioner.objects.filter(kind=kind, licence_no=licence_no).first()
        if found:
            return found
        rng = random.Random(seed)
        p = Practitioner.objects.create(
            kind=kind,
            licence_no=licence_no,
            unit=unit,
            name=person_name(rng),
            gender=gender(rng),
            licensed_on=dt.date(rng.randint(2000, 2022), rng.randint(1, 12), rng.randint(1, 28)),
            phone=f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
        )
        p.specialities.set(rng.sample(self.specialities, k=min(3, len(self.specialities))))
        self.created["practitioners"] = self.created.get("practitioners", 0) + 1
        return p


def _region(code: str) -> Region:
    return Region.objects.get(code=code)


def _ensure_regions() -> None:
    if Region.objects.filter(code__in=[f"{XIAMEN}03001", f"{XIANYOU}100"]).count() != 2:
        import_regions(["35"])


def _county_units(b: Builder, county: Region, bureau_parent: Unit) -> dict[str, Unit]:
    """The county-level units of one district or county, its towns' stations and its villages' rooms."""
    name = county.name
    bureau = b.unit(
        Unit.Kind.BUREAU,
        county,
        f"{name}司法局",
        parent=bureau_parent,
        functions=["publicity", "corrections"],
    )
    centre = b.unit(
        Unit.Kind.CENTRE,
        county,
        f"{name}公共法律服务中心",
        parent=bureau,
        functions=[
            "legal_aid",
            "mediation",
            "consultation",
            "lawyer",
            "notary",
            "special_mediation",
            "resettlement",
            "remote_visit",
        ],
        address=f"{county.full_name}公共法律服务中心（{name}行政服务中心一楼）",
    )
    legal_aid = b.unit(
        Unit.Kind.LEGAL_AID,
        county,
        f"{name}法律援助中心",
        parent=bureau,
        functions=["legal_aid", "consultation"],
    )
    towns = list(Region.objects.filter(parent=county).order_by("code"))
    villages_by_town: dict[str, list[Region]] = {}
    for v in Region.objects.filter(parent__parent=county).order_by("code"):
        villages_by_town.setdefault(v.parent_id or "", []).append(v)
    for town in towns:
        office = b.unit(
            Unit.Kind.JUDICIAL_OFFICE,
            town,
            f"{town.name}司法所",
            parent=bureau,
            functions=["mediation", "corrections", "publicity"],
        )
        b.unit(
            Unit.Kind.MEDIATION, town, f"{town.name}人民调解委员会", parent=office, functions=["mediation"]
        )
        station = b.unit(
            Unit.Kind.STATION,
            town,
            f"{town.name}公共法律服务工作站",
            parent=office,
            functions=["mediation", "consultation", "publicity", "legal_aid"],
            address=f"{town.full_name}便民服务中心一楼",
        )
        for village in villages_by_town.get(town.code, []):
            b.unit(
                Unit.Kind.ROOM,
                village,
                f"{village.name.removesuffix('居委会').removesuffix('村委会')}公共法律服务工作室",
                parent=station,
                functions=["consultation", "mediation", "publicity"],
                address=f"{village.full_name}党群服务中心",
                hours="每周三 9:00-11:30（法律顾问驻点）；其余工作日可电话预约",
            )
    return {"bureau": bureau, "centre": centre, "legal_aid": legal_aid}


def _firms(b: Builder, county: Region, count: int, start: int) -> list[Unit]:
    firms = []
    for i in range(count):
        word = FIRM_WORDS[(start + i) % len(FIRM_WORDS)]
        province = "福建"
        firms.append(
            b.unit(
                Unit.Kind.LAW_FIRM,
                county,
                f"{province}{word}律师事务所（示例）",
                functions=["lawyer", "consultation"],
            )
        )
    return firms


def _advisors(b: Builder, county: Region, firms: list[Unit]) -> int:
    """一村一法律顾问: each lawyer serves up to three villages of one town; every village gets one."""
    made = 0
    taken = set(
        AdvisorAssignment.objects.current()
        .filter(region__parent__parent=county)
        .values_list("region_id", flat=True)
    )
    rooms = {u.region_id: u for u in Unit.objects.filter(kind=Unit.Kind.ROOM, region__parent__parent=county)}
    villages: dict[str, list[Region]] = {}
    for v in Region.objects.filter(parent__parent=county).order_by("code"):
        villages.setdefault(v.parent_id or "", []).append(v)
    n = 0
    for _town_code, town_villages in sorted(villages.items()):
        for group_start in range(0, len(town_villages), 3):
            group = town_villages[group_start : group_start + 3]
            firm = firms[n % len(firms)]
            licence = f"1{county.code}{2010 + n % 14}1{n:05d}"
            lawyer = b.practitioner(
                Practitioner.Kind.LAWYER, licence, firm, seed=f"advisor:{county.code}:{n}"
            )
            n += 1
            for village in group:
                if village.code in taken:
                    continue
                AdvisorAssignment.objects.create(
                    practitioner=lawyer,
                    region=village,
                    room=rooms.get(village.code),
                    started_on=dt.date(2024, 1, 1),
                    service_schedule="每周三上午驻点，其余时间电话、微信联系",
                )
                made += 1
    return made


def _staff(
    b: Builder,
    username: str,
    name: str,
    roles: Sequence[tuple[Unit, str]],
    *,
    title: str = "",
    **extra: object,
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=name, kind=User.Kind.STAFF, **extra)
        user.password = demo_password_hash()
        user.save()
        b.created["staff"] = b.created.get("staff", 0) + 1
    for unit, role in roles:
        Membership.objects.get_or_create(user=user, unit=unit, role=role, defaults={"title": title})
    _demo_second_factor(user, [role for _unit, role in roles])
    return user


# Roles that always sign in with a second factor (fawang.orgs.apps.ROLES_REQUIRING_2FA).
SECOND_FACTOR_ROLES = frozenset(
    {Membership.Role.SYSTEM_ADMIN, Membership.Role.SUPERVISOR, Membership.Role.UNIT_ADMIN}
)


def _demo_second_factor(user: User, roles: Sequence[str]) -> None:
    """Demo accounts are flagged, and those whose role needs a second factor get an authenticator already
    bound: in demo mode the verify page shows its current code (README, "演示账号")."""
    fields: dict[str, object] = {"is_demo": True}
    if (user.is_superuser or SECOND_FACTOR_ROLES.intersection(roles)) and not user.has_totp:
        fields.update(totp_secret=pyotp.random_base32(), totp_confirmed_at=timezone.now())
    if any(getattr(user, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(user, k, v)
        user.save(update_fields=list(fields))


def _personas(b: Builder, prefix: str, county: Region, units: dict[str, Unit]) -> None:
    rng = random.Random(f"personas:{prefix}")
    towns = list(Region.objects.filter(parent=county).order_by("code"))
    first_town = towns[0]
    station = b.units[(first_town.code, f"{first_town.name}公共法律服务工作站")]
    office = b.units[(first_town.code, f"{first_town.name}司法所")]
    clerk_roles = [(units["centre"], Membership.Role.WINDOW_CLERK), (station, Membership.Role.WINDOW_CLERK)]
    _staff(b, f"{prefix}_clerk", person_name(rng), clerk_roles)
    _staff(b, f"{prefix}_agent", person_name(rng), [(units["centre"], Membership.Role.HOTLINE_AGENT)])
    # The handler works at the legal-aid centre, the district centre and the first street's station: each
    # membership reaches its own unit only (docs/authority.md), and the public walks in at all three.
    handler_roles = [
        (units["legal_aid"], Membership.Role.HANDLER),
        (units["centre"], Membership.Role.HANDLER),
        (station, Membership.Role.HANDLER),
    ]
    _staff(b, f"{prefix}_handler", person_name(rng), handler_roles)
    # The centre's 法律咨询岗: answers the consultations routed to the centre (online, hotline, windows).
    _staff(
        b,
        f"{prefix}_consultant",
        person_name(random.Random(f"consultant:{prefix}")),
        [(units["centre"], Membership.Role.HANDLER)],
        title=CONSULTATION_POST,
    )
    _staff(b, f"{prefix}_supervisor", person_name(rng), [(units["bureau"], Membership.Role.SUPERVISOR)])
    _staff(b, f"{prefix}_admin", person_name(rng), [(units["bureau"], Membership.Role.UNIT_ADMIN)])
    _staff(b, f"{prefix}_corrections", person_name(rng), [(office, Membership.Role.CORRECTIONS_OFFICER)])
    # The advisor persona is the lawyer assigned to the first village of the first town.
    assignment = (
        AdvisorAssignment.objects.current()
        .filter(region__parent=first_town)
        .select_related("practitioner", "room")
        .order_by("region_id")
        .first()
    )
    if assignment and assignment.room:
        advisor = _staff(
            b,
            f"{prefix}_advisor",
            assignment.practitioner.name,
            [(assignment.room, Membership.Role.LEGAL_ADVISOR)],
        )
        if assignment.practitioner.user_id is None:
            Practitioner.objects.filter(pk=assignment.practitioner.pk).update(user=advisor)


# Every demo sign-in, in the order `make run` lists them: the city's, then each county's roles, then the system
# administrator. ``demo_accounts`` says from the database where each works and in which role.
PERSONA_PREFIXES = {SIMING: "sm", HULI: "hl", XIANYOU: "xy"}
# The other districts of 厦门市 have no personas, but their centres take consultations too: each has its
# 法律咨询岗, so no routed consultation lands in a queue nobody reads.
CONSULTANT_PREFIXES = {"350205": "hc", "350211": "jm", "350212": "ta", "350213": "xa"}
PERSONA_ROLES = ("clerk", "agent", "handler", "consultant", "supervisor", "admin", "corrections", "advisor")
PERSONA_USERNAMES = [
    "fj_consultant",
    "xm_supervisor",
    "xm_agent",
    "xm_consultant",
    *(f"{prefix}_{role}" for prefix in ("sm", "hl", "xy") for role in PERSONA_ROLES),
    *(f"{prefix}_consultant" for prefix in CONSULTANT_PREFIXES.values()),
    "sysadmin",
]


@transaction.atomic
def load_demo() -> DemoSummary:
    _ensure_regions()
    b = Builder()
    fujian = _region("35")
    xiamen, putian = _region(XIAMEN), _region(PUTIAN)
    province = b.unit(Unit.Kind.BUREAU, fujian, "福建省司法厅", functions=["publicity"])
    # The province's 12348 centre: answers what no city or county unit can take (an online question from a
    # region with no unit on the platform) and passes it on.
    fj_centre = b.unit(
        Unit.Kind.CENTRE,
        fujian,
        "福建省公共法律服务中心",
        parent=province,
        functions=["consultation", "legal_aid", "mediation", "lawyer", "notary"],
        address="福建省福州市鼓楼区（示例地址）",
        hours="12348 热线 7×24 小时；窗口 工作日 8:30-12:00，14:30-17:30",
    )
    xm_bureau = b.unit(
        Unit.Kind.BUREAU, xiamen, "厦门市司法局", parent=province, functions=["publicity", "corrections"]
    )
    xm_centre = b.unit(
        Unit.Kind.CENTRE,
        xiamen,
        "厦门市公共法律服务中心",
        parent=xm_bureau,
        functions=[
            "legal_aid",
            "mediation",
            "consultation",
            "lawyer",
            "notary",
            "appraisal",
            "special_mediation",
            "exam",
            "resettlement",
            "remote_visit",
        ],
        hours="12348 热线 7×24 小时；窗口 工作日 8:30-12:00，14:30-17:30",
    )
    b.unit(
        Unit.Kind.LEGAL_AID,
        xiamen,
        "厦门市法律援助中心",
        parent=xm_bureau,
        functions=["legal_aid", "consultation"],
    )
    xm_notary = b.unit(Unit.Kind.NOTARY, xiamen, "厦门市公证处", parent=xm_bureau, functions=["notary"])
    xm_appraisal = b.unit(
        Unit.Kind.APPRAISAL, xiamen, "厦门市司法鉴定所（示例）", parent=xm_bureau, functions=["appraisal"]
    )
    b.unit(
        Unit.Kind.MEDIATION,
        xiamen,
        "厦门市医疗纠纷人民调解委员会",
        parent=xm_bureau,
        functions=["special_mediation", "mediation"],
    )
    b.unit(Unit.Kind.PRISON, xiamen, "厦门市看守所", parent=xm_bureau, functions=["remote_visit"])
    for number, name in (
        ("12345", "12345 政务服务便民热线"),
        ("12315", "12315 市场监管投诉举报热线"),
        ("110", "110 报警服务台"),
    ):
        b.unit(Unit.Kind.HOTLINE, xiamen, f"厦门市{name}", hotline=number, hours="7×24 小时")
    pt_bureau = b.unit(
        Unit.Kind.BUREAU, putian, "莆田市司法局", parent=province, functions=["publicity", "corrections"]
    )

    county_units: dict[str, dict[str, Unit]] = {}
    firm_start = 0
    for district in Region.objects.filter(parent=xiamen).order_by("code"):
        county_units[district.code] = _county_units(b, district, xm_bureau)
        firms = _firms(b, district, 3 if district.code == SIMING else 2, firm_start)
        firm_start += len(firms)
        _advisors(b, district, firms)
    xianyou = _region(XIANYOU)
    county_units[XIANYOU] = _county_units(b, xianyou, pt_bureau)
    xy_firms = _firms(b, xianyou, 2, firm_start)
    _advisors(b, xianyou, xy_firms)
    xy_notary = b.unit(
        Unit.Kind.NOTARY,
        xianyou,
        "仙游县公证处",
        parent=county_units[XIANYOU]["bureau"],
        functions=["notary"],
    )
    xy_grassroots = b.unit(
        Unit.Kind.GRASSROOTS,
        xianyou,
        "仙游县鲤城法律服务所（示例）",
        parent=county_units[XIANYOU]["bureau"],
        functions=["grassroots", "consultation"],
    )
    b.unit(
        Unit.Kind.PRISON,
        xianyou,
        "仙游县看守所",
        parent=county_units[XIANYOU]["bureau"],
        functions=["remote_visit"],
    )

    # Notaries, appraisers, grassroots workers and town mediators.
    for unit, kind, count, tag in (
        (xm_notary, Practitioner.Kind.NOTARY, 4, "N3502"),
        (xy_notary, Practitioner.Kind.NOTARY, 2, "N3503"),
        (xm_appraisal, Practitioner.Kind.APPRAISER, 3, "A3502"),
        (xy_grassroots, Practitioner.Kind.GRASSROOTS_WORKER, 3, "G3503"),
    ):
        for i in range(count):
            b.practitioner(kind, f"{tag}{i + 1:04d}", unit, seed=f"{tag}:{i}")
    for committee in Unit.objects.filter(kind=Unit.Kind.MEDIATION, region__level=Region.Level.TOWN):
        for i in range(2):
            b.practitioner(
                Practitioner.Kind.MEDIATOR,
                f"M{committee.region_id}{i + 1}",
                committee,
                seed=f"mediator:{committee.pk}:{i}",
            )

    _credit_records()

    # Staff personas: every role in 思明区, 湖里区 and 仙游县, plus city-wide and system roles.
    for code, prefix in PERSONA_PREFIXES.items():
        _personas(b, prefix, _region(code), county_units[code])
    for code, prefix in CONSULTANT_PREFIXES.items():
        if code in county_units:
            _staff(
                b,
                f"{prefix}_consultant",
                person_name(random.Random(f"consultant:{prefix}")),
                [(county_units[code]["centre"], Membership.Role.HANDLER)],
                title=CONSULTATION_POST,
            )
    _staff(b, "xm_supervisor", "林晓东", [(xm_bureau, Membership.Role.SUPERVISOR)])
    _staff(b, "xm_agent", "陈雨涵", [(xm_centre, Membership.Role.HOTLINE_AGENT)])
    _staff(b, "xm_consultant", "郑思远", [(xm_centre, Membership.Role.HANDLER)], title=CONSULTATION_POST)
    _staff(b, "fj_consultant", "黄立诚", [(fj_centre, Membership.Role.HANDLER)], title=CONSULTATION_POST)
    _staff(
        b,
        "sysadmin",
        "系统管理员",
        [(province, Membership.Role.SYSTEM_ADMIN)],
        is_staff=True,
        is_superuser=True,
    )

    # A handful of matters in various states, made through the real actions.
    from fawang.matters.demo import load_matters_demo

    load_matters_demo()

    # Appointment schedules at the district centres and one street station, with their slots.
    from fawang.frontdesk.demo import load_frontdesk_demo

    load_frontdesk_demo()

    # Each business line's own demo data: ``load_line_demo()`` in fawang/<app>/demo.py, in INSTALLED_APPS order
    # (so a line can build on the lines above it). Idempotent, like the rest; kept to seconds, since every test
    # database loads it too.
    for loader in _line_demo_loaders():
        loader()

    return DemoSummary(
        units=Unit.objects.count(),
        practitioners=Practitioner.objects.count(),
        assignments=AdvisorAssignment.objects.current().count(),
        staff=User.objects.filter(kind=User.Kind.STAFF).count(),
        created=b.created,
    )


def _line_demo_loaders() -> list[Callable[[], object]]:
    import importlib

    from django.apps import apps

    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("fawang.") or config.name in ("fawang.matters", "fawang.frontdesk"):
            continue
        name = f"{config.name}.demo"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:
                continue
            raise
        loader = getattr(module, "load_line_demo", None)
        if loader is not None:
            loaders.append(loader)
    return loaders


def _credit_records() -> None:
    if CreditRecord.objects.exists():
        return
    lawyers = list(Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER).order_by("licence_no")[:40])
    for i, lawyer in enumerate(lawyers[:6]):
        CreditRecord.objects.create(
            practitioner=lawyer,
            kind=CreditRecord.Kind.REWARD,
            title="年度优秀村（居）法律顾问" if i % 2 == 0 else "法律援助工作先进个人",
            authority="厦门市司法局"
            if lawyer.unit and lawyer.unit.region_id.startswith(XIAMEN)
            else "莆田市司法局",
            decided_on=dt.date(2025, 1, 10 + i),
        )
    if len(lawyers) > 10:
        CreditRecord.objects.create(
            practitioner=lawyers[10],
            kind=CreditRecord.Kind.PENALTY,
            title="警告：未按规定履行法律援助义务",
            authority="厦门市司法局",
            decided_on=dt.date(2024, 9, 3),
        )
        CreditRecord.objects.create(
            practitioner=lawyers[11],
            kind=CreditRecord.Kind.PENALTY,
            title="训诫：执业档案不规范（行业内部处理）",
            authority="厦门市律师协会",
            decided_on=dt.date(2025, 3, 18),
            is_public=False,
        )
    # The credit file of institutions: a law firm's commendation and another's 行政处罚.
    firms = list(
        Unit.objects.filter(kind=Unit.Kind.LAW_FIRM, region__code__startswith=XIAMEN).order_by("pk")[:2]
    )
    if firms:
        CreditRecord.objects.create(
            unit=firms[0],
            kind=CreditRecord.Kind.REWARD,
            title="公共法律服务工作先进集体",
            authority="厦门市司法局",
            decided_on=dt.date(2025, 2, 14),
        )
    if len(firms) > 1:
        CreditRecord.objects.create(
            unit=firms[1],
            kind=CreditRecord.Kind.PENALTY,
            title="警告：未按规定办理律师执业年度考核备案",
            detail="已于 2024 年 12 月完成整改。",
            authority="厦门市司法局",
            decided_on=dt.date(2024, 11, 5),
        )


def demo_accounts() -> list[tuple[str, str]]:
    """(username, "unit 角色；unit 角色") for every demo sign-in that exists, in PERSONA_USERNAMES order, then the
    accounts the lines' demos add (named the same way, ``sm_firm1``: a persona prefix, an underscore), by name."""
    prefixes = tuple(f"{p}_" for p in ("fj", "xm", *PERSONA_PREFIXES.values(), *CONSULTANT_PREFIXES.values()))
    line_names = sorted(
        name
        for name in User.objects.filter(kind=User.Kind.STAFF).values_list("username", flat=True)
        if name.startswith(prefixes) and name not in PERSONA_USERNAMES
    )
    names = [*PERSONA_USERNAMES, *line_names]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    roles: dict[int, list[str]] = {}
    for m in (
        Membership.objects.filter(user__in=users.values(), is_active=True)
        .select_related("unit")
        .order_by("user_id", "pk")
    ):
        post = f"（{m.title}）" if m.title else ""
        roles.setdefault(m.user_id, []).append(f"{m.unit.name} {m.get_role_display()}{post}")
    return [
        (name, "；".join(roles.get(users[name].pk, [])) or users[name].display_name)
        for name in names
        if name in users
    ]
