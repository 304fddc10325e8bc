"""Demo data of 安置帮教 at each 司法所 of 思明区 and 仙游县: release notices of the past year from the local 看守所
(a few 重点 each, most met; some 一般 not yet connected), the five-year files they opened with placement mostly
recorded, and the 司法协理员 of each line (some 司法所 one short of 15:1). All invented; idempotent; bulk inserts."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from fawang.corrections.demo import GIVEN, SURNAMES, count_for, offices
from fawang.lib import crypto
from fawang.lib.validators import id_check_digit
from fawang.orgs.models import Unit
from fawang.regions.models import Region

from .models import Assistant, HelpFile, ReleaseNotice

PRISONS = {"350203": "厦门市看守所", "350322": "仙游县看守所"}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


@transaction.atomic
def load_line_demo() -> None:
    if ReleaseNotice.objects.filter(notice_no__startswith="DEMO-").exists():
        return
    today = timezone.localdate()
    prisons = {code: Unit.objects.filter(name=name).first() for code, name in PRISONS.items()}
    assistants, notices = [], []
    for office in offices():
        prison = prisons.get(office.region.parent_id or "")
        rng = random.Random(f"resettle:{office.region_id}")
        subjects = count_for(office)
        helpers = max(1, -(-subjects // 15) - (1 if rng.random() < 0.3 else 0))
        for _i in range(helpers):
            assistants.append(Assistant(office=office, name=_name(rng), line=Assistant.Line.CORRECTIONS))
        assistants.append(Assistant(office=office, name=_name(rng), line=Assistant.Line.RESETTLEMENT))
        village = Region.objects.filter(parent_id=office.region_id).order_by("code").first() or office.region
        if prison is None:
            continue
        for i in range(3 + rng.randrange(8)):
            born = dt.date(1970 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
            first17 = f"{office.region_id[:6]}{born:%Y%m%d}{rng.randrange(1000):03d}"
            release = today - dt.timedelta(days=rng.randrange(-25, 330))
            is_key = rng.random() < 0.25
            released = release <= today
            connected = released and (is_key or rng.random() < 0.8)
            notices.append(
                ReleaseNotice(
                    prison=prison,
                    notice_no=f"DEMO-{office.region_id}-{i + 1:02d}",
                    name=_name(rng),
                    id_number=first17 + id_check_digit(first17),
                    id_number_hash=crypto.lookup_hash(first17 + id_check_digit(first17)),
                    residence=village,
                    office=office,
                    crime=rng.choice(["盗窃罪", "诈骗罪", "故意伤害罪", "贩卖毒品罪", "抢劫罪"]),
                    sentence=f"有期徒刑{1 + rng.randrange(8)}年",
                    release_on=release,
                    is_key=is_key,
                    key_reasons="曾有吸毒史，家庭关系紧张" if is_key else "",
                    received_at=timezone.make_aware(
                        dt.datetime.combine(release - dt.timedelta(days=30), dt.time(10))
                    ),
                    status=ReleaseNotice.Status.CONNECTED if connected else ReleaseNotice.Status.NOTIFIED,
                    connected_at=timezone.make_aware(dt.datetime.combine(release, dt.time(9)))
                    if connected
                    else None,
                    received_by="司法所工作人员及家属" if connected else "",
                    handover_place=f"{prison.name}门口" if connected and is_key else "",
                )
            )
    Assistant.objects.bulk_create(assistants)
    ReleaseNotice.objects.bulk_create(notices)
    files = []
    for notice in ReleaseNotice.objects.filter(
        notice_no__startswith="DEMO-", status=ReleaseNotice.Status.CONNECTED
    ):
        rng = random.Random(f"file:{notice.notice_no}")
        placed = rng.random() < 0.92
        files.append(
            HelpFile(
                source=HelpFile.Source.PRISON,
                notice=notice,
                office_id=notice.office_id,
                name=notice.name,
                id_number=notice.id_number,
                id_number_hash=notice.id_number_hash,
                is_key=notice.is_key,
                opened_on=notice.release_on,
                ends_on=notice.release_on.replace(year=notice.release_on.year + 5)
                if not (notice.release_on.month == 2 and notice.release_on.day == 29)
                else notice.release_on.replace(year=notice.release_on.year + 5, day=28),
                plan="定期走访，协助就业和落实社会保障。",
                placement=rng.choice(
                    [HelpFile.Placement.JOB] * 3 + [HelpFile.Placement.FAMILY, HelpFile.Placement.BUSINESS]
                )
                if placed
                else HelpFile.Placement.NONE,
                placed_on=notice.release_on + dt.timedelta(days=20) if placed else None,
                **_reoffence(notice, today),
            )
        )
    HelpFile.objects.bulk_create(files)


def _reoffence(notice: ReleaseNotice, today: dt.date) -> dict[str, object]:
    """About one released person in twenty-five re-offends within the demo's years (invented)."""
    rng = random.Random(f"reoffend:{notice.notice_no}")
    on = notice.release_on + dt.timedelta(days=60 + rng.randrange(300))
    if rng.random() >= 0.04 or on > today:
        return {}
    return {"reoffended_on": on, "reoffence": "涉嫌盗窃罪，被公安机关刑事拘留"}
