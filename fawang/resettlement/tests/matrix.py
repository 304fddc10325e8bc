"""安置帮教 in the role matrix: cases are seen as correction files are (fawang/corrections/tests/matrix.py), by the
corrections staff of the 司法所 and the supervisors of the 司法局 above it; release notices are sent only by the
staff of a 监狱/看守所 (the console form and the API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fawang.console.tests.test_role_matrix import CORRECTIONS, SUPERVISORS, Row
from fawang.corrections.tests.matrix import ANSWERS as CORRECTION_ANSWERS
from fawang.orgs.models import Unit
from fawang.testing.world import world

CAN = {
    "resettlement.view": SUPERVISORS | CORRECTIONS,
    "resettlement.prison": frozenset({"prison_clerk"}),
}

ANSWERS = {
    "resettlement.case": CORRECTION_ANSWERS["corrections.file"],
    "resettlement.work": CORRECTION_ANSWERS["corrections.work"],
}

NOTICE = (
    ("notice_no", "MATRIX-1"),
    ("name", "黄志强"),
    ("id_number", "350203199004175176"),
    ("residence", "350203001001"),
    ("crime", "盗窃罪"),
    ("sentence", "有期徒刑二年"),
    ("release_on", "2030-01-01"),
    ("is_key", True),
    ("key_reasons", "多次盗窃"),
)

ROWS = {
    "resettlement:notices": Row("page", "resettlement.view"),
    "resettlement:files": Row("page", "resettlement.view"),
    "resettlement:rates": Row("page", "resettlement.view"),
    "resettlement:notice_new": Row("page", "resettlement.prison"),
    "api:release_notices": Row("page", "resettlement.prison", "post", 201, NOTICE),
    "resettlement:notice": Row("rs_notice", "resettlement.case"),
    "resettlement:file": Row("rs_file", "resettlement.case"),
    "resettlement:connect": Row(
        "rs_notice",
        "resettlement.work",
        "post",
        302,
        (
            ("received_by", "司法所工作人员"),
            ("place", "看守所门口"),
            ("on", "2030-01-01 09:00"),
            ("note", ""),
        ),
    ),
    "resettlement:help": Row(
        "rs_file",
        "resettlement.work",
        "post",
        302,
        (("help-kind", "job"), ("help-note", "介绍就业。"), ("help-on", "2030-01-02")),
    ),
    "resettlement:plan": Row(
        "rs_file", "resettlement.work", "post", 302, (("plan-plan", "每月走访，协助就业。"),)
    ),
    "resettlement:reoffence": Row(
        "rs_file",
        "resettlement.work",
        "post",
        302,
        (("reoffence-on", timezone.localdate().isoformat()), ("reoffence-facts", "涉嫌盗窃罪。")),
    ),
    "resettlement:place": Row(
        "rs_file", "resettlement.work", "post", 302, (("place-placement", "job"), ("place-on", "2030-01-02"))
    ),
}


def make(case: Any, kind: str, unit: Unit) -> Any:
    from fawang.matters.tests.base import id_number
    from fawang.resettlement.models import HelpFile, ReleaseNotice

    if kind == "rs_notice":
        case.seq += 1
        return ReleaseNotice.objects.create(
            prison=world().unit("xiamen.prison"),
            notice_no=f"MATRIX-{case.seq}",
            name="黄志强",
            id_number=id_number(seq=f"{case.seq % 1000:03d}"),
            residence=unit.region,
            office=unit,
            crime="盗窃罪",
            sentence="有期徒刑二年",
            release_on=dt.date(2030, 1, 1),
            is_key=True,
            key_reasons="多次盗窃",
        )
    if kind == "rs_file":
        return HelpFile.objects.create(
            source="prison",
            office=unit,
            name="黄志强",
            id_number=id_number(),
            opened_on=timezone.localdate(),
            ends_on=timezone.localdate() + dt.timedelta(days=5 * 365),
        )
    return None
