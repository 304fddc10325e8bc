"""The test world: the units, practitioners, staff personas and the few line fixtures every test database gets
(conftest.py builds it once, after the regions). Independent of the demo (fawang/*/demo.py): tests reach a unit
through its key here (``world.unit("siming.legal_aid")``), never through a unit's name, so the demo can change
without breaking a test.

One of every kind of unit, in the region tree the tests need: the province, 厦门市 with its city-wide units,
思明区 and 湖里区 (a district bureau, centre and legal-aid centre each, and every street with its 司法所, 人民调解委员会,
工作站 and one 工作室 per community, each community with its advisor), 仙游县 under 莆田市 likewise, the other districts
of 厦门市 (bureau, centre, legal-aid centre), and the law firms, notaries, appraisers, grassroots workers and
mediators that work there. Built by natural key (unit name + region, licence number, user name), so building twice
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pyotp
from django.db import transaction
from django.utils import timezone

from fawang.accounts.models import User
from fawang.orgs.models import (
    AdvisorAssignment,
    Function,
    Membership,
    Practitioner,
    Speciality,
    Unit,
    Window,
)
from fawang.regions.models import Region

PASSWORD = "fawang-world-2026"  # noqa: S105 -- the test personas' password, for tests that sign in by form
HOURS = "工作日 8:30-12:00，14:30-17:30（法定节假日除外）"
ROOM_HOURS = "每周三 9:00-11:30（法律顾问驻点）；其余工作日可电话预约"
CONSULTATION_POST = "法律咨询岗"
HARDSHIP_DOC = "测试：福建省法律援助经济困难标准"
CTI_TOKEN = "world-12348-xiamen"  # noqa: S105 -- the 12348 centre's telephone system in the test world
LINK_TOKEN = "world-12345-link"  # noqa: S105 -- the 12345 ticket system in the test world

FUJIAN, XIAMEN, PUTIAN = "35", "3502", "3503"
SIMING, HULI, XIANYOU = "350203", "350206", "350322"

COUNTIES = {"siming": SIMING, "huli": HULI, "xianyou": XIANYOU}
# Every street (town) of the three counties is built, with its 司法所, 人民调解委员会 and 工作站 and a 工作室 per
# community: these keep their names in the tests (the first street of each county, where its personas work, and
# the streets of 思明区 the tests name); the others are keyed by their code (``"huli.350206002"``).
STREETS = {
    "siming.xiagang": "350203001",
    "siming.zhonghua": "350203003",
    "siming.lujiang": "350203006",
    "siming.yundang": "350203009",
    "siming.lianqian": "350203010",
    "huli.huli": "350206001",
    "xianyou.licheng": "350322001",
}
OTHER_DISTRICTS = {
    "haicang": ("350205", "海沧区"),
    "jimei": ("350211", "集美区"),
    "tongan": ("350212", "同安区"),
    "xiangan": ("350213", "翔安区"),
}
FIRST_STREET = {"siming": "siming.xiagang", "huli": "huli.huli", "xianyou": "xianyou.licheng"}
FIRMS = {"siming": ("明理", "正衡", "嘉禾"), "huli": ("立信", "同舟"), "xianyou": ("木兰", "仙溪")}

CENTRE_FUNCTIONS = (
    "legal_aid",
    "mediation",
    "consultation",
    "lawyer",
    "notary",
    "special_mediation",
    "resettlement",
    "remote_visit",
)


@dataclass(frozen=True)
class UnitSpec:
    key: str
    kind: str
    region: str
    name: str
    parent: str = ""
    functions: tuple[str, ...] = ()
    hotline: str = ""


def _county_specs(county: str, code: str, name: str, bureau_parent: str) -> list[UnitSpec]:
    k = Unit.Kind
    specs = [
        UnitSpec(
            f"{county}.bureau", k.BUREAU, code, f"{name}司法局", bureau_parent, ("publicity", "corrections")
        ),
        UnitSpec(
            f"{county}.centre",
            k.CENTRE,
            code,
            f"{name}公共法律服务中心",
            f"{county}.bureau",
            CENTRE_FUNCTIONS,
        ),
        UnitSpec(
            f"{county}.legal_aid",
            k.LEGAL_AID,
            code,
            f"{name}法律援助中心",
            f"{county}.bureau",
            ("legal_aid", "consultation"),
        ),
    ]
    for word in FIRMS.get(county, ()):
        specs.append(
            UnitSpec(
                f"{county}.firm{len([s for s in specs if s.kind == k.LAW_FIRM]) + 1}",
                k.LAW_FIRM,
                code,
                f"福建{word}律师事务所（示例）",
                functions=("lawyer", "consultation"),
            )
        )
    return specs


def _street_specs(key: str, town: Region, villages: Iterable[Region]) -> list[UnitSpec]:
    county = key.split(".")[0]
    k = Unit.Kind
    specs = [
        UnitSpec(
            f"{key}.office",
            k.JUDICIAL_OFFICE,
            town.code,
            f"{town.name}司法所",
            f"{county}.bureau",
            ("mediation", "corrections", "publicity"),
        ),
        UnitSpec(
            f"{key}.committee",
            k.MEDIATION,
            town.code,
            f"{town.name}人民调解委员会",
            f"{key}.office",
            ("mediation",),
        ),
        UnitSpec(
            f"{key}.station",
            k.STATION,
            town.code,
            f"{town.name}公共法律服务工作站",
            f"{key}.office",
            ("mediation", "consultation", "publicity", "legal_aid"),
        ),
    ]
    for i, village in enumerate(villages, 1):
        stem = village.name.removesuffix("居民委员会").removesuffix("居委会").removesuffix("村委会")
        specs.append(
            UnitSpec(
                f"{key}.room{i}",
                k.ROOM,
                village.code,
                f"{stem}公共法律服务工作室",
                f"{key}.station",
                ("consultation", "mediation", "publicity"),
            )
        )
    return specs


def all_streets() -> list[tuple[str, Region]]:
    """(key, town) of every street of the three counties, by code."""
    named = {code: key for key, code in STREETS.items()}
    county_key = {code: key for key, code in COUNTIES.items()}
    towns = Region.objects.filter(parent_id__in=list(COUNTIES.values())).order_by("code")
    return [(named.get(t.code) or f"{county_key[t.parent_id or '']}.{t.code}", t) for t in towns]


@functools.cache
def unit_specs() -> tuple[UnitSpec, ...]:
    """Every unit of the world, parents first. Reads the towns' and villages' names from the regions table."""
    k = Unit.Kind
    specs = [
        UnitSpec("province.bureau", k.BUREAU, FUJIAN, "福建省司法厅", functions=("publicity",)),
        UnitSpec(
            "province.centre",
            k.CENTRE,
            FUJIAN,
            "福建省公共法律服务中心",
            "province.bureau",
            ("consultation", "legal_aid", "mediation", "lawyer", "notary"),
        ),
        UnitSpec(
            "xiamen.bureau", k.BUREAU, XIAMEN, "厦门市司法局", "province.bureau", ("publicity", "corrections")
        ),
        UnitSpec(
            "xiamen.centre",
            k.CENTRE,
            XIAMEN,
            "厦门市公共法律服务中心",
            "xiamen.bureau",
            (*CENTRE_FUNCTIONS, "appraisal", "exam"),
        ),
        UnitSpec(
            "xiamen.legal_aid",
            k.LEGAL_AID,
            XIAMEN,
            "厦门市法律援助中心",
            "xiamen.bureau",
            ("legal_aid", "consultation"),
        ),
        UnitSpec("xiamen.notary", k.NOTARY, XIAMEN, "厦门市公证处", "xiamen.bureau", ("notary",)),
        UnitSpec(
            "xiamen.appraisal",
            k.APPRAISAL,
            XIAMEN,
            "厦门市司法鉴定所（示例）",
            "xiamen.bureau",
            ("appraisal",),
        ),
        UnitSpec(
            "xiamen.medical_committee",
            k.MEDIATION,
            XIAMEN,
            "厦门市医疗纠纷人民调解委员会",
            "xiamen.bureau",
            ("special_mediation", "mediation"),
        ),
        UnitSpec("xiamen.prison", k.PRISON, XIAMEN, "厦门市看守所", "xiamen.bureau", ("remote_visit",)),
        UnitSpec("xiamen.hotline_12345", k.HOTLINE, XIAMEN, "厦门市12345 政务服务便民热线", hotline="12345"),
        UnitSpec(
            "xiamen.hotline_12315", k.HOTLINE, XIAMEN, "厦门市12315 市场监管投诉举报热线", hotline="12315"
        ),
        UnitSpec("xiamen.hotline_110", k.HOTLINE, XIAMEN, "厦门市110 报警服务台", hotline="110"),
        UnitSpec(
            "putian.bureau", k.BUREAU, PUTIAN, "莆田市司法局", "province.bureau", ("publicity", "corrections")
        ),
        *_county_specs("siming", SIMING, "思明区", "xiamen.bureau"),
        *_county_specs("huli", HULI, "湖里区", "xiamen.bureau"),
        *_county_specs("xianyou", XIANYOU, "仙游县", "putian.bureau"),
        # The other districts of 厦门市: their bureau, centre and legal-aid centre only (a matter of theirs has a
        # unit to go to).
        *(
            spec
            for county, (code, name) in OTHER_DISTRICTS.items()
            for spec in _county_specs(county, code, name, "xiamen.bureau")
        ),
        UnitSpec("xianyou.notary", k.NOTARY, XIANYOU, "仙游县公证处", "xianyou.bureau", ("notary",)),
        UnitSpec(
            "xianyou.grassroots",
            k.GRASSROOTS,
            XIANYOU,
            "仙游县鲤城法律服务所（示例）",
            "xianyou.bureau",
            ("grassroots", "consultation"),
        ),
        UnitSpec("xianyou.prison", k.PRISON, XIANYOU, "仙游县看守所", "xianyou.bureau", ("remote_visit",)),
    ]
    villages: dict[str, list[Region]] = {}
    for v in Region.objects.filter(parent__parent_id__in=list(COUNTIES.values())).order_by("code"):
        villages.setdefault(v.parent_id or "", []).append(v)
    for key, town in all_streets():
        specs.extend(_street_specs(key, town, villages.get(town.code, [])))
    return tuple(specs)


# Staff personas: (username, display name, [(unit key, role, title)]). The same names in each county: clerk,
# agent, handler, consultant, supervisor, admin, corrections officer; the advisor is added with the assignments.
def _county_personas(
    prefix: str, county: str, surname: str
) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    r = Membership.Role
    street = FIRST_STREET[county]
    return [
        (
            f"{prefix}_clerk",
            f"{surname}窗口",
            [(f"{county}.centre", r.WINDOW_CLERK, ""), (f"{street}.station", r.WINDOW_CLERK, "")],
        ),
        (f"{prefix}_agent", f"{surname}座席", [(f"{county}.centre", r.HOTLINE_AGENT, "")]),
        (
            f"{prefix}_handler",
            f"{surname}承办",
            [
                (f"{county}.legal_aid", r.HANDLER, ""),
                (f"{county}.centre", r.HANDLER, ""),
                (f"{street}.station", r.HANDLER, ""),
            ],
        ),
        (f"{prefix}_consultant", f"{surname}咨询", [(f"{county}.centre", r.HANDLER, CONSULTATION_POST)]),
        (f"{prefix}_supervisor", f"{surname}监督", [(f"{county}.bureau", r.SUPERVISOR, "")]),
        (f"{prefix}_admin", f"{surname}管理", [(f"{county}.bureau", r.UNIT_ADMIN, "")]),
        (f"{prefix}_corrections", f"{surname}矫正", [(f"{street}.office", r.CORRECTIONS_OFFICER, "")]),
    ]


def persona_specs() -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    r = Membership.Role
    # The other districts' centres take routed consultations too: each has its 法律咨询岗.
    consultants: list[tuple[str, str, list[tuple[str, str, str]]]] = [
        (
            f"{prefix}_consultant",
            f"{OTHER_DISTRICTS[county][1]}咨询",
            [(f"{county}.centre", r.HANDLER, CONSULTATION_POST)],
        )
        for county, prefix in (("haicang", "hc"), ("jimei", "jm"), ("tongan", "ta"), ("xiangan", "xa"))
    ]
    return [
        ("fj_consultant", "黄立诚", [("province.centre", r.HANDLER, CONSULTATION_POST)]),
        ("xm_supervisor", "林晓东", [("xiamen.bureau", r.SUPERVISOR, "")]),
        ("xm_agent", "陈雨涵", [("xiamen.centre", r.HOTLINE_AGENT, "")]),
        ("xm_consultant", "郑思远", [("xiamen.centre", r.HANDLER, CONSULTATION_POST)]),
        *_county_personas("sm", "siming", "思明"),
        *_county_personas("hl", "huli", "湖里"),
        *_county_personas("xy", "xianyou", "仙游"),
        *consultants,
        ("sysadmin", "系统管理员", [("province.bureau", r.SYSTEM_ADMIN, "")]),
    ]


# Roles that always sign in with a second factor (fawang.orgs.apps.ROLES_REQUIRING_2FA): their personas have an
# authenticator bound already.
Ranges = list[tuple[int, tuple[dt.time, dt.time]]]
SECOND_FACTOR_ROLES = frozenset(
    {Membership.Role.SYSTEM_ADMIN, Membership.Role.SUPERVISOR, Membership.Role.UNIT_ADMIN}
)


class World:
    """Handles on the built world: units by key, personas by user name. Each call reads the row afresh (a test's
    changes are rolled back; a cached instance would outlive them)."""

    @functools.cached_property
    def _unit_pks(self) -> dict[str, int]:
        by_name = {(u.region_id, u.name): u.pk for u in Unit.objects.only("pk", "region_id", "name")}
        return {s.key: by_name[(s.region, s.name)] for s in unit_specs()}

    def unit(self, key: str) -> Unit:
        return Unit.objects.get(pk=self._unit_pks[key])

    def unit_pk(self, key: str) -> int:
        return self._unit_pks[key]

    def units(self, *keys: str) -> list[Unit]:
        return [self.unit(key) for key in keys]

    def keys(self, prefix: str = "") -> list[str]:
        return [key for key in self._unit_pks if key.startswith(prefix)]

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def street(self, key: str) -> Region:
        return Region.objects.get(code=STREETS[key])


@functools.cache
def world() -> World:
    """The world conftest.py built into this test database."""
    return World()


class _Builder:
    def __init__(self) -> None:
        self.units: dict[str, Unit] = {}
        self.functions = {f.code: f for f in Function.objects.all()}
        self.regions = Region.objects.in_bulk({s.region for s in unit_specs()})

    def unit(self, spec: UnitSpec) -> Unit:
        region = self.regions[spec.region]
        unit, created = Unit.objects.get_or_create(
            region=region,
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "parent": self.units.get(spec.parent),
                "address": f"{region.full_name}人民路{len(self.units) + 1}号",
                "phone": spec.hotline or f"0592-{5550000 + len(self.units)}",
                "opening_hours": "7×24 小时"
                if spec.hotline
                else ROOM_HOURS
                if spec.kind == Unit.Kind.ROOM
                else HOURS,
                "hotline_number": spec.hotline,
            },
        )
        if created:
            unit.functions.set([self.functions[c] for c in spec.functions])
            windows = []
            if spec.kind in (Unit.Kind.CENTRE, Unit.Kind.STATION):
                windows = [Window.Kind.RECEPTION, Window.Kind.CONSULTATION]
            if spec.kind == Unit.Kind.CENTRE:
                windows.append(Window.Kind.LEGAL_AID)
            Window.objects.bulk_create(
                [
                    Window(unit=unit, kind=w, number=i, name=str(Window.Kind(w).label))
                    for i, w in enumerate(windows, 1)
                ]
            )
        self.units[spec.key] = unit
        return unit

    def practitioner(self, kind: str, licence_no: str, unit: Unit, name: str, n: int) -> Practitioner:
        p, created = Practitioner.objects.get_or_create(
            kind=kind,
            licence_no=licence_no,
            defaults={
                "unit": unit,
                "name": name,
                "gender": Practitioner.Gender.FEMALE if n % 2 else Practitioner.Gender.MALE,
                "licensed_on": dt.date(2005 + n % 18, 1 + n % 12, 1 + n % 28),
                "phone": f"139{n:08d}",
            },
        )
        if created:
            specialities = list(Speciality.objects.order_by("order", "code"))
            p.specialities.set(specialities[n % len(specialities) :][:3] or specialities[:3])
        return p

    def staff(self, username: str, name: str, roles: list[tuple[str, str, str]], **extra: object) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, display_name=name, kind=User.Kind.STAFF, **extra)
            user.set_password(PASSWORD)
            if user.is_superuser or SECOND_FACTOR_ROLES.intersection(role for _k, role, _t in roles):
                user.totp_secret = pyotp.random_base32()
                user.totp_confirmed_at = timezone.now()
            user.save()
        for key, role, title in roles:
            Membership.objects.get_or_create(
                user=user, unit=self.units[key], role=role, defaults={"title": title}
            )
        return user


NAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"


def _name(n: int) -> str:
    return f"{NAMES[n % len(NAMES)]}{'明华强芳敏静丽军'[n % 8]}{'一二三四五六七'[n % 7]}"


@transaction.atomic
def build_world() -> World:
    """Build (or find) every unit, practitioner and persona of the test world, and the line fixtures."""
    b = _Builder()
    for spec in unit_specs():
        b.unit(spec)
    _practitioners(b)
    for username, name, roles in persona_specs():
        extra: dict[str, object] = {"is_staff": True, "is_superuser": True} if username == "sysadmin" else {}
        b.staff(username, name, roles, **extra)
    _advisors(b)
    _line_fixtures(b)
    return world()


def _practitioners(b: _Builder) -> None:
    k = Practitioner.Kind
    n = 0
    for unit_key, kind, count, tag in (
        ("xiamen.notary", k.NOTARY, 4, "N3502"),
        ("xianyou.notary", k.NOTARY, 2, "N3503"),
        ("xiamen.appraisal", k.APPRAISER, 3, "A3502"),
        ("xianyou.grassroots", k.GRASSROOTS_WORKER, 3, "G3503"),
    ):
        for i in range(count):
            n += 1
            b.practitioner(kind, f"{tag}{i + 1:04d}", b.units[unit_key], _name(n), n)
    for spec in unit_specs():
        if spec.kind == Unit.Kind.MEDIATION and spec.key.endswith(".committee"):
            for i in range(2):
                n += 1
                b.practitioner(k.MEDIATOR, f"M{spec.region}{i + 1}", b.units[spec.key], _name(n), n)


def _advisors(b: _Builder) -> None:
    """一村一法律顾问: every community of the world's streets has a lawyer of its county's firms, three communities
    to a lawyer; the first lawyer of each county's first street is its ``<prefix>_advisor`` persona."""
    prefixes = {"siming": "sm", "huli": "hl", "xianyou": "xy"}
    n = 100
    for county, code in COUNTIES.items():
        firms = [b.units[f"{county}.firm{i}"] for i in range(1, len(FIRMS[county]) + 1)]
        lawyers = 0
        for street in (key for key, _town in all_streets() if key.startswith(f"{county}.")):
            rooms = [
                b.units[key] for key in sorted(b.units, key=_room_order) if key.startswith(f"{street}.room")
            ]
            for start in range(0, len(rooms), 3):
                n += 1
                licence = f"1{code}{2010 + lawyers % 14}1{lawyers:05d}"
                lawyer = b.practitioner(
                    Practitioner.Kind.LAWYER, licence, firms[lawyers % len(firms)], _name(n), n
                )
                lawyers += 1
                for room in rooms[start : start + 3]:
                    if not AdvisorAssignment.objects.current().filter(region_id=room.region_id).exists():
                        AdvisorAssignment.objects.create(
                            practitioner=lawyer,
                            region_id=room.region_id,
                            room=room,
                            started_on=dt.date(2024, 1, 1),
                            service_schedule="每周三上午驻点，其余时间电话、微信联系",
                        )
                if street == FIRST_STREET[county] and start == 0:
                    room_key = f"{street}.room1"
                    advisor = b.staff(
                        f"{prefixes[county]}_advisor",
                        lawyer.name,
                        [(room_key, Membership.Role.LEGAL_ADVISOR, "")],
                    )
                    if lawyer.user_id is None:
                        Practitioner.objects.filter(pk=lawyer.pk).update(user=advisor)


