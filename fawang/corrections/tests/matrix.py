"""Community corrections in the role matrix (fawang/console/tests/test_role_matrix.py): every URL of the line, with
a file made at the unit of each position. A file is seen only by corrections staff whose unit reaches the 司法所
and by the supervisors of the 司法局 above it (access.py): other staff whose unit reaches it get 403, everyone else
404. Day-to-day work (the POSTs) is the corrections staff's; the 司法局's decisions (monitoring, ending) need a
membership at a 司法局. Minors' files are tested in test_files.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fawang.console.tests.test_role_matrix import CORRECTIONS, SUPERVISORS, Row
from fawang.orgs.models import Unit

Answers = tuple[int, int, int, int, int]

CAN = {
    "corrections.view": SUPERVISORS | CORRECTIONS,
    "corrections.supervise": CORRECTIONS,
}

SEEN_ELSEWHERE_403: Answers = (403, 404, 404, 404, 404)


def _answers(ok: int, *, officer: bool, supervisors: bool) -> dict[str, Answers]:
    city = (ok, ok, 404, ok, 404) if supervisors else (403, 403, 404, 403, 404)
    bureau = (ok, ok, 404, 404, 404) if supervisors else (403, 403, 404, 404, 404)
    return {
        "city_supervisor": city,
        "bureau_supervisor": bureau,
        "bureau_admin": (403, 403, 404, 404, 404),
        "corrections_officer": (ok, 404, 404, 404, 404) if officer else SEEN_ELSEWHERE_403,
        "sysadmin": (403, 403, 403, 403, 403),
        "*": SEEN_ELSEWHERE_403,
    }


ANSWERS = {
    # Seeing a file (corrections.view): corrections staff and the supervisors of the 司法局 above.
    "corrections.file": _answers(200, officer=True, supervisors=True),
    "corrections.file_post": _answers(200, officer=True, supervisors=True),
    # Day-to-day supervision (corrections.supervise): the corrections staff only.
    "corrections.work": _answers(302, officer=True, supervisors=False),
    # Decisions of the 社区矫正机构: at a 司法局 (its supervisors here; its corrections staff too, tested apart).
    "corrections.bureau": _answers(302, officer=False, supervisors=True),
    # The telephone system's call record through the API, with the officer's token.
    "corrections.work_api": _answers(201, officer=True, supervisors=False),
    # Adding photos without a file: the form's error (400) once the file and the role are passed.
    "corrections.work_400": _answers(400, officer=True, supervisors=False),
}

_CALL_START = (timezone.localtime() - dt.timedelta(minutes=30)).replace(second=0, microsecond=0)

WORK = "corrections.work"
ROWS = {
    "corrections:list": Row("page", "corrections.view"),
    "corrections:tasks": Row("page", "corrections.view"),
    "corrections:take_over": Row("page", "corrections.supervise"),
    "corrections:detail": Row("corr_subject", "corrections.file"),
    "corrections:reveal": Row("corr_subject", "corrections.file_post", "post", 200),
    "corrections:decision_pdf": Row("corr_decision", "corrections.file"),
    "corrections:ending_pdf": Row("corr_ended", "corrections.file"),
    "corrections:report": Row("corr_awaiting", WORK, "post", 302, (("report-where", "bureau"),)),
    "corrections:plan": Row("corr_subject", WORK, "post", 302, (("plan-plan", "每月集中教育。"),)),
    "corrections:group_add": Row(
        "corr_subject",
        WORK,
        "post",
        302,
        (("member-name", "林秀英"), ("member-role", "family"), ("member-phone", "")),
    ),
    "corrections:link_account": Row("corr_subject", WORK, "post", 302, (("link-phone", "13800000000"),)),
    "corrections:check_in": Row("corr_subject", WORK, "post", 302),
    "corrections:leave_apply": Row(
        "corr_subject",
        WORK,
        "post",
        302,
        (
            ("leave-kind", "leave"),
            ("leave-destination", "泉州市"),
            ("leave-reason", "探亲"),
            ("leave-starts_on", "2030-01-02"),
            ("leave-ends_on", "2030-01-04"),
        ),
    ),
    "corrections:decide": Row(
        "corr_subject",
        WORK,
        "post",
        302,
        (("decision-kind", "praise"), ("decision-facts", "积极参加公益活动。")),
    ),
    "corrections:assess": Row(
        "corr_subject",
        WORK,
        "post",
        302,
        (
            ("assessment-month", "2030-01-01"),
            ("assessment-result", "good"),
            ("assessment-category", "normal"),
        ),
    ),
    "corrections:activity": Row(
        "corr_subject",
        WORK,
        "post",
        302,
        (
            ("activity-kind", "service"),
            ("activity-on", (timezone.localdate()).isoformat()),
            ("activity-hours", "2"),
            ("activity-content", "社区环境清洁"),
        ),
    ),
    "corrections:lost": Row("corr_subject", WORK, "post", 302, (("lost-facts", "电话不通，家中无人。"),)),
    "corrections:found": Row("corr_lost", WORK, "post", 302, (("found-facts", "已找到。"),)),
    "corrections:item": Row(
        "corr_item", WORK, "post", 302, (("item-method", "phone"), ("item-note", "通话正常。"))
    ),
    "corrections:leave_decide": Row("corr_leave", WORK, "post", 302, (("decide-decision", "approve"),)),
    "corrections:leave_return": Row("corr_leave_approved", WORK, "post", 302),
    "corrections:task_close": Row("corr_task", WORK, "post", 302, (("task-result", "已联系本人。"),)),
    "corrections:monitoring": Row(
        "corr_subject",
        "corrections.bureau",
        "post",
        302,
        (
            ("monitoring-ground", "left_area"),
            ("monitoring-facts", "未经批准离开厦门市。"),
            ("monitoring-starts_on", "2030-01-01"),
            ("monitoring-ends_on", "2030-03-31"),
        ),
    ),
    "corrections:monitoring_renew": Row(
        "corr_approval",
        "corrections.bureau",
        "post",
        302,
        (("renew-facts", "经评估仍有必要。"), ("renew-ends_on", "2030-04-30")),
    ),
    "corrections:call": Row(
        "corr_subject",
        WORK,
        "post",
        302,
        (
            ("call-call_id", "MATRIX-CALL-1"),
            ("call-started_at", _CALL_START.strftime("%Y-%m-%d %H:%M")),
            ("call-seconds", "240"),
            ("call-note", "通话正常。"),
        ),
    ),
    "api:corrections_calls": Row(
        "corr_subject",
        "corrections.work_api",
        "post",
        201,
        (
            ("subject", "@obj"),
            ("call_id", "MATRIX-CALL-2"),
            ("started_at", _CALL_START.isoformat()),
            ("seconds", 180),
        ),
        in_url=False,
    ),
    # A device position under an approval covering today (made with the file).
    "api:corrections_device_locations": Row(
        "corr_monitored",
        "corrections.work_api",
        "post",
        201,
        (
            ("subject", "@obj"),
            ("recorded_at", _CALL_START.isoformat()),
            ("latitude", "24.448000"),
            ("longitude", "118.085000"),
        ),
        in_url=False,
    ),
    "corrections:reoffence": Row(
        "corr_subject",
        WORK,
        "post",
        302,
        (("reoffence-on", timezone.localdate().isoformat()), ("reoffence-facts", "涉嫌盗窃罪，已立案侦查。")),
    ),
    "corrections:item_photos": Row("corr_visit", "corrections.work_400", "post", 400),
    "corrections:photo": Row("corr_photo", "corrections.file"),
    # The new place's 社区矫正机构 receives an approved change of the place of execution addressed to its 司法所.
    "corrections:relocation_receive": Row(
        "corr_relocation", "corrections.bureau", "post", 302, (("receive-decision", "accept"),)
    ),
    "corrections:end": Row(
        "corr_subject",
        "corrections.bureau",
        "post",
        302,
        (("end-cause", "imprisoned"), ("end-on", "2030-01-01"), ("end-reason", "撤销缓刑，收监执行")),
    ),
}

OWN = {
    "corrections_me": "the person's own daily location report (fawang/corrections/tests/test_supervision.py)"
}


def _bureau_of(unit: Unit) -> Unit:
    current: Unit | None = unit
    while current is not None and current.kind != Unit.Kind.BUREAU:
        current = current.parent
    return current or unit


def make(case: Any, kind: str, unit: Unit) -> Any:  # noqa: C901 -- one short branch per kind of object: a flat dispatch
    from fawang.corrections.models import (
        Decision,
        ItemKind,
        Leave,
        MonitoringApproval,
        Subject,
        SupervisionItem,
        Task,
        VisitPhoto,
    )
    from fawang.matters.tests.base import id_number

    if not kind.startswith("corr_"):
        return None
    today = timezone.localdate()
    now = timezone.now()

    def subject(status: str = Subject.Status.SUPERVISED) -> Subject:
        case.seq += 1
        return Subject.objects.create(
            file_no=f"SQJZMATRIX{case.seq}",
            name="矩阵人",
            gender="male",
            id_number=id_number(seq=f"{case.seq % 1000:03d}"),
            birth_date=dt.date(1980, 5, 1),
            address="示例地址",
            office=unit,
            bureau=_bureau_of(unit),
            correction_type="probation",
            document_kind="judgment",
            document_no="（2025）矩阵1号",
            decided_by="人民法院",
            crime="盗窃罪",
            effective_on=today - dt.timedelta(days=30),
            term_start=today - dt.timedelta(days=30),
            term_end=today + dt.timedelta(days=3650),
            report_due=today - dt.timedelta(days=20),
            status=status,
        )

    if kind == "corr_subject":
        return subject()
    if kind == "corr_awaiting":
        return subject(Subject.Status.AWAITING_REPORT)
    if kind == "corr_lost":
        return subject(Subject.Status.LOST)
    if kind == "corr_ended":
        ended = subject(Subject.Status.TERMINATED)
        Subject.objects.filter(pk=ended.pk).update(ended_on=today, end_reason="收监执行")
        ended.refresh_from_db()
        return ended
    base = case.object_at("corr_subject", unit)
    if kind == "corr_item":
        return SupervisionItem.objects.create(
            subject=base,
            kind=ItemKind.VOICE,
            period_start=today - dt.timedelta(days=today.weekday()),
            due_at=now,
        )
    if kind in ("corr_leave", "corr_leave_approved"):
        return Leave.objects.create(
            subject=base,
            destination="泉州市",
            reason="探亲",
            starts_on=today,
            ends_on=today + dt.timedelta(days=2),
            status=Leave.Status.APPROVED if kind == "corr_leave_approved" else Leave.Status.APPLIED,
        )
    if kind == "corr_monitored":
        monitored = subject()
        MonitoringApproval.objects.create(
            subject=monitored,
            ground="left_area",
            facts="矩阵",
            starts_on=today - dt.timedelta(days=1),
            ends_on=today + dt.timedelta(days=30),
            approved_by=case.users["sysadmin"],
        )
        return monitored
    if kind == "corr_visit":
        return SupervisionItem.objects.create(
            subject=base,
            kind=ItemKind.VISIT,
            period_start=today.replace(day=1),
            due_at=now,
            status=SupervisionItem.Status.DONE,
            method=SupervisionItem.Method.HOME,
            done_at=now,
            note="走访家庭。",
        )
    if kind == "corr_photo":
        from django.core.files.base import ContentFile

        photo = VisitPhoto(
            item=case.object_at("corr_visit", unit), content_type="image/png", size=8, sha256="-"
        )
        photo.extension = ".png"
        photo.file.save("m.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
        photo.save()
        return photo
    if kind == "corr_relocation":
        # A file at a 仙游县 司法所, approved to move to the 司法所 at this position.
        case.seq += 1
        elsewhere = (
            Unit.objects.filter(kind=Unit.Kind.JUDICIAL_OFFICE, region__parent_id="350322")
            .exclude(pk=unit.pk)
            .order_by("region_id")
            .first()
        )
        assert elsewhere is not None
        moving = case.object_at("corr_subject", elsewhere)
        return Leave.objects.create(
            subject=moving,
            kind=Leave.Kind.RELOCATE,
            destination="新居住地址",
            reason="随子女迁居",
            starts_on=today,
            ends_on=today,
            status=Leave.Status.APPROVED,
            from_office=elsewhere,
            to_office=unit,
        )
    if kind == "corr_task":
        return Task.objects.create(subject=base, kind=Task.Kind.MISSED_ITEM, title="矩阵", due_at=now)
    if kind == "corr_approval":
        return MonitoringApproval.objects.create(
            subject=base,
            ground="left_area",
            facts="矩阵",
            starts_on=dt.date(2030, 1, 1),
            ends_on=dt.date(2030, 1, 31),
            approved_by=case.users["sysadmin"],
        )
    if kind == "corr_decision":
        case.seq += 1
        return Decision.objects.create(
            subject=base,
            kind="praise",
            number=f"矩阵{case.seq}",
            facts="矩阵",
            basis="第二十八条",
            decided_by=case.users["sysadmin"],
            unit=unit,
        )
    return None
