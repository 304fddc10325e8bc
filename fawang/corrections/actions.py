"""The only writers of correction files. Each checks the actor's authority (access.py), locks the row it changes
(fawang.matters.workflow.lock), checks the move, changes it and writes an audit row (fawang.audit) in the same
transaction. Times come from ``workflow.now`` so tests can pass one in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.calendar import workdays
from fawang.lib.validators import validate_id_number
from fawang.matters.uploads import check_upload
from fawang.matters.workflow import check_move, event_actor, lock, now
from fawang.orgs.models import Unit

from . import access, schedule
from .models import (
    Activity,
    Assessment,
    Category,
    Decision,
    DeviceLocation,
    EndCause,
    FileView,
    GroupMember,
    ItemKind,
    Leave,
    MonitoringApproval,
    Subject,
    SupervisionItem,
    Task,
    VisitPhoto,
)

REPORT_DAYS = 10  # 第二十条: 判决、裁定、决定生效之日起十日内报到
MONITORING_MAX_MONTHS = 3  # 第二十九条
LEAVE_MAX_DAYS = 30  # 社区矫正法实施办法 第五十四条: 每次外出不超过三十日
OFFICE_LEAVE_DAYS = 7  # 七日以内可由受委托的司法所批准
VISIT_PHOTOS_MAX = 6  # photos of one visit
RELOCATION_REPORT_DAYS = 7  # 实施办法 第三十条: 七日内到新执行地社区矫正机构报到
PHOTO_TYPES = ("image/jpeg", "image/png")


def _record(
    code: str,
    actor: Any,
    subject: Subject,
    target: Any,
    diff: Any = ({}, {}),
    note: str = "",
    at: dt.datetime | None = None,
) -> None:
    audit.record(
        code,
        actor=actor,
        target=target,
        diff=diff,
        unit=subject.office_id,
        target_name=f"{subject.file_no}",
        note=note,
        now=at,
    )


def _lock_subject(pk: int) -> Subject:
    return lock(
        Subject.objects.select_related("office", "bureau"), pk, _("该社区矫正档案不存在。"), "no_subject"
    )


def _months_after(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


# ------------------------------------------------------------------------------------------------ takeover


@dataclass
class TakeoverData:
    name: str
    gender: str
    id_number: str
    address: str
    correction_type: str
    document_kind: str
    document_no: str
    decided_by: str
    crime: str
    effective_on: dt.date
    term_start: dt.date
    term_end: dt.date
    phone: str = ""
    prohibition: str = ""


def _next_file_no(office: Unit, year: int) -> str:
    prefix = f"SQJZ{office.region_id[:6]}{year}"
    count = Subject.objects.filter(file_no__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


@transaction.atomic
def do_take_over(data: TakeoverData, *, office_id: int, actor: Any, at: dt.datetime | None = None) -> Subject:
    """接收: a file from the court's, prison's or public security's document, at the 司法所 that will supervise."""
    moment = now(at)
    office = (
        Unit.objects.filter(pk=office_id, kind=Unit.Kind.JUDICIAL_OFFICE).select_related("parent").first()
    )
    if office is None or not access.offices_for_takeover(actor).filter(pk=office.pk).exists():
        raise PermissionDenied(access.DENIED)
    bureau = office.parent
    if bureau is None or bureau.kind != Unit.Kind.BUREAU:
        raise ValidationError(_("该司法所没有上级司法局，无法确定社区矫正机构。"), code="no_bureau")
    errors: dict[str, list[str]] = {}
    id_number = (data.id_number or "").strip().upper()
    try:
        validate_id_number(id_number)
    except ValidationError as e:
        errors["id_number"] = e.messages
    if data.term_end <= data.term_start:
        errors["term_end"] = [_("矫正期止应晚于矫正期起。")]
    if data.term_start < data.effective_on:
        errors["term_start"] = [_("矫正期不能早于文书生效日期。")]
    if errors:
        raise ValidationError(errors)
    from fawang.lib import crypto

    open_file = Subject.objects.active().filter(id_number_hash=crypto.lookup_hash(id_number)).first()
    if open_file is not None:
        raise ValidationError(
            {
                "id_number": [
                    _("该人员已有在矫档案（档案编号 %(no)s），不能重复接收。") % {"no": open_file.file_no}
                ]
            }
        )
    born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    eighteen = _months_after(born, 18 * 12)
    subject = Subject.objects.create(
        file_no=_next_file_no(office, data.effective_on.year),
        name=data.name.strip(),
        gender=data.gender,
        id_number=id_number,
        birth_date=born,
        is_minor=data.effective_on < eighteen,
        phone=data.phone.strip(),
        address=data.address.strip(),
        office=office,
        bureau=bureau,
        correction_type=data.correction_type,
        document_kind=data.document_kind,
        document_no=data.document_no.strip(),
        decided_by=data.decided_by.strip(),
        crime=data.crime.strip(),
        effective_on=data.effective_on,
        term_start=data.term_start,
        term_end=data.term_end,
        prohibition=data.prohibition.strip(),
        report_due=data.effective_on + dt.timedelta(days=REPORT_DAYS),
        category=Category.STRICT,  # 入矫初期从严管理，考核后调整
        created_at=moment,
    )
    _record(
        "corrections.take_over",
        actor,
        subject,
        subject,
        audit.created(
            audit.snapshot(subject, ["correction_type", "document_no", "term_start", "term_end", "office"])
        ),
        at=moment,
    )
    return subject