def _room_order(key: str) -> tuple[str, int]:
    head, _, tail = key.rpartition(".room")
    return (head, int(tail) if tail.isdigit() else 0)


def _line_fixtures(b: _Builder) -> None:
    """What the lines' tests need from the start: the 12348 centre's telephone system and the 12345 ticket
    system (known tokens), legal aid's standards and 思明区's roster, the mediation committees' profiles, the advisors' schedules, the service points' appointment schedules,
    厦门市司法鉴定所's licensed categories."""
    _hotline(b)
    _legal_aid(b)
    _mediation()
    _advisor_work()
    _schedules(b)
    _appraisal(b)


def _hotline(b: _Builder) -> None:
    from fawang.hotline import actions as hotline_actions
    from fawang.hotline import cti
    from fawang.hotline.models import CtiSystem

    if not CtiSystem.objects.filter(token_hash=cti.token_hash(CTI_TOKEN)).exists():
        hotline_actions.do_create_system(
            actor=None, unit=b.units["xiamen.centre"], name="12348 呼叫中心", signed=False, token=CTI_TOKEN
        )
    if not CtiSystem.objects.filter(token_hash=cti.token_hash(LINK_TOKEN)).exists():
        hotline_actions.do_create_system(
            actor=None,
            unit=b.units["xiamen.hotline_12345"],
            name="12345 工单系统",
            signed=False,
            token=LINK_TOKEN,
            purpose=CtiSystem.Purpose.LINK,
        )


