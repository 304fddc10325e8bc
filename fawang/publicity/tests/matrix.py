"""Legal publicity's URLs in the role matrix (merged by fawang/console/tests/test_role_matrix.py).

Sites, activities and bookings belong to the unit that keeps them; the objects below are made with the unit of
each position as that unit. POSTs that need a file or a region-keyed body are posted empty: the role is checked
before the body (403 to a persona without ``publicity.manage`` where it sees the object), and an empty body is a
400 to one with it; the uploads and the village rule are tested in fawang/publicity/tests/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fawang.console.tests.test_role_matrix import ADMINS, HANDLERS, SUPERVISORS, SYSADMIN, Row

CAN = {"publicity.manage": HANDLERS | SUPERVISORS | ADMINS | SYSADMIN}

ROWS = {
    "publicity:sites": Row("page", "publicity.manage"),
    "publicity:site_new": Row("page", "publicity.manage"),
    "publicity:activities": Row("page", "publicity.manage"),
    "publicity:activity_new": Row("page", "publicity.manage"),
    "publicity:surveys": Row("page", "publicity.manage"),
    "publicity:survey_add": Row("page", "publicity.manage", "post", 400),
    "publicity:bookings": Row("page", "publicity.manage"),
    "publicity:site": Row("site", "seen"),
    "publicity:site_photo": Row("site", "publicity.manage", "post", 400),
    "publicity:display_add": Row(
        "site",
        "publicity.manage",
        "post",
        302,
        (
            ("title", "矩阵"),
            ("content", "宪法宣传周"),
            ("starts_on", "2030-12-01"),
            ("ends_on", "2030-12-07"),
        ),
    ),
    "publicity:activity": Row("activity", "seen"),
    "publicity:activity_photo": Row("activity", "publicity.manage", "post", 400),
    "publicity:activity_record": Row("activity", "publicity.manage", "post", 302, (("reached", 50),)),
    "publicity:booking_decide": Row(
        "booking", "publicity.manage", "post", 302, (("decision", "decline"), ("reply", "矩阵：当月已排满。"))
    ),
}

PUBLIC = {
    "publicity_public": "a town's publicity page, a photo of a site or activity, booking a talk (signed-in members "
    "of the public; fawang/publicity/tests/test_public.py)",
}


def make(case: Any, kind: str, unit: Any) -> Any:
    from fawang.lib import crypto
    from fawang.publicity.models import Activity, Site, TalkBooking
    from fawang.regions.models import Region

    town = Region.objects.filter(level=Region.Level.TOWN).order_by("code")[0]
    if kind == "site":
        return Site.objects.create(
            kind=Site.Kind.LED, name=f"矩阵屏{unit.pk}", town=town, address="矩阵路 1 号", unit=unit
        )
    if kind == "activity":
        return Activity.objects.create(
            title="矩阵活动",
            target=Activity.Target.VILLAGES,
            unit=unit,
            town=town,
            place="村委会",
            starts_at=timezone.now() - dt.timedelta(hours=2),
            audience="村民",
        )
    if kind == "booking":
        return TalkBooking.objects.create(
            user=case.citizen,
            town=town,
            unit=unit,
            org_kind=TalkBooking.OrgKind.SCHOOL,
            org_name="矩阵小学",
            contact_name="李四",
            phone_encrypted=crypto.encrypt("13800000000"),
            preferred_date=timezone.localdate() + dt.timedelta(days=10),
            topic="未成年人保护法",
            audience_size=100,
        )
    return None