@transaction.atomic
def do_report(subject_id: int, *, where: str, actor: Any, at: dt.datetime | None = None) -> Subject:
    """报到 at the 社区矫正机构 (``where`` "bureau") or the 司法所 ("office"); supervised once both are done."""
    moment = now(at)
    subject = _lock_subject(subject_id)
    access.require_supervise(actor, subject)
    if subject.status != Subject.Status.AWAITING_REPORT:
        raise ValidationError(_("该社区矫正对象已报到。"), code="reported")
    field = {"bureau": "reported_bureau_at", "office": "reported_office_at"}.get(where)
    if field is None:
        raise ValidationError(_("请选择报到机关。"), code="where")
    if getattr(subject, field) is not None:
        raise ValidationError(_("已登记过该机关的报到。"), code="reported")
    before = audit.snapshot(subject, [field, "status"])
    setattr(subject, field, moment)
    if subject.reported_bureau_at and subject.reported_office_at:
        subject.status = Subject.Status.SUPERVISED
    subject.save(update_fields=[field, "status"])
    Task.objects.filter(subject=subject, kind=Task.Kind.REPORT_OVERDUE, status__in=Task.OPEN_STATUSES).update(
        status=Task.Status.CLOSED, closed_at=moment, result=_("已报到。")
    )
    _record(
        "corrections.report",
        actor,
        subject,
        subject,
        audit.changes(before, audit.snapshot(subject, [field, "status"])),
        at=moment,
    )
    if subject.status == Subject.Status.SUPERVISED:
        generate_items(subject, moment)
    return subject


@transaction.atomic
def do_set_plan(subject_id: int, *, plan: str, actor: Any) -> Subject:
    """矫正方案 (第二十四条)."""
    subject = _lock_subject(subject_id)
    access.require_supervise(actor, subject)
    if not plan.strip():
        raise ValidationError({"plan": [_("请填写矫正方案。")]})
    before = audit.snapshot(subject, ["plan"])
    subject.plan = plan.strip()
    subject.save(update_fields=["plan"])
    _record(
        "corrections.set_plan",
        actor,
        subject,
        subject,
        audit.changes(before, audit.snapshot(subject, ["plan"])),
    )
    return subject


@transaction.atomic
def do_add_group_member(subject_id: int, *, name: str, role: str, phone: str, actor: Any) -> GroupMember:
    """矫正小组 (第二十五条)."""
    subject = _lock_subject(subject_id)
    access.require_supervise(actor, subject)
    if role not in GroupMember.Role.values or not name.strip():
        raise ValidationError(_("请填写小组成员的姓名和身份。"), code="member")
    member = GroupMember.objects.create(subject=subject, name=name.strip(), role=role, phone=phone.strip())
    _record(
        "corrections.add_group_member",
        actor,
        subject,
        member,
        audit.created({"name": member.name, "role": role}),
    )
    return member


@transaction.atomic
def do_link_account(subject_id: int, *, user: Any, actor: Any) -> Subject:
    """Link the person's public account (after checking their identity in person), for the H5 check-in."""
    from fawang.orgs.roles import is_staff_user

    subject = _lock_subject(subject_id)
    access.require_supervise(actor, subject)
    if user is None or is_staff_user(user):
        raise ValidationError({"phone": [_("没有找到该手机号注册的公众账号。")]})
    before = audit.snapshot(subject, ["user"])
    subject.user = user
    subject.save(update_fields=["user"])
    _record(
        "corrections.link_account",
        actor,
        subject,
        subject,
        audit.changes(before, audit.snapshot(subject, ["user"])),
    )
    return subject


def log_view(subject: Subject, *, user: Any, what: str, ip: str | None = None) -> FileView:
    """Every opening of a file is written down (who, what, when, from where)."""
    return FileView.objects.create(
        subject=subject, user=event_actor(user), username=getattr(user, "username", ""), what=what, ip=ip
    )


# ------------------------------------------------------------------------------------------------ schedule


def generate_items(subject: Subject, at: dt.datetime | None = None) -> int:
    """The items of the current periods for a supervised person (idempotent: one per kind and period)."""
    moment = now(at)
    if subject.status not in (Subject.Status.SUPERVISED, Subject.Status.LOST):
        return 0
    day = timezone.localdate(moment)
    made = 0
    for kind, period, due in schedule.plan_for(subject.category, day, subject.term_start, subject.term_end):
        _item, created = SupervisionItem.objects.get_or_create(
            subject=subject, kind=kind, period_start=period.start, defaults={"due_at": due}
        )
        made += created
    return made


def generate_all(at: dt.datetime | None = None) -> int:
    """``generate_items`` for every supervised person at once: the missing items of the current periods in one
    insert (the scheduler runs this every minute; a second worker's rows are skipped by the unique constraint)."""
    moment = now(at)
    day = timezone.localdate(moment)
    subjects = Subject.objects.filter(
        status__in=(Subject.Status.SUPERVISED, Subject.Status.LOST), term_start__lte=day, term_end__gte=day
    )
    rows = subjects.values_list("pk", "category", "term_start", "term_end")
    wanted = {
        (pk, kind, period.start): due
        for pk, category, start, end in rows
        for kind, period, due in schedule.plan_for(category, day, start, end)
    }
    if not wanted:
        return 0
    existing = set(
        SupervisionItem.objects.filter(
            subject__in=subjects, period_start__gte=min(key[2] for key in wanted)
        ).values_list("subject_id", "kind", "period_start")
    )
    missing = [
        SupervisionItem(subject_id=pk, kind=kind, period_start=start, due_at=due)
        for (pk, kind, start), due in wanted.items()
        if (pk, kind, start) not in existing
    ]
    SupervisionItem.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@transaction.atomic
def do_check_in(
    subject_id: int,
    *,
    actor: Any,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    consent: bool = False,
    at: dt.datetime | None = None,
) -> SupervisionItem:
    """日定位: the person's own report from the H5 page (their account, location with consent), or a report in
    person at the 司法所 (recorded by its corrections staff)."""
    moment = now(at)
    subject = _lock_subject(subject_id)
    own = actor is not None and subject.user_id is not None and subject.user_id == getattr(actor, "pk", None)
    if own:
        if not consent:
            raise ValidationError({"consent": [_("请确认同意提供本次位置信息。")]})
        if latitude is None or longitude is None:
            raise ValidationError(
                {"latitude": [_("未取得位置信息，请允许浏览器获取位置后重试，或到司法所当面报告。")]}
            )
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationError({"latitude": [_("位置信息无效。")]})
        method = SupervisionItem.Method.H5
    else:
        access.require_supervise(actor, subject)
        method = SupervisionItem.Method.OFFICE
        latitude = longitude = None
    if subject.status not in (Subject.Status.SUPERVISED, Subject.Status.LOST):
        raise ValidationError(_("当前不在矫正期内，无需报告。"), code="not_supervised")
    generate_items(subject, moment)
    day = timezone.localdate(moment)
    item = (
        SupervisionItem.objects.select_for_update()
        .filter(subject=subject, kind=ItemKind.LOCATION, period_start__lte=day)
        .order_by("-period_start")
        .first()
    )
    if item is None:
        raise ValidationError(_("今天没有需要报告的定位事项。"), code="no_item")
    if item.status == SupervisionItem.Status.DONE:
        raise ValidationError(_("本期定位已报告，无需重复提交。"), code="done")
    late = item.status == SupervisionItem.Status.MISSED
    item.status = SupervisionItem.Status.DONE
    item.done_at = moment
    item.done_by = event_actor(actor)
    item.method = method
    item.latitude, item.longitude = latitude, longitude
    item.location_consent = own and consent
    if late:
        item.note = _("逾期后补报。")
    item.save()
    _record("corrections.check_in", actor, subject, item, ({}, {"method": method, "late": late}), at=moment)
    return item