def _legal_aid(b: _Builder) -> None:
    """The hardship standard of 福建省 (one month's minimum wage), the figures it refers to, 厦门市's subsidy rates,
    and at 思明区法律援助中心 a roster of six lawyers of the district's firms, two 值班律师 stations and a court
    that notifies its cases (第二十五条). Invented figures."""
    from fawang.legalaid.models import (
        AidLawyer,
        DutyStation,
        HardshipStandard,
        NotifyingPartner,
        Organ,
        ReferenceFigure,
        SubsidyRate,
    )

    if HardshipStandard.objects.exists():
        return
    since = dt.date(2024, 1, 1)
    ReferenceFigure.objects.bulk_create(
        [
            ReferenceFigure(
                kind="min_wage",
                region_id=FUJIAN,
                amount=Decimal("1800"),
                effective_from=since,
                document="测试：月最低工资",
            ),
            ReferenceFigure(
                kind="min_wage",
                region_id=XIAMEN,
                amount=Decimal("2030"),
                effective_from=since,
                document="测试：厦门市月最低工资",
            ),
            ReferenceFigure(
                kind="dibao",
                region_id=XIAMEN,
                amount=Decimal("1030"),
                effective_from=since,
                document="测试：厦门市低保标准",
            ),
        ]
    )
    HardshipStandard.objects.create(
        region_id=FUJIAN,
        basis="multiple",
        reference_kind="min_wage",
        multiple=Decimal("1"),
        effective_from=since,
        document=HARDSHIP_DOC,
    )
    SubsidyRate.objects.bulk_create(
        [
            SubsidyRate(
                region_id=XIAMEN,
                case_type=kind,
                amount=Decimal(amount),
                effective_from=since,
                document="测试：办案补贴标准",
            )
            for kind, amount in (
                ("civil", Decimal("2000")),
                ("criminal", Decimal("2500")),
                ("administrative", Decimal("2000")),
                ("non_litigation", Decimal("800")),
            )
        ]
    )
    centre = b.units["siming.legal_aid"]
    lawyers = Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER, unit__region_id=SIMING).order_by(
        "unit_id", "licence_no"
    )
    AidLawyer.objects.bulk_create(
        [
            AidLawyer(
                centre=centre,
                practitioner=p,
                criminal_since=dt.date(2012, 3, 1) if i % 2 == 0 else dt.date(2024, 6, 1),
            )
            for i, p in enumerate(lawyers[:6])
        ]
    )
    DutyStation.objects.bulk_create(
        [
            DutyStation(centre=centre, kind=DutyStation.Kind.COURT, name="思明区人民法院法律援助工作站"),
            DutyStation(centre=centre, kind=DutyStation.Kind.DETENTION, name="厦门市看守所法律援助工作站"),
        ]
    )
    NotifyingPartner.objects.create(
        name="厦门市思明区人民法院",
        kind=Organ.COURT,
        centre=centre,
        key_id="sm-court",
        secret=secrets.token_urlsafe(32),
    )


