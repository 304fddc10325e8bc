"""Demo files of community corrections: at each 司法所 of 思明区 and 仙游县, an invented number of persons under
correction typical of a city street or a county town (8 to 24), their categories, and the last week's schedule
items (most done on time, some missed) — enough for the console and the ratios to show something real. Everyone
is invented. Idempotent and fast (bulk inserts): every test database loads it."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from fawang.lib import crypto
from fawang.lib.validators import id_check_digit
from fawang.orgs.models import Unit

from . import schedule
from .models import Category, CorrectionType, DocumentKind, EndCause, Subject, SupervisionItem

COUNTIES = ("350203", "350322")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红文斌海燕鹏辉玲婷"
CRIMES = [
    "危险驾驶罪",
    "盗窃罪",
    "诈骗罪",
    "故意伤害罪",
    "交通肇事罪",
    "帮助信息网络犯罪活动罪",
    "寻衅滋事罪",
    "开设赌场罪",
]
TYPES = (
    [CorrectionType.PROBATION] * 8
    + [CorrectionType.PAROLE] * 2
    + [CorrectionType.MEDICAL_PAROLE, CorrectionType.CONTROL]
)


def offices() -> list[Unit]:
    return list(
        Unit.objects.filter(kind=Unit.Kind.JUDICIAL_OFFICE, region__parent_id__in=COUNTIES)
        .select_related("parent")
        .order_by("region_id")
    )


def count_for(office: Unit) -> int:
    return 8 + random.Random(f"corr:{office.region_id}").randrange(17)


@transaction.atomic
def load_line_demo() -> None:
    if Subject.objects.filter(file_no__startswith="SQJZDEMO").exists():
        return
    today = timezone.localdate()
    subjects = []
    for office in offices():
        rng = random.Random(f"corr:{office.region_id}")
        rng.randrange(17)  # the count, drawn in count_for
        for i in range(count_for(office)):
            born = dt.date(1965 + rng.randrange(38), 1 + rng.randrange(12), 1 + rng.randrange(28))
            first17 = f"{office.region_id[:6]}{born:%Y%m%d}{rng.randrange(1000):03d}"
            id_number = first17 + id_check_digit(first17)
            start = today - dt.timedelta(days=30 + rng.randrange(300))
            effective = start - dt.timedelta(days=rng.randrange(10))
            category = rng.choice([Category.STRICT, Category.NORMAL, Category.NORMAL, Category.LENIENT])
            subjects.append(
                Subject(
                    file_no=f"SQJZDEMO{office.region_id}{i + 1:03d}",
                    name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                    gender=rng.choice([Subject.Gender.MALE] * 5 + [Subject.Gender.FEMALE]),
                    id_number=id_number,
                    id_number_hash=crypto.lookup_hash(id_number),
                    birth_date=born,
                    phone=f"139{rng.randrange(10**8):08d}",
                    address=f"{office.region.full_name}（示例地址）{rng.randrange(1, 200)}号",
                    office=office,
                    bureau=office.parent,
                    correction_type=rng.choice(TYPES),
                    document_kind=DocumentKind.JUDGMENT,
                    document_no=f"（{effective.year}）闽{office.region_id[2:6]}刑初{rng.randrange(1, 900)}号",
                    decided_by=f"{office.parent.name.removesuffix('司法局')}人民法院"
                    if office.parent
                    else "人民法院",
                    crime=rng.choice(CRIMES),
                    effective_on=effective,
                    term_start=start,
                    term_end=start + dt.timedelta(days=365 * (1 + rng.randrange(3))),
                    report_due=effective + dt.timedelta(days=10),
                    reported_bureau_at=timezone.make_aware(
                        dt.datetime.combine(effective + dt.timedelta(days=3), dt.time(9))
                    ),
                    reported_office_at=timezone.make_aware(
                        dt.datetime.combine(effective + dt.timedelta(days=4), dt.time(10))
                    ),
                    category=category,
                    plan="入矫教育、每月集中教育学习、公益活动；就业指导。",
                    status=Subject.Status.SUPERVISED,
                )
            )
    subjects += _ended(today)
    Subject.objects.bulk_create(subjects, batch_size=500)
    _items(today)


def _ended(today: dt.date) -> list[Subject]:
    """A few corrections ended this year by 收监执行 (a revocation for breaking the rules) or by a new sentence
    after 再犯罪: about one 司法所 in four has one, as rare as they are (invented, like everything here)."""
    ended = []
    for office in offices():
        rng = random.Random(f"corr-ended:{office.region_id}")
        if rng.random() >= 0.25:
            continue
        reoffended = rng.random() < 0.4
        born = dt.date(1970 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
        first17 = f"{office.region_id[:6]}{born:%Y%m%d}{rng.randrange(1000):03d}"
        id_number = first17 + id_check_digit(first17)
        ended_on = max(today - dt.timedelta(days=5 + rng.randrange(60)), today.replace(month=1, day=1))
        start = ended_on - dt.timedelta(days=120 + rng.randrange(200))
        ended.append(
            Subject(
                file_no=f"SQJZDEMO{office.region_id}E01",
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                gender=Subject.Gender.MALE,
                id_number=id_number,
                id_number_hash=crypto.lookup_hash(id_number),
                birth_date=born,
                phone=f"139{rng.randrange(10**8):08d}",
                address=f"{office.region.full_name}（示例地址）{rng.randrange(1, 200)}号",
                office=office,
                bureau=office.parent,
                correction_type=CorrectionType.PROBATION,
                document_kind=DocumentKind.JUDGMENT,
                document_no=f"（{start.year}）闽{office.region_id[2:6]}刑初{rng.randrange(1, 900)}号",
                decided_by="人民法院",
                crime=rng.choice(CRIMES),
                effective_on=start,
                term_start=start,
                term_end=start + dt.timedelta(days=730),
                report_due=start + dt.timedelta(days=10),
                reported_bureau_at=timezone.make_aware(dt.datetime.combine(start, dt.time(9))),
                reported_office_at=timezone.make_aware(dt.datetime.combine(start, dt.time(10))),
                category=Category.STRICT,
                status=Subject.Status.TERMINATED,
                ended_on=ended_on,
                end_cause=EndCause.NEW_SENTENCE if reoffended else EndCause.IMPRISONED,
                end_reason="因再犯罪被判处刑罚"
                if reoffended
                else "多次违反监督管理规定，法院裁定撤销缓刑，收监执行",
                reoffended_on=ended_on - dt.timedelta(days=30) if reoffended else None,
                reoffence="涉嫌盗窃罪，被公安机关立案侦查" if reoffended else "",
            )
        )
    return ended


def _items(today: dt.date) -> None:
    """The last seven days' items of each demo file: location reports mostly made, a few missed."""
    now = timezone.now()
    rows = []
    seen: set[tuple[int, str, dt.date]] = set()
    for subject in Subject.objects.filter(
        file_no__startswith="SQJZDEMO", status=Subject.Status.SUPERVISED
    ).order_by("pk"):
        rng = random.Random(f"items:{subject.file_no}")
        for back in range(7, 0, -1):
            day = today - dt.timedelta(days=back)
            for kind, period, due in schedule.plan_for(
                subject.category, day, subject.term_start, subject.term_end
            ):
                key = (subject.pk, kind, period.start)
                if key in seen or due > now:
                    continue
                seen.add(key)
                done = rng.random() < 0.93
                rows.append(
                    SupervisionItem(
                        subject=subject,
                        kind=kind,
                        period_start=period.start,
                        due_at=due,
                        status=SupervisionItem.Status.DONE if done else SupervisionItem.Status.MISSED,
                        done_at=due - dt.timedelta(hours=3) if done else None,
                        method=(
                            SupervisionItem.Method.H5
                            if kind == "location"
                            else SupervisionItem.Method.PHONE
                            if kind == "voice"
                            else SupervisionItem.Method.HOME
                        )
                        if done
                        else "",
                        note="" if kind == "location" or not done else "情况正常。",
                    )
                )
    SupervisionItem.objects.bulk_create(rows, batch_size=1000)