def _check_photos(photos: Sequence[IO[bytes]]) -> list[tuple[IO[bytes], Any]]:
    """Each photo checked by its content (JPG or PNG only, within the upload size): a bad one refuses all."""
    if len(photos) > VISIT_PHOTOS_MAX:
        raise ValidationError({"photos": [_("每次走访最多上传 %(n)s 张照片。") % {"n": VISIT_PHOTOS_MAX}]})
    checked = []
    for photo in photos:
        try:
            result = check_upload(photo)
        except ValidationError as e:
            raise ValidationError({"photos": e.messages}) from e
        if result.content_type not in PHOTO_TYPES:
            raise ValidationError({"photos": [_("走访照片只能是 JPG 或 PNG 图片。")]})
        checked.append((photo, result))
    return checked


def _save_photos(
    item: SupervisionItem, checked: list[tuple[IO[bytes], Any]], actor: Any, moment: dt.datetime
) -> list[VisitPhoto]:
    saved = []
    for stream, result in checked:
        photo = VisitPhoto(
            item=item,
            content_type=result.content_type,
            size=result.size,
            sha256=result.sha256,
            uploaded_by=event_actor(actor),
            created_at=moment,
        )
        photo.extension = result.extension
        stream.seek(0)
        # The default storage encrypts at rest (fawang.lib.encrypted_storage).
        photo.file.save(f"visit{result.extension}", ContentFile(stream.read()), save=False)
        photo.save()
        saved.append(photo)
    return saved


@transaction.atomic
def do_record_item(
    item_id: int,
    *,
    method: str,
    note: str,
    actor: Any,
    photos: Sequence[IO[bytes]] = (),
    at: dt.datetime | None = None,
) -> SupervisionItem:
    """周听声 (a call or video call) or 月走访 (a visit at home or at work, with its photos), recorded by
    corrections staff."""
    moment = now(at)
    item = lock(
        SupervisionItem.objects.select_related("subject__office"), item_id, _("该监管事项不存在。"), "no_item"
    )
    subject = item.subject
    access.require_supervise(actor, subject)
    allowed = {
        ItemKind.VOICE: {SupervisionItem.Method.PHONE, SupervisionItem.Method.VIDEO},
        ItemKind.VISIT: {SupervisionItem.Method.HOME, SupervisionItem.Method.WORKPLACE},
        ItemKind.LOCATION: {SupervisionItem.Method.OFFICE},
    }[ItemKind(item.kind)]
    if method not in allowed:
        raise ValidationError({"method": [_("该事项不能以此方式完成。")]})
    if not note.strip():
        raise ValidationError({"note": [_("请填写本次联系或走访的情况。")]})
    if item.status == SupervisionItem.Status.DONE:
        raise ValidationError(_("该事项已完成。"), code="done")
    if photos and item.kind != ItemKind.VISIT:
        raise ValidationError({"photos": [_("只有月走访可以上传照片。")]})
    checked = _check_photos(photos)
    item.status = SupervisionItem.Status.DONE
    item.done_at, item.done_by, item.method, item.note = moment, event_actor(actor), method, note.strip()
    item.save()
    saved = _save_photos(item, checked, actor, moment)
    _record(
        "corrections.record_item",
        actor,
        subject,
        item,
        ({}, {"kind": item.kind, "method": method, "photos": [p.sha256 for p in saved]}),
        at=moment,
    )
    return item


@transaction.atomic
def do_add_visit_photos(
    item_id: int, *, photos: Sequence[IO[bytes]], actor: Any, at: dt.datetime | None = None
) -> list[VisitPhoto]:
    """Photos of a visit added after it was recorded (the camera's pictures brought back to the 司法所)."""
    moment = now(at)
    item = lock(
        SupervisionItem.objects.select_related("subject__office"), item_id, _("该监管事项不存在。"), "no_item"
    )
    access.require_supervise(actor, item.subject)
    if item.kind != ItemKind.VISIT:
        raise ValidationError({"photos": [_("只有月走访可以上传照片。")]})
    if not photos:
        raise ValidationError({"photos": [_("请选择照片。")]})
    if item.photos.count() + len(photos) > VISIT_PHOTOS_MAX:
        raise ValidationError({"photos": [_("每次走访最多上传 %(n)s 张照片。") % {"n": VISIT_PHOTOS_MAX}]})
    saved = _save_photos(item, _check_photos(photos), actor, moment)
    _record(
        "corrections.visit_photo",
        actor,
        item.subject,
        item,
        audit.created({"photos": [p.sha256 for p in saved]}),
        at=moment,
    )
    return saved