def _mediation() -> None:
    """Every committee's profile (a town's, or the city's medical committee: professional) and its mediators'
    (the first of each committee full-time)."""
    from fawang.mediation.choices import CommitteeKind, Employment
    from fawang.mediation.models import CommitteeProfile, MediatorProfile

    known = set(CommitteeProfile.objects.values_list("unit_id", flat=True))
    CommitteeProfile.objects.bulk_create(
        CommitteeProfile(
            unit=u,
            kind=CommitteeKind.TOWN if u.region.level == Region.Level.TOWN else CommitteeKind.PROFESSION,
            field="" if u.region.level == Region.Level.TOWN else "医疗",
        )
        for u in Unit.objects.filter(kind=Unit.Kind.MEDIATION).select_related("region")
        if u.pk not in known
    )
    have = set(MediatorProfile.objects.values_list("practitioner_id", flat=True))
    seen: set[int | None] = set()
    rows = []
    for m in Practitioner.objects.filter(kind=Practitioner.Kind.MEDIATOR).order_by("unit_id", "pk"):
        first = m.unit_id not in seen
        seen.add(m.unit_id)
        if m.pk not in have:
            employment = Employment.FULL_TIME if first else Employment.PART_TIME
            rows.append(
                MediatorProfile(practitioner=m, employment=employment, training_hours=24 if first else 8)
            )
    MediatorProfile.objects.bulk_create(rows)


def _advisor_work() -> None:
    """At the first street of 思明区 and of 仙游县: every advisor keeps Wednesday mornings at the community's room
    (定点) and each community has its committee's contact; 厦门市 and 仙游县 have their 法律服务工作补助办法; the first
    six lawyers of 思明区 have talent profiles. Made through the actions, as the system administrator."""
    from fawang.advisors import actions
    from fawang.advisors.models import CommitteeContact, ServiceDay, ServiceKind, SubsidyRule, TalentProfile

    actor = User.objects.get(username="sysadmin")
    for county, cap in ((SIMING, None), (XIANYOU, Decimal("1200"))):
        town = STREETS[FIRST_STREET[next(k for k, c in COUNTIES.items() if c == county)]]
        assignments = (
            AdvisorAssignment.objects.current()
            .filter(region__parent_id=town, room__isnull=False)
            .order_by("region_id")
        )
        for n, a in enumerate(assignments):
            if not ServiceDay.objects.filter(assignment=a).exists():
                day = actions.ServiceDayData(
                    kind=ServiceKind.FIXED,
                    weekday=2,
                    start_time=dt.time(9),
                    end_time=dt.time(11, 30),
                    place="村（居）党群服务中心法律服务工作室",
                )
                actions.add_service_day(a.pk, day, actor=actor)
            if not CommitteeContact.objects.filter(region_id=a.region_id).exists():
                actions.set_committee_contact(
                    a.pk, actor=actor, name=_name(n + 40), title="村（居）委会文书", phone=f"1390592{n:04d}"
                )
        region = XIAMEN if county == SIMING else county
        if not SubsidyRule.objects.filter(region_id=region).exists():
            rule = actions.SubsidyRuleData(
                region_code=region,
                effective_from=dt.date(2024, 1, 1),
                per_fixed_day=Decimal("200"),
                per_roving_day=Decimal("150"),
                per_talk=Decimal("100"),
                per_mediation=Decimal("50"),
                per_document=Decimal("30"),
                monthly_cap=cap,
                document_no="（测试）",
            )
            actions.add_subsidy_rule(rule, actor=actor)
    first_town = Region.objects.get(code=STREETS[FIRST_STREET["siming"]])
    lawyers = Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER, unit__region_id=SIMING).order_by(
        "pk"
    )
    for n, p in enumerate(lawyers[:6]):
        if not TalentProfile.objects.filter(practitioner=p).exists():
            talent = actions.TalentData(
                languages="闽南语" if n % 2 == 0 else "",
                available=n != 3,
                max_villages=3,
                reserve_towns=[first_town] if n % 3 == 0 else [],
            )
            actions.save_talent_profile(p.pk, talent, actor=actor)