@transaction.atomic
def do_record_call(
    subject_id: int,
    *,
    call_id: str,
    started_at: dt.datetime,
    seconds: int,
    note: str,
    actor: Any,
    at: dt.datetime | None = None,
) -> tuple[SupervisionItem, bool]:
    """周听声 through the telephone system (CTI): the call the officer made or took, named by the telephone
    system's call id, completes the voice item of the week the call was in. The same call sent again answers the
    item it already completed (False); a call id used for another person is refused."""
    moment = now(at)
    subject = _lock_subject(subject_id)
    access.require_supervise(actor, subject)
    call_id = (call_id or "").strip()
    errors: dict[str, list[str]] = {}
    if not call_id:
        errors["call_id"] = [_("请填写电话系统的通话编号。")]
    if seconds <= 0:
        errors["seconds"] = [_("未接通的呼叫不能作为听声记录。")]
    if started_at > moment:
        errors["started_at"] = [_("通话开始时间不能晚于现在。")]
    if errors:
        raise ValidationError(errors)
    done = SupervisionItem.objects.filter(call_id=call_id).first()
    if done is not None:
        if done.subject_id != subject.pk:
            raise ValidationError({"call_id": [_("该通话编号已登记在另一社区矫正对象的听声记录中。")]})
        return done, False
    if subject.status not in (Subject.Status.SUPERVISED, Subject.Status.LOST):
        raise ValidationError(_("当前不在矫正期内，无需听声。"), code="not_supervised")
    generate_items(subject, started_at)
    day = timezone.localdate(started_at)
    item = (
        SupervisionItem.objects.select_for_update()
        .filter(subject=subject, kind=ItemKind.VOICE, period_start__lte=day)
        .order_by("-period_start")
        .first()
    )
    if item is None or item.status == SupervisionItem.Status.DONE:
        raise ValidationError(_("该通话所在周期没有待完成的周听声事项。"), code="no_item")
    ended = min(started_at + dt.timedelta(seconds=seconds), moment)
    item.status = SupervisionItem.Status.DONE
    item.done_at, item.done_by, item.method = ended, event_actor(actor), SupervisionItem.Method.PHONE
    item.call_id, item.call_started_at, item.call_seconds = call_id, started_at, seconds
    item.note = note.strip() or _("经电话系统通话 %(min)s 分 %(sec)s 秒。") % {
        "min": seconds // 60,
        "sec": seconds % 60,
    }
    item.save()
    _record(
        "corrections.record_call",
        actor,
        subject,
        item,
        ({}, {"call_id": call_id, "seconds": seconds}),
        at=moment,
    )
    return item, True


def _raise_task(
    subject: Subject,
    kind: str,
    title: str,
    moment: dt.datetime,
    *,
    item: SupervisionItem | None = None,
    leave: Leave | None = None,
    due: dt.datetime | None = None,
) -> Task | None:
    try:
        with transaction.atomic():
            task = Task.objects.create(
                subject=subject,
                kind=kind,
                item=item,
                leave=leave,
                title=title,
                created_at=moment,
                due_at=due or workdays.add_workdays(moment, 1),
            )
    except IntegrityError:  # raised already (a second worker, a second scan)
        return None
    _record("corrections.raise_task", None, subject, task, ({}, {"kind": kind}), note=title, at=moment)
    return task