def _schedules(b: _Builder) -> None:
    """Appointment schedules (made through the actions, as the system), weekdays 8:30-12:00 and 14:30-17:30: each
    county's centre books 法律咨询 and 律师服务 at its 法律咨询窗口, 人民调解 and 公证 at its 综合窗口, legal aid at its
    法律援助窗口, and video visits (监所远程探视) in its remote visit room; 思明区's centre also takes video
    consultations; 厦港街道's station books consultations at its 法律咨询窗口 and mediation and legal aid at its
    综合窗口."""
    from fawang.catalog.models import ServiceItem
    from fawang.frontdesk import actions, slots
    from fawang.frontdesk.models import Schedule

    days = [
        (d, r) for d in range(5) for r in ((dt.time(8, 30), dt.time(12)), (dt.time(14, 30), dt.time(17, 30)))
    ]

    def schedule(
        key: str, name: str, items: list[str], window: str | None, ranges: Ranges, **options: object
    ) -> None:
        unit = b.units[key]
        if Schedule.objects.filter(unit=unit, name=name).exists():
            return
        found = (
            unit.windows.filter(kind=window, is_active=True).order_by("number").first() if window else None
        )
        data = actions.ScheduleData(
            name=name,
            service_items=list(ServiceItem.objects.filter(code__in=items, is_active=True)),
            window=found,
            **options,  # type: ignore[arg-type]
        )
        made = actions.do_save_schedule(actor=None, unit=unit, data=data)
        for weekday, (start, end) in ranges:
            actions.do_add_rule(
                made.pk, actor=None, weekday=weekday, start_time=start, end_time=end, derive=False
            )
        slots.derive_slots(made.pk)

    w = Window.Kind
    for county in COUNTIES:
        centre = f"{county}.centre"
        schedule(centre, "法律咨询窗口", ["consultation", "lawyer"], w.CONSULTATION, days, capacity=3)
        schedule(centre, "综合窗口", ["mediation", "notary"], w.RECEPTION, days, capacity=3)
        schedule(centre, "法律援助窗口", ["legal_aid", "legal_aid_objection"], w.LEGAL_AID, days, capacity=2)
        visits = [(1, (dt.time(14, 30), dt.time(17))), (3, (dt.time(14, 30), dt.time(17)))]
        schedule(
            centre,
            "远程视频探视",
            ["remote_visit"],
            None,
            visits,
            capacity=1,
            min_notice_hours=24,
            cancel_cutoff_hours=4,
        )
    video = [(1, (dt.time(9), dt.time(11, 30))), (3, (dt.time(9), dt.time(11, 30)))]
    schedule(
        "siming.centre",
        "视频法律咨询",
        ["consultation"],
        None,
        video,
        capacity=1,
        min_notice_hours=2,
        mode=Schedule.Mode.VIDEO,
    )
    station = f"{FIRST_STREET['siming']}.station"
    schedule(station, "法律咨询窗口", ["consultation"], w.CONSULTATION, days, capacity=2)
    schedule(station, "综合窗口", ["mediation", "legal_aid"], w.RECEPTION, days, capacity=2)


def _appraisal(b: _Builder) -> None:
    """厦门市司法鉴定所 is licensed for 法医临床, 法医物证, 文书 and 声像资料 (not 环境损害: a request of that category
    finds no institution in the city); its three appraisers for (法医临床, 法医物证), (文书) and (声像资料)."""
    from fawang.appraisal import actions
    from fawang.appraisal.models import Category, InstitutionCategory

    unit = b.units["xiamen.appraisal"]
    if InstitutionCategory.objects.filter(unit=unit).exists():
        return
    actor = User.objects.get(username="sysadmin")
    c = Category
    licensed = (c.FORENSIC_CLINICAL, c.FORENSIC_GENETICS, c.DOCUMENTS, c.AUDIO_VISUAL)
    actions.set_institution_categories(unit.pk, licensed, actor=actor)
    people = Practitioner.objects.filter(unit=unit, kind=Practitioner.Kind.APPRAISER).order_by("pk")
    each = ((c.FORENSIC_CLINICAL, c.FORENSIC_GENETICS), (c.DOCUMENTS,), (c.AUDIO_VISUAL,))
    for person, categories in zip(people, each, strict=True):
        actions.set_appraiser_categories(person.pk, categories, actor=actor)