@transaction.atomic
def scan(at: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: generate the current items, mark the overdue ones missed and raise a task the same day,
    raise tasks for late reporting and overdue returns, and escalate tasks not dealt with in time."""
    moment = now(at)
    today = timezone.localdate(moment)
    counts = {"generated": 0, "missed": 0, "tasks": 0, "escalated": 0}
    counts["generated"] = generate_all(moment)
    overdue = SupervisionItem.objects.filter(
        status=SupervisionItem.Status.PENDING, due_at__lt=moment
    ).select_related("subject")
    for item in overdue:
        claimed = SupervisionItem.objects.filter(pk=item.pk, status=SupervisionItem.Status.PENDING).update(
            status=SupervisionItem.Status.MISSED
        )
        if not claimed:
            continue
        counts["missed"] += 1
        title = _("%(file)s %(kind)s（%(day)s）未按时完成") % {
            "file": item.subject.file_no,
            "kind": item.get_kind_display(),
            "day": item.period_start.isoformat(),
        }
        counts["tasks"] += (
            _raise_task(item.subject, Task.Kind.MISSED_ITEM, title, moment, item=item) is not None
        )
    late = Subject.objects.filter(status=Subject.Status.AWAITING_REPORT, report_due__lt=today).exclude(
        tasks__kind=Task.Kind.REPORT_OVERDUE
    )
    for subject in late:
        title = _("%(file)s 逾期未报到（报到期限 %(due)s）") % {
            "file": subject.file_no,
            "due": subject.report_due,
        }
        counts["tasks"] += _raise_task(subject, Task.Kind.REPORT_OVERDUE, title, moment) is not None
    for leave in Leave.objects.filter(
        status=Leave.Status.APPROVED, kind=Leave.Kind.LEAVE, ends_on__lt=today
    ).select_related("subject"):
        title = _("%(file)s 外出逾期未归（应于 %(end)s 返回）") % {
            "file": leave.subject.file_no,
            "end": leave.ends_on,
        }
        counts["tasks"] += (
            _raise_task(leave.subject, Task.Kind.LEAVE_OVERDUE, title, moment, leave=leave) is not None
        )
    # 变更执行地: the person reports to the new place within seven days of the decision (实施办法 第三十条).
    for leave in Leave.objects.filter(
        status=Leave.Status.APPROVED,
        kind=Leave.Kind.RELOCATE,
        decided_at__lt=moment - dt.timedelta(days=RELOCATION_REPORT_DAYS),
    ).select_related("subject", "to_office"):
        title = _("%(file)s 变更执行地后逾期未到%(office)s报到") % {
            "file": leave.subject.file_no,
            "office": leave.to_office.name if leave.to_office else "",
        }
        counts["tasks"] += (
            _raise_task(leave.subject, Task.Kind.RELOCATION_OVERDUE, title, moment, leave=leave) is not None
        )
    for task in Task.objects.filter(status=Task.Status.OPEN, due_at__lt=moment).select_related("subject"):
        if Task.objects.filter(pk=task.pk, status=Task.Status.OPEN).update(
            status=Task.Status.ESCALATED, escalated_at=moment
        ):
            counts["escalated"] += 1
            _record(
                "corrections.escalate_task",
                None,
                task.subject,
                task,
                ({"status": "open"}, {"status": "escalated"}),
                at=moment,
            )
    return counts


@transaction.atomic
def do_close_task(task_id: int, *, result: str, actor: Any, at: dt.datetime | None = None) -> Task:
    moment = now(at)
    task = lock(Task.objects.select_related("subject__office"), task_id, _("该待办不存在。"), "no_task")
    access.require_supervise(actor, task.subject)
    if task.status == Task.Status.CLOSED:
        raise ValidationError(_("该待办已处理。"), code="closed")
    if not result.strip():
        raise ValidationError({"result": [_("请填写处理结果。")]})
    if task.kind == Task.Kind.SEARCH and task.subject.status == Subject.Status.LOST:
        raise ValidationError(_("请先登记已找到该社区矫正对象。"), code="still_lost")
    before = audit.snapshot(task, ["status"])
    task.status, task.closed_at, task.result = Task.Status.CLOSED, moment, result.strip()
    task.save(update_fields=["status", "closed_at", "result"])
    _record(
        "corrections.close_task",
        actor,
        task.subject,
        task,
        audit.changes(before, audit.snapshot(task, ["status"])),
        note=task.result,
        at=moment,
    )
    return task


# ------------------------------------------------------------------------------------------------ monitoring


def _check_months(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": [_("截止日期不能早于起始日期。")]})
    if ends_on > _months_after(starts_on, MONITORING_MAX_MONTHS) - dt.timedelta(days=1):
        raise ValidationError({"ends_on": [_("每次使用电子定位装置的期限不得超过三个月（第二十九条）。")]})


@transaction.atomic
def do_approve_monitoring(
    subject_id: int, *, ground: str, facts: str, starts_on: dt.date, ends_on: dt.date, actor: Any
) -> MonitoringApproval:
    """批准使用电子定位装置: only on one of the grounds of 第二十九条, by the 司法局, for at most three months."""
    subject = _lock_subject(subject_id)
    access.require_approve(actor, subject.office)
    if ground not in MonitoringApproval.Ground.values:
        raise ValidationError({"ground": [_("只有第二十九条规定的情形才可以使用电子定位装置。")]})
    if not facts.strip():
        raise ValidationError({"facts": [_("请写明适用该情形的事实。")]})
    _check_months(starts_on, ends_on)
    if not subject.is_supervised:
        raise ValidationError(_("当前不在矫正期内。"), code="not_supervised")
    if subject.monitoring.filter(
        starts_on__lte=ends_on, ends_on__gte=starts_on, lifted_on__isnull=True
    ).exists():
        raise ValidationError(
            _("该期间已有使用电子定位装置的批准；期满需继续使用的，请办理延长。"), code="overlap"
        )
    approval = MonitoringApproval.objects.create(
        subject=subject,
        ground=ground,
        facts=facts.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        approved_by=actor,
    )
    _record(
        "corrections.approve_monitoring",
        actor,
        subject,
        approval,
        audit.created({"ground": ground, "starts_on": starts_on, "ends_on": ends_on}),
    )
    return approval


@transaction.atomic
def do_renew_monitoring(approval_id: int, *, facts: str, ends_on: dt.date, actor: Any) -> MonitoringApproval:
    """延长: after assessment, by a new approval starting the day after the last ends, again ≤ three months."""
    old = lock(
        MonitoringApproval.objects.select_related("subject__office"),
        approval_id,
        _("该审批不存在。"),
        "no_approval",
    )
    subject = old.subject
    access.require_approve(actor, subject.office)
    if old.lifted_on is not None or old.renewals.exists():
        raise ValidationError(_("该批准已解除或已延长。"), code="not_renewable")
    if not facts.strip():
        raise ValidationError({"facts": [_("请写明经评估仍有必要继续使用的理由。")]})
    starts_on = old.ends_on + dt.timedelta(days=1)
    _check_months(starts_on, ends_on)
    approval = MonitoringApproval.objects.create(
        subject=subject,
        ground=old.ground,
        facts=facts.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        renewal_of=old,
        approved_by=actor,
    )
    _record(
        "corrections.renew_monitoring",
        actor,
        subject,
        approval,
        audit.created({"starts_on": starts_on, "ends_on": ends_on}),
    )
    return approval


@transaction.atomic
def do_record_device_location(
    subject_id: int, *, recorded_at: dt.datetime, latitude: Decimal, longitude: Decimal, actor: Any
) -> DeviceLocation:
    """A position from the device: kept only when an approval covers that day, refused otherwise."""
    subject = _lock_subject(subject_id)
    access.require_supervise(actor, subject)
    day = timezone.localdate(recorded_at)
    approval = next((a for a in subject.monitoring.order_by("-starts_on") if a.covers(day)), None)
    if approval is None:
        raise ValidationError(
            _("%(day)s 没有有效的电子定位装置使用批准（第二十九条），不能记录定位数据。") % {"day": day},
            code="no_approval",
        )
    location = DeviceLocation.objects.create(
        approval=approval, recorded_at=recorded_at, latitude=latitude, longitude=longitude
    )
    _record("corrections.device_location", actor, subject, location, ({}, {"recorded_at": recorded_at}))
    return location


# ------------------------------------------------------------------------------------------------ leave


@transaction.atomic
def do_apply_leave(
    subject_id: int,
    *,
    kind: str,
    destination: str,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date,
    actor: Any,
    to_office_id: int | None = None,
    at: dt.datetime | None = None,
) -> Leave:
    """外出或变更执行地的申请 (第二十七条), recorded by corrections staff from the person's written application.
    A change of place names the 司法所 of the new residence (社区矫正法实施办法 第三十条): after the approval of
    this 社区矫正机构, that place's 社区矫正机构 receives the file."""
    moment = now(at)
    subject = _lock_subject(subject_id)
    access.require_supervise(actor, subject)
    if subject.status != Subject.Status.SUPERVISED:
        raise ValidationError(_("只有在矫人员可以申请外出。"), code="not_supervised")
    errors: dict[str, list[str]] = {}
    if kind not in Leave.Kind.values:
        errors["kind"] = [_("请选择申请类型。")]
    if not destination.strip():
        errors["destination"] = [_("请填写前往地点。")]
    if not reason.strip():
        errors["reason"] = [_("请填写事由。")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("返回日期不能早于外出日期。")]
    elif kind == Leave.Kind.LEAVE and (ends_on - starts_on).days + 1 > LEAVE_MAX_DAYS:
        errors["ends_on"] = [_("每次外出不得超过三十日。")]
    if starts_on < timezone.localdate(moment):
        errors["starts_on"] = [_("外出日期不能早于今天。")]
    to_office = None
    if kind == Leave.Kind.RELOCATE:
        to_office = Unit.objects.filter(
            pk=to_office_id or 0, kind=Unit.Kind.JUDICIAL_OFFICE, is_active=True
        ).first()
        if to_office is None:
            errors["to_office"] = [_("变更执行地的，请选择新居住地的司法所。")]
        elif to_office.pk == subject.office_id:
            errors["to_office"] = [_("新执行地司法所与现负责司法所相同，无需变更执行地。")]
        elif _bureau_above(to_office) is None:
            errors["to_office"] = [_("该司法所没有上级司法局，无法接收。")]
        elif Leave.objects.filter(
            subject=subject,
            kind=Leave.Kind.RELOCATE,
            status__in=(Leave.Status.APPLIED, Leave.Status.APPROVED),
        ).exists():
            errors["kind"] = [_("已有办理中的变更执行地申请。")]
    if errors:
        raise ValidationError(errors)
    leave = Leave.objects.create(
        subject=subject,
        kind=kind,
        destination=destination.strip(),
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        applied_at=moment,
        to_office=to_office,
        from_office=subject.office if to_office else None,
    )
    _record(
        "corrections.apply_leave",
        actor,
        subject,
        leave,
        audit.created(
            {
                "kind": kind,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "to_office": getattr(to_office, "name", ""),
            }
        ),
        at=moment,
    )
    return leave


def _bureau_above(unit: Unit) -> Unit | None:
    current: Unit | None = unit.parent
    while current is not None and current.kind != Unit.Kind.BUREAU:
        current = current.parent
    return current


@transaction.atomic
def do_receive_relocation(
    leave_id: int, *, accept: bool, note: str, actor: Any, at: dt.datetime | None = None
) -> Leave:
    """变更执行地 (社区矫正法实施办法 第三十条): the new place's 社区矫正机构 receives the approved change. The file —
    with its whole history (schedule, tasks, decisions, leave, views) — passes to the new 司法所 and its 司法局; from
    that moment the old place no longer reaches it (access.py decides by the responsible 司法所). Declining needs a
    reason and leaves the file where it is. Audited at both places."""
    moment = now(at)
    leave = lock(
        Leave.objects.select_related("subject", "to_office"), leave_id, _("该申请不存在。"), "no_leave"
    )
    if leave.kind != Leave.Kind.RELOCATE or leave.to_office is None:
        raise ValidationError(_("只有变更执行地的申请需要新执行地接收。"), code="not_relocation")
    access.require_approve(actor, leave.to_office)
    new = Leave.Status.TRANSFERRED if accept else Leave.Status.NOT_ACCEPTED
    check_move(
        Leave.MOVES,
        "receive",
        leave.status,
        new,
        verb=_("接收"),
        status_label=leave.get_status_display(),
        message=_("该申请当前状态为“%(status)s”，不能%(verb)s。"),
    )
    if not accept and not note.strip():
        raise ValidationError({"note": [_("不予接收的，请写明理由。")]})
    subject = _lock_subject(leave.subject_id)
    if not subject.is_supervised:
        raise ValidationError(_("矫正已解除或终止。"), code="ended")
    old_office, old_bureau = subject.office, subject.bureau
    leave.status, leave.received_by, leave.received_at, leave.receive_note = new, actor, moment, note.strip()
    leave.save(update_fields=["status", "received_by", "received_at", "receive_note"])
    diff: Any = ({"status": "approved"}, {"status": new})
    if accept:
        bureau = _bureau_above(leave.to_office)
        if bureau is None:
            raise ValidationError(_("新执行地司法所没有上级司法局，无法接收。"), code="no_bureau")
        before = audit.snapshot(subject, ["office", "bureau", "address"])
        subject.office, subject.bureau = leave.to_office, bureau
        subject.address = leave.destination
        subject.save(update_fields=["office", "bureau", "address"])
        diff = audit.changes(before, audit.snapshot(subject, ["office", "bureau", "address"]))
    # One row for each place: the old one sees the file left, the new one that it arrived.
    for unit in {old_office.pk: old_office, leave.to_office.pk: leave.to_office}.values():
        audit.record(
            "corrections.receive_relocation",
            actor=actor,
            target=leave,
            diff=diff,
            unit=unit,
            target_name=subject.file_no,
            note=note.strip() or (_("已接收") if accept else _("不予接收")),
            now=moment,
        )
    Task.objects.filter(leave=leave, status__in=Task.OPEN_STATUSES).update(
        status=Task.Status.CLOSED,
        closed_at=moment,
        result=_("新执行地已接收。") if accept else _("新执行地不予接收。"),
    )
    if accept:
        log_view(subject, user=actor, what=_("接收档案（原执行地 %(office)s）") % {"office": old_bureau.name})
    return leave


@transaction.atomic
def do_decide_leave(
    leave_id: int, *, approve: bool, note: str, actor: Any, at: dt.datetime | None = None
) -> Leave:
    """批准: up to seven days by the 司法所 (受委托), longer and any change of place by the 司法局."""
    moment = now(at)
    leave = lock(Leave.objects.select_related("subject__office"), leave_id, _("该申请不存在。"), "no_leave")
    subject = leave.subject
    new = Leave.Status.APPROVED if approve else Leave.Status.REFUSED
    check_move(
        Leave.MOVES,
        "decide",
        leave.status,
        new,
        verb=_("审批"),
        status_label=leave.get_status_display(),
        message=_("该申请当前状态为“%(status)s”，不能%(verb)s。"),
    )
    if leave.kind == Leave.Kind.RELOCATE or leave.days > OFFICE_LEAVE_DAYS:
        access.require_approve(actor, subject.office)
    else:
        access.require_supervise(actor, subject)
    if not approve and not note.strip():
        raise ValidationError({"note": [_("不予批准的，请写明理由。")]})
    leave.status, leave.decided_by, leave.decided_at, leave.decision_note = new, actor, moment, note.strip()
    leave.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _record(
        "corrections.decide_leave", actor, subject, leave, ({"status": "applied"}, {"status": new}), at=moment
    )
    return leave


@transaction.atomic
def do_return(leave_id: int, *, actor: Any, at: dt.datetime | None = None) -> Leave:
    """销假: the person is back; closes an overdue-return task."""
    moment = now(at)
    leave = lock(Leave.objects.select_related("subject__office"), leave_id, _("该申请不存在。"), "no_leave")
    subject = leave.subject
    access.require_supervise(actor, subject)
    check_move(
        Leave.MOVES,
        "return",
        leave.status,
        Leave.Status.RETURNED,
        verb=_("销假"),
        status_label=leave.get_status_display(),
        message=_("该申请当前状态为“%(status)s”，不能%(verb)s。"),
    )
    leave.status, leave.returned_at = Leave.Status.RETURNED, moment
    leave.save(update_fields=["status", "returned_at"])
    late = timezone.localdate(moment) > leave.ends_on
    Task.objects.filter(leave=leave, status__in=Task.OPEN_STATUSES).update(
        status=Task.Status.CLOSED, closed_at=moment, result=_("已返回销假。")
    )
    _record(
        "corrections.return",
        actor,
        subject,
        leave,
        ({"status": "approved"}, {"status": "returned", "late": late}),
        at=moment,
    )
    return leave


# ------------------------------------------------------------------------------------------------ decisions


DECISION_BASIS = {
    Decision.Kind.PRAISE: "《中华人民共和国社区矫正法》第二十八条第一款",
    Decision.Kind.ADMONITION: "《中华人民共和国社区矫正法》第二十八条第一款",
    Decision.Kind.WARNING: "《中华人民共和国社区矫正法》第二十八条第一款",
    Decision.Kind.POLICE_PENALTY: "《中华人民共和国社区矫正法》第二十八条第二款",
    Decision.Kind.REVOKE: "《中华人民共和国社区矫正法》第四十六条至第四十九条",
}


def _next_number(kind: str, year: int) -> str:
    prefix = {
        Decision.Kind.PRAISE: "表",
        Decision.Kind.ADMONITION: "训",
        Decision.Kind.WARNING: "警",
        Decision.Kind.POLICE_PENALTY: "提治",
        Decision.Kind.REVOKE: "提撤",
    }[Decision.Kind(kind)]
    stem = f"矫{prefix}〔{year}〕"
    count = Decision.objects.filter(number__startswith=stem).count()
    return f"{stem}{count + 1}号"


@transaction.atomic
def do_decide(
    subject_id: int, *, kind: str, facts: str, actor: Any, at: dt.datetime | None = None
) -> Decision:
    """考核奖惩 (第二十八条): 表扬 and 训诫 by the 司法所's corrections staff, 警告 and the 提请 by the 司法局."""
    moment = now(at)
    subject = _lock_subject(subject_id)
    if kind not in Decision.Kind.values:
        raise ValidationError({"kind": [_("请选择奖惩类型。")]})
    if kind in Decision.BUREAU_KINDS:
        access.require_approve(actor, subject.office)
        unit = subject.bureau
    else:
        access.require_supervise(actor, subject)
        unit = subject.office
    if not facts.strip():
        raise ValidationError({"facts": [_("请写明事实。")]})
    if subject.status in Subject.ENDED_STATUSES:
        raise ValidationError(_("矫正已解除或终止。"), code="ended")
    decision = Decision.objects.create(
        subject=subject,
        kind=kind,
        number=_next_number(kind, timezone.localdate(moment).year),
        facts=facts.strip(),
        basis=DECISION_BASIS[Decision.Kind(kind)],
        decided_by=actor,
        unit=unit,
        decided_at=moment,
    )
    _record(
        "corrections.decide",
        actor,
        subject,
        decision,
        audit.created({"kind": kind, "number": decision.number}),
        at=moment,
    )
    return decision


@transaction.atomic
def do_assess(
    subject_id: int, *, month: dt.date, result: str, category: str, note: str, actor: Any
) -> Assessment:
    """月度考核; the category after it decides the schedule from the next period on."""
    subject = _lock_subject(subject_id)
    access.require_supervise(actor, subject)
    if result not in Assessment.Result.values or category not in Category.values:
        raise ValidationError(_("请选择考核结果和管理类别。"), code="choice")
    month = month.replace(day=1)
    if Assessment.objects.filter(subject=subject, month=month).exists():
        raise ValidationError({"month": [_("该月已考核。")]})
    assessment = Assessment.objects.create(
        subject=subject,
        month=month,
        result=result,
        category_after=category,
        note=note.strip(),
        assessed_by=actor,
    )
    before = audit.snapshot(subject, ["category"])
    subject.category = category
    subject.save(update_fields=["category"])
    _record(
        "corrections.assess",
        actor,
        subject,
        assessment,
        audit.changes(before, audit.snapshot(subject, ["category"])),
    )
    return assessment


@transaction.atomic
def do_mark_lost(subject_id: int, *, facts: str, actor: Any, at: dt.datetime | None = None) -> Task:
    """失去联系 (第三十条): the search starts at once (a task due within the working day)."""
    moment = now(at)
    subject = _lock_subject(subject_id)
    access.require_supervise(actor, subject)
    if subject.status != Subject.Status.SUPERVISED:
        raise ValidationError(_("只有在矫人员可以登记失去联系。"), code="not_supervised")
    if not facts.strip():
        raise ValidationError({"facts": [_("请写明失去联系的经过。")]})
    subject.status = Subject.Status.LOST
    subject.save(update_fields=["status"])
    _record(
        "corrections.mark_lost",
        actor,
        subject,
        subject,
        ({"status": "supervised"}, {"status": "lost"}),
        note=facts.strip(),
        at=moment,
    )
    task = _raise_task(
        subject,
        Task.Kind.SEARCH,
        _("%(file)s 失去联系，立即组织查找（第三十条）") % {"file": subject.file_no},
        moment,
        due=workdays.add_workhours(moment, 4),
    )
    assert task is not None
    return task


@transaction.atomic
def do_found(subject_id: int, *, note: str, actor: Any, at: dt.datetime | None = None) -> Subject:
    moment = now(at)
    subject = _lock_subject(subject_id)
    access.require_supervise(actor, subject)
    if subject.status != Subject.Status.LOST:
        raise ValidationError(_("该社区矫正对象未处于失去联系状态。"), code="not_lost")
    subject.status = Subject.Status.SUPERVISED
    subject.save(update_fields=["status"])
    Task.objects.filter(subject=subject, kind=Task.Kind.SEARCH, status__in=Task.OPEN_STATUSES).update(
        status=Task.Status.CLOSED, closed_at=moment, result=note.strip() or _("已找到。")
    )
    _record(
        "corrections.found",
        actor,
        subject,
        subject,
        ({"status": "lost"}, {"status": "supervised"}),
        note=note,
        at=moment,
    )
    return subject


@transaction.atomic
def do_record_activity(
    subject_id: int, *, kind: str, on: dt.date, hours: Decimal, content: str, actor: Any
) -> Activity:
    """教育学习 or 公益活动, with its hours, by the 司法所's corrections staff."""
    subject = _lock_subject(subject_id)
    access.require_supervise(actor, subject)
    errors: dict[str, list[str]] = {}
    if kind not in Activity.Kind.values:
        errors["kind"] = [_("请选择类型。")]
    if not Decimal("0.5") <= hours <= Decimal("12"):
        errors["hours"] = [_("时长应在 0.5 至 12 小时之间。")]
    if not content.strip():
        errors["content"] = [_("请填写内容。")]
    if not subject.term_start <= on <= max(subject.term_end, subject.term_start):
        errors["on"] = [_("日期应在矫正期内。")]
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.create(
        subject=subject, kind=kind, on=on, hours=hours, content=content.strip(), recorded_by=actor
    )
    _record(
        "corrections.activity",
        actor,
        subject,
        activity,
        audit.created({"kind": kind, "on": on, "hours": hours}),
    )
    return activity


@transaction.atomic
def do_record_reoffence(
    subject_id: int, *, on: dt.date, facts: str, actor: Any, at: dt.datetime | None = None
) -> Subject:
    """再犯罪: the person is suspected of a new crime during the correction (立案侦查 or judgment); the date counts
    in the 再犯罪率. The correction itself ends by its own decision (终止 or 收监执行, ``do_end``)."""
    moment = now(at)
    subject = _lock_subject(subject_id)
    access.require_supervise(actor, subject)
    errors: dict[str, list[str]] = {}
    if not facts.strip():
        errors["facts"] = [_("请写明涉嫌的罪名和立案或判决情况。")]
    if on > timezone.localdate(moment):
        errors["on"] = [_("日期不能晚于今天。")]
    elif not subject.term_start <= on <= (subject.ended_on or subject.term_end):
        errors["on"] = [_("再犯罪日期应在矫正期内。")]
    if subject.reoffended_on is not None:
        errors["on"] = [_("已登记再犯罪（%(day)s）。") % {"day": subject.reoffended_on}]
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(subject, ["reoffended_on", "reoffence"])
    subject.reoffended_on, subject.reoffence = on, facts.strip()
    subject.save(update_fields=["reoffended_on", "reoffence"])
    _record(
        "corrections.reoffence",
        actor,
        subject,
        subject,
        audit.changes(before, audit.snapshot(subject, ["reoffended_on", "reoffence"])),
        at=moment,
    )
    return subject


# ------------------------------------------------------------------------------------------------ ending

# What happens elsewhere when a correction ends (resettlement's hand-over registers here from its ready()).
EndHook = Callable[[Subject, Any, dt.datetime], None]
_END_HOOKS: list[EndHook] = []


def on_end(hook: EndHook) -> None:
    if hook not in _END_HOOKS:
        _END_HOOKS.append(hook)


@transaction.atomic
def do_end(
    subject_id: int,
    *,
    reason: str,
    on: dt.date,
    actor: Any,
    kind: str = "",
    cause: str = "",
    at: dt.datetime | None = None,
) -> Subject:
    """解除 (期满, 第四十四条) or 终止 (第四十五条: among them 收监执行 after a revocation, a new sentence, death),
    decided by the 司法局; the cause is kept for the statistics. The hooks (the hand-over to 安置帮教) run in the
    same transaction."""
    moment = now(at)
    subject = _lock_subject(subject_id)
    access.require_approve(actor, subject.office)
    if cause and cause not in EndCause.values:
        raise ValidationError({"cause": [_("请选择解除或终止的情形。")]})
    if cause:
        kind = Subject.Status.RELEASED if cause == EndCause.EXPIRED else Subject.Status.TERMINATED
    elif kind == Subject.Status.RELEASED:
        cause = EndCause.EXPIRED
    elif kind == Subject.Status.TERMINATED:
        cause = EndCause.OTHER
    if kind not in (Subject.Status.RELEASED, Subject.Status.TERMINATED):
        raise ValidationError({"cause": [_("请选择解除或终止的情形。")]})
    if not subject.is_supervised:
        raise ValidationError(_("矫正已解除或终止。"), code="ended")
    if kind == Subject.Status.RELEASED and on < subject.term_end:
        raise ValidationError({"on": [_("矫正期满（%(end)s）后才能解除矫正。") % {"end": subject.term_end}]})
    if not reason.strip():
        raise ValidationError({"reason": [_("请写明原因。")]})
    before = audit.snapshot(subject, ["status", "end_cause"])
    subject.status, subject.ended_on, subject.end_reason = kind, on, reason.strip()
    subject.end_cause = cause
    subject.save(update_fields=["status", "ended_on", "end_reason", "end_cause"])
    SupervisionItem.objects.filter(subject=subject, status=SupervisionItem.Status.PENDING).delete()
    _record(
        "corrections.end",
        actor,
        subject,
        subject,
        audit.changes(before, audit.snapshot(subject, ["status", "end_cause"])),
        note=reason,
        at=moment,
    )
    for hook in _END_HOOKS:
        hook(subject, actor, moment)
    return subject
