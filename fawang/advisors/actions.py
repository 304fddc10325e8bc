"""The only writers of the advisors' schedules, work logs, confirmations, subsidy rules, missed days and talent
profiles. Each leaves an audit row (fawang.audit) in its own transaction.

Who may do what:
- the advisor (the practitioner whose account is linked, ``Practitioner.user``) logs their own days of service,
  in a village they serve now, on a day of their appointment, at most ``LATE_DAYS`` after it;
- the village committee confirms a day with the one-time code sent to its contact (``CommitteeContact``) — the
  advisor cannot confirm their own work, and no staff member confirms for the committee;
- ``advisors.manage`` (supervisors and admins of the 司法局, over the village's room) sets schedules, contacts,
  talent profiles; subsidy rules are set for a region the bureau reaches;
- what the village board shows (photo, and whether the photo and the advisor's own phone are posted) is set by
  the advisor or by ``advisors.manage`` from a signed consent form; each consent keeps who and when.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.lib import otp
from fawang.lib.validators import normalize_mobile
from fawang.matters.models import Matter
from fawang.matters.uploads import check_upload
from fawang.notify import actions as notify
from fawang.orgs.models import AdvisorAssignment, Practitioner
from fawang.orgs.roles import has_capability, require_capability, require_capability_in_region
from fawang.regions.models import Region

from .models import (
    BoardProfile,
    CommitteeContact,
    ConfirmationCode,
    MissedDay,
    ServiceDay,
    ServiceKind,
    SubsidyRule,
    TalentProfile,
    WorkLog,
)

if TYPE_CHECKING:
    from fawang.accounts.models import User

# A day of service is logged within a week of it (the committee still remembers it).
LATE_DAYS = 7
CODE_MINUTES = 7 * 24 * 60  # the committee has a week to confirm
CODE_ATTEMPTS = 5
CODE_SALT = "fawang.advisors.confirm"
# A scheduled day counts as missed when nothing is logged by the end of the day after it.
GRACE_DAYS = 1
# How far back the daily check looks for missed days (a check that did not run for a few days catches up).
LOOKBACK_DAYS = 14
MANAGE = "advisors.manage"
LOG_AUDITED = (
    "date",
    "kind",
    "hours",
    "consultations",
    "disputes_mediated",
    "documents_reviewed",
    "talks",
    "audience",
    "status",
)


def _assignment(pk: int) -> AdvisorAssignment:
    return AdvisorAssignment.objects.select_related("practitioner", "region", "room").get(pk=pk)


def _require_manage(actor: User, assignment: AdvisorAssignment) -> None:
    if assignment.room is None:
        raise PermissionDenied(_("该村（社区）没有法律服务工作室，不能设置。"))
    require_capability(actor, MANAGE, assignment.room)


# --- schedule ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceDayData:
    kind: str
    start_time: dt.time
    end_time: dt.time
    weekday: int | None = None
    date: dt.date | None = None
    place: str = ""


@transaction.atomic
def add_service_day(assignment_id: int, data: ServiceDayData, *, actor: User) -> ServiceDay:
    assignment = _assignment(assignment_id)
    _require_manage(actor, assignment)
    if assignment.ended_on is not None:
        raise ValidationError(_("该聘任已结束，不能再安排服务。"), code="ended")
    errors: dict[str, str] = {}
    if data.end_time <= data.start_time:
        errors["end_time"] = _("结束时间应晚于开始时间。")
    if data.kind == ServiceKind.FIXED:
        if data.weekday is None:
            errors["weekday"] = _("定点驻村请选择每周的哪一天。")
        weekday, date = data.weekday, None
    elif data.kind == ServiceKind.ROVING:
        if data.date is None:
            errors["date"] = _("流动服务请填写日期。")
        elif data.date < timezone.localdate():
            errors["date"] = _("流动服务的日期不能早于今天。")
        weekday, date = None, data.date
    else:
        errors["kind"] = _("请选择服务方式。")
        weekday, date = None, None
    if errors:
        raise ValidationError(errors)
    if ServiceDay.objects.filter(assignment=assignment, kind=data.kind, weekday=weekday, date=date).exists():
        raise ValidationError(_("该时间已在服务安排中。"), code="duplicate")
    day = ServiceDay.objects.create(
        assignment=assignment,
        room=assignment.room,
        kind=data.kind,
        weekday=weekday,
        date=date,
        start_time=data.start_time,
        end_time=data.end_time,
        place=data.place.strip(),
    )
    audit.record(
        "advisors.add_service_day",
        actor=actor,
        target=day,
        unit=assignment.room,
        region=assignment.region,
        target_name=f"{assignment.region.name}：{assignment.practitioner.name} {day}",
        diff=audit.created(
            {"kind": day.kind, "weekday": weekday, "date": str(date or ""), "place": day.place}
        ),
    )
    return day


@transaction.atomic
def remove_service_day(day_id: int, *, actor: User) -> None:
    day = ServiceDay.objects.select_related("assignment__region", "assignment__practitioner", "room").get(
        pk=day_id
    )
    _require_manage(actor, day.assignment)
    name = f"{day.assignment.region.name}：{day.assignment.practitioner.name} {day}"
    audit.record(
        "advisors.remove_service_day",
        actor=actor,
        target=day,
        unit=day.room,
        region=day.assignment.region,
        target_name=name,
        diff=audit.removed({"kind": day.kind, "weekday": day.weekday, "date": str(day.date or "")}),
    )
    day.delete()


def expected_days(
    assignment: AdvisorAssignment, days: list[ServiceDay], start: dt.date, end: dt.date
) -> dict[dt.date, str]:
    """The dates from ``start`` to ``end`` (inclusive) the schedule expects the advisor in the village, within the
    appointment, with the kind of service expected (a dated visit wins over the weekly day)."""
    start = max(start, assignment.started_on)
    if assignment.ended_on is not None:
        end = min(end, assignment.ended_on - dt.timedelta(days=1))
    out: dict[dt.date, str] = {}
    weekdays = {d.weekday for d in days if d.kind == ServiceKind.FIXED}
    day = start
    while day <= end:
        if day.weekday() in weekdays:
            out[day] = ServiceKind.FIXED
        day += dt.timedelta(days=1)
    for d in days:
        if d.kind == ServiceKind.ROVING and d.date is not None and start <= d.date <= end:
            out[d.date] = ServiceKind.ROVING
    return out


# --- the 公示牌: photo and consents -------------------------------------------------------------------------

PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
PHOTO_MAX_BYTES = 2 * 1024 * 1024  # embedded in every board PDF of the town: keep it small


def may_edit_board(actor: User, assignment: AdvisorAssignment) -> bool:
    """The advisor themselves (their consent is theirs to give), or ``advisors.manage`` over the village's room
    (recording a signed consent form)."""
    if assignment.practitioner.user_id is not None and assignment.practitioner.user_id == actor.pk:
        return True
    return assignment.room is not None and has_capability(actor, MANAGE, assignment.room)


def _store_board_photo(stream: IO[bytes]) -> tuple[str, str]:
    try:
        checked = check_upload(stream)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None
    if checked.content_type not in PHOTO_TYPES:
        raise ValidationError({"photo": _("照片只能是 JPG 或 PNG 图片。")})
    if checked.size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": _("照片不能超过 2 MB。")})
    from django.core.files.storage import default_storage

    name = default_storage.save(f"advisors/photos/{uuid.uuid4().hex}{checked.extension}", File(stream))
    return name, checked.content_type


@transaction.atomic
def set_board_profile(
    assignment_id: int,
    *,
    actor: User,
    photo_consent: bool,
    phone_consent: bool,
    photo: IO[bytes] | None = None,
    remove_photo: bool = False,
) -> BoardProfile:
    """Set what the village board shows of the appointment's advisor: a new photo (or none), and the two consents.
    A consent given now is stamped with ``actor`` and the time; one kept is left as it was; one withdrawn is
    cleared. One audit row with the changes."""
    assignment = _assignment(assignment_id)
    if not may_edit_board(actor, assignment):
        raise PermissionDenied(_("只有法律顾问本人或司法局管理人员可以设置公示信息。"))
    practitioner = assignment.practitioner
    profile = BoardProfile.objects.select_for_update().filter(
        practitioner=practitioner
    ).first() or BoardProfile(practitioner=practitioner)
    fields = ("photo_consent_at", "phone_consent_at")
    before = {"photo": bool(profile.photo), **audit.snapshot(profile, fields)}
    will_have_photo = photo is not None or (bool(profile.photo) and not remove_photo)
    if photo_consent and not will_have_photo:
        raise ValidationError({"photo": _("同意公示照片前，请先上传照片。")})
    if phone_consent and not practitioner.phone:
        raise ValidationError(
            {"phone_consent": _("该法律顾问没有登记联系电话，请先在法律服务人员名录中登记。")}
        )
    old_photo = str(profile.photo.name or "")
    if photo is not None:
        profile.photo.name, profile.photo_type = _store_board_photo(photo)
    elif remove_photo:
        profile.photo.name, profile.photo_type = "", ""
    if old_photo and old_photo != profile.photo.name:
        # A replaced or removed photo is someone's likeness: its file goes too, once the change is committed.
        from django.core.files.storage import default_storage

        transaction.on_commit(lambda: default_storage.delete(old_photo))
    now = timezone.now()
    if not photo_consent:
        profile.photo_consent_at, profile.photo_consent_by = None, None
    elif profile.photo_consent_at is None:
        profile.photo_consent_at, profile.photo_consent_by = now, actor
    if not phone_consent:
        profile.phone_consent_at, profile.phone_consent_by = None, None
    elif profile.phone_consent_at is None:
        profile.phone_consent_at, profile.phone_consent_by = now, actor
    profile.save()
    after = {"photo": bool(profile.photo), **audit.snapshot(profile, fields)}
    if photo is not None:
        after["photo_replaced"] = True
    audit.record(
        "advisors.set_board_profile",
        actor=actor,
        target=profile,
        unit=assignment.room,
        region=assignment.region,
        target_name=f"{assignment.region.name}：{practitioner.name}",
        diff=audit.changes(before, after),
    )
    return profile


# --- committee contact ------------------------------------------------------------------------------------


@transaction.atomic
def set_committee_contact(
    assignment_id: int, *, actor: User, name: str, title: str, phone: str
) -> CommitteeContact:
    assignment = _assignment(assignment_id)
    _require_manage(actor, assignment)
    contact = CommitteeContact.objects.filter(region=assignment.region).first()
    before = audit.snapshot(contact, ("name", "title", "phone")) if contact else {}
    if contact is None:
        contact = CommitteeContact(region=assignment.region)
    contact.name, contact.title = name.strip(), title.strip()
    contact.phone = normalize_mobile(phone)
    contact.full_clean()
    contact.save()
    audit.record(
        "advisors.set_committee_contact",
        actor=actor,
        target=contact,
        unit=assignment.room,
        region=assignment.region,
        target_name=f"{assignment.region.name}：{contact.name}",
        diff=audit.changes(before, audit.snapshot(contact, ("name", "title", "phone"))),
    )
    return contact


# --- the work log -----------------------------------------------------------------------------------------


@dataclass
class WorkLogData:
    date: dt.date
    kind: str
    hours: Decimal
    consultations: int = 0
    disputes_mediated: int = 0
    documents_reviewed: int = 0
    talks: int = 0
    audience: int = 0
    summary: str = ""
    tracking_nos: list[str] = field(default_factory=list)


def _linked_matters(actor: User, numbers: list[str]) -> list[Matter]:
    """The matters named by tracking number, each one the advisor sees; an unknown or unseen number is an error
    (the same message: a number one may not see does not exist)."""
    wanted = [n.strip().upper() for n in numbers if n.strip()]
    if not wanted:
        return []
    found = {m.tracking_no: m for m in Matter.objects.visible_to(actor).filter(tracking_no__in=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ValidationError(
            {"tracking_nos": _("找不到事项：%(nos)s。") % {"nos": "、".join(missing)}}, code="no_matter"
        )
    return list(found.values())


@transaction.atomic
def log_work(assignment_id: int, data: WorkLogData, *, actor: User, today: dt.date | None = None) -> WorkLog:
    """The advisor's day of service in a village, then the confirmation code to the committee's contact."""
    today = today or timezone.localdate()
    assignment = _assignment(assignment_id)
    if assignment.practitioner.user_id != actor.pk:
        raise PermissionDenied(_("只有该村（社区）的法律顾问本人可以填报工作日志。"))
    errors: dict[str, str] = {}
    if data.date > today:
        errors["date"] = _("服务日期不能晚于今天。")
    elif data.date < today - dt.timedelta(days=LATE_DAYS):
        errors["date"] = _("只能填报 %(n)s 天内的服务。") % {"n": LATE_DAYS}
    elif data.date < assignment.started_on or (assignment.ended_on and data.date >= assignment.ended_on):
        errors["date"] = _("服务日期不在聘任期内。")
    if data.kind not in ServiceKind.values:
        errors["kind"] = _("请选择服务方式。")
    if data.talks == 0 and data.audience:
        errors["audience"] = _("没有讲座时受众人次应为 0。")
    if errors:
        raise ValidationError(errors)
    matters = _linked_matters(actor, data.tracking_nos)
    log = WorkLog(
        assignment=assignment,
        room=assignment.room,
        region=assignment.region,
        date=data.date,
        kind=data.kind,
        hours=data.hours,
        consultations=data.consultations,
        disputes_mediated=data.disputes_mediated,
        documents_reviewed=data.documents_reviewed,
        talks=data.talks,
        audience=data.audience,
        summary=data.summary.strip(),
        created_by=actor,
    )
    log.full_clean(exclude=["assignment", "room", "region", "created_by", "ref"], validate_unique=False)
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        raise ValidationError(
            {"date": _("%(date)s 的工作日志已经填报过了。") % {"date": data.date.isoformat()}},
            code="duplicate",
        ) from None
    log.matters.set(matters)
    audit.record(
        "advisors.log_work",
        actor=actor,
        target=log,
        unit=assignment.room,
        region=assignment.region,
        target_name=f"{assignment.region.name} {log.date}：{assignment.practitioner.name}",
        diff=audit.created(audit.snapshot(log, LOG_AUDITED)),
    )
    send_confirmation_code(log)
    return log


def confirm_url(log: WorkLog) -> str:
    """The committee's confirmation page; ADVISORS_SITE_URL (e.g. https://fawang.example.gov.cn) makes it absolute
    for the SMS, the first of ALLOWED_HOSTS otherwise."""
    base = getattr(settings, "ADVISORS_SITE_URL", "") or f"https://{settings.ALLOWED_HOSTS[0]}"
    return f"{base.rstrip('/')}{reverse('advisors_public:confirm', args=[log.ref])}"


def send_confirmation_code(log: WorkLog) -> ConfirmationCode | None:
    """A new code for ``log`` to the committee's contact (the latest code is the one that counts); None when the
    village has no contact yet (the log waits; the supervisor's page says so)."""
    contact = CommitteeContact.objects.filter(region_id=log.region_id).first()
    if contact is None:
        return None
    code = otp.new_code()
    row = ConfirmationCode.objects.create(
        work_log=log,
        phone=contact.phone,
        code_hash=otp.code_hash(CODE_SALT, log.ref, code),
        expires_at=timezone.now() + dt.timedelta(minutes=CODE_MINUTES),
    )
    body = _(
        "【法网】%(advisor)s律师报告%(date)s在%(village)s服务%(hours)s小时。请村委会核实后确认：%(url)s 确认码 %(code)s，7天内有效。"
    ) % {
        "advisor": log.assignment.practitioner.name,
        "date": f"{log.date.month}月{log.date.day}日",
        "village": log.region.name,
        "hours": log.hours,
        "url": confirm_url(log),
        "code": code,
    }
    notify.enqueue(
        channel="sms",
        kind="otp.advisor_confirm",
        body=body,
        phone=contact.phone,
        related=log,
        region_code=log.region_id,
    )
    return row


@transaction.atomic
def resend_code(log_id: int, *, actor: User) -> ConfirmationCode:
    log = (
        WorkLog.objects.select_for_update(of=("self",))
        .select_related("assignment__practitioner", "region")
        .get(pk=log_id)
    )
    if log.assignment.practitioner.user_id != actor.pk:
        raise PermissionDenied(_("只有填报人可以重发确认码。"))
    if log.status != WorkLog.Status.SUBMITTED:
        raise ValidationError(_("该日志已由村委会处理，无需重发。"), code="done")
    last = log.codes.order_by("-created_at").first()
    if last is not None and last.created_at > timezone.now() - dt.timedelta(minutes=1):
        raise ValidationError(_("确认码刚刚发送过，请一分钟后再试。"), code="too_soon")
    row = send_confirmation_code(log)
    if row is None:
        raise ValidationError(
            _("该村（社区）尚未登记村委会确认联系人，请联系司法所登记。"), code="no_contact"
        )
    return row


def confirm_work(ref: str, *, code: str, agree: bool, rating: int | None = None, note: str = "") -> WorkLog:
    """The committee's answer, with the code sent to its contact: confirmed (确认) or disputed (有异议, with the
    reason). The code is checked first, outside any transaction of ours: a wrong try is counted and committed
    before the error is raised (fawang.lib.otp), so failing the request cannot reset the count."""
    code = otp.clean_code(code)
    log = WorkLog.objects.select_related("assignment__practitioner", "region", "room").get(ref=ref)
    if log.status != WorkLog.Status.SUBMITTED:
        raise ValidationError(_("该服务记录已经确认过了。"), code="done")
    if not agree and not note.strip():
        raise ValidationError({"note": _("有异议时请写明原因。")}, code="no_reason")
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError({"rating": _("评价请选择 1–5 分。")}, code="rating")
    row = otp.check_latest(
        ConfirmationCode.objects.filter(work_log=log),
        salt=CODE_SALT,
        key=log.ref,
        code=code,
        now=timezone.now(),
        attempts=CODE_ATTEMPTS,
    )
    with transaction.atomic():
        return _record_confirmation(log.pk, row, agree=agree, rating=rating, note=note)


def _record_confirmation(
    log_id: int, row: ConfirmationCode, *, agree: bool, rating: int | None, note: str
) -> WorkLog:
    log = (
        WorkLog.objects.select_for_update(of=("self",))
        .select_related("assignment__practitioner", "region", "room")
        .get(pk=log_id)
    )
    if log.status != WorkLog.Status.SUBMITTED:  # confirmed meanwhile by another try with the same code
        raise ValidationError(_("该服务记录已经确认过了。"), code="done")
    before = audit.snapshot(log, ("status",))
    contact = CommitteeContact.objects.filter(region_id=log.region_id).first()
    log.status = WorkLog.Status.CONFIRMED if agree else WorkLog.Status.DISPUTED
    log.confirmed_at = timezone.now()
    log.confirmed_by_name = contact.name if contact else row.phone[-4:]
    log.rating = rating
    log.committee_note = note.strip()[:200]
    log.save(update_fields=["status", "confirmed_at", "confirmed_by_name", "rating", "committee_note"])
    audit.record(
        "advisors.confirm_work",
        actor=None,
        target=log,
        unit=log.room,
        region=log.region,
        target_name=f"{log.region.name} {log.date}：{log.assignment.practitioner.name}",
        diff=audit.changes(before, audit.snapshot(log, ("status",))),
        note=_("村委会联系人%(name)s凭确认码确认。") % {"name": log.confirmed_by_name},
    )
    return log


# --- missed days ------------------------------------------------------------------------------------------


def check_missed(today: dt.date | None = None) -> list[MissedDay]:
    """Every current assignment's scheduled days up to the day before yesterday with no work log: a missed day
    row (once per day: the unique index decides between two runs) and an SMS to the advisor."""
    today = today or timezone.localdate()
    end = today - dt.timedelta(days=GRACE_DAYS + 1)
    start = today - dt.timedelta(days=LOOKBACK_DAYS)
    days_by_assignment: dict[int, list[ServiceDay]] = {}
    for day in ServiceDay.objects.filter(assignment__ended_on__isnull=True):
        days_by_assignment.setdefault(day.assignment_id, []).append(day)
    assignments = (
        AdvisorAssignment.objects.current()
        .filter(pk__in=days_by_assignment)
        .select_related("practitioner__user", "region", "room")
    )
    logged = set(
        WorkLog.objects.filter(assignment_id__in=days_by_assignment, date__gte=start).values_list(
            "assignment_id", "date"
        )
    )
    known = set(
        MissedDay.objects.filter(assignment_id__in=days_by_assignment, date__gte=start).values_list(
            "assignment_id", "date"
        )
    )
    made: list[MissedDay] = []
    for assignment in assignments:
        for date, kind in sorted(
            expected_days(assignment, days_by_assignment[assignment.pk], start, end).items()
        ):
            if (assignment.pk, date) in logged or (assignment.pk, date) in known:
                continue
            missed = _record_missed(assignment, date, kind)
            if missed is not None:
                made.append(missed)
    return made


@transaction.atomic
def _record_missed(assignment: AdvisorAssignment, date: dt.date, kind: str) -> MissedDay | None:
    try:
        with transaction.atomic():
            missed = MissedDay.objects.create(
                assignment=assignment, room=assignment.room, date=date, kind=kind
            )
    except IntegrityError:
        return None
    audit.record(
        "advisors.missed_day",
        actor=None,
        target=missed,
        unit=assignment.room,
        region=assignment.region,
        target_name=f"{assignment.region.name} {date}：{assignment.practitioner.name}",
    )
    practitioner = assignment.practitioner
    phone = practitioner.phone or (practitioner.user.phone if practitioner.user else "")
    body = _(
        "【法网】您%(date)s在%(village)s的%(kind)s安排没有工作记录。如已服务请尽快补报；如未到岗请向司法所说明。"
    ) % {
        "date": f"{date.month}月{date.day}日",
        "village": assignment.region.name,
        "kind": missed.get_kind_display(),
    }
    if practitioner.user is not None:
        notify.enqueue(
            channel="inapp",
            kind="advisors.missed",
            body=body,
            user=practitioner.user,
            related=missed,
            region_code=assignment.region_id,
            dedupe_key=f"advisors:missed:{missed.pk}:inbox",
        )
    if phone:
        notify.enqueue(
            channel="sms",
            kind="advisors.missed",
            body=body,
            phone=phone,
            related=missed,
            region_code=assignment.region_id,
            dedupe_key=f"advisors:missed:{missed.pk}:sms",
        )
    return missed


# --- subsidy rules ----------------------------------------------------------------------------------------


def _bureau_over(actor: User, code: str) -> bool:
    """A 司法局 membership (with ``advisors.manage``) whose region holds ``code``, or the system administrator:
    a subsidy rule is a bureau's document, not a law firm's."""
    from fawang.orgs.authority import group_of, reaches_everything
    from fawang.orgs.roles import CAPABILITIES
    from fawang.orgs.scoping import active_memberships

    if reaches_everything(actor):
        return True
    return any(
        m.role in CAPABILITIES[MANAGE]
        and group_of(m.unit.kind) == "bureau"
        and code.startswith(m.unit.region_id)
        for m in active_memberships(actor)
    )


@dataclass(frozen=True)
class SubsidyRuleData:
    region_code: str
    effective_from: dt.date
    per_fixed_day: Decimal
    per_roving_day: Decimal
    per_talk: Decimal = Decimal(0)
    per_mediation: Decimal = Decimal(0)
    per_document: Decimal = Decimal(0)
    monthly_cap: Decimal | None = None
    title: str = "法律服务工作补助办法"
    document_no: str = ""


@transaction.atomic
def add_subsidy_rule(data: SubsidyRuleData, *, actor: User) -> SubsidyRule:
    region = Region.objects.filter(code=data.region_code).first()
    if region is None or region.level not in (Region.Level.CITY, Region.Level.COUNTY):
        raise ValidationError({"region_code": _("补助办法适用于市或县（区）。")}, code="bad_region")
    require_capability_in_region(actor, MANAGE, region.code)
    if not _bureau_over(actor, region.code):
        raise PermissionDenied(_("补助办法由司法局录入。"))
    if SubsidyRule.objects.filter(region=region, effective_from=data.effective_from).exists():
        raise ValidationError({"effective_from": _("该区划同一日期已有补助办法。")}, code="duplicate")
    rule = SubsidyRule(
        region=region,
        title=data.title.strip() or "法律服务工作补助办法",
        document_no=data.document_no.strip(),
        effective_from=data.effective_from,
        per_fixed_day=data.per_fixed_day,
        per_roving_day=data.per_roving_day,
        per_talk=data.per_talk,
        per_mediation=data.per_mediation,
        per_document=data.per_document,
        monthly_cap=data.monthly_cap,
        created_by=actor,
    )
    rule.full_clean(exclude=["created_by"])
    rule.save()
    fields = (
        "effective_from",
        "per_fixed_day",
        "per_roving_day",
        "per_talk",
        "per_mediation",
        "per_document",
    )
    audit.record(
        "advisors.add_subsidy_rule",
        actor=actor,
        target=rule,
        region=region,
        target_name=f"{region.name}：{rule}",
        diff=audit.created(audit.snapshot(rule, fields)),
    )
    return rule


# --- talent pool ------------------------------------------------------------------------------------------


@dataclass
class TalentData:
    languages: str = ""
    available: bool = True
    max_villages: int = 3
    reserve_towns: list[Region] = field(default_factory=list)
    note: str = ""


@transaction.atomic
def save_talent_profile(practitioner_id: int, data: TalentData, *, actor: User) -> TalentProfile:
    practitioner = Practitioner.objects.select_related("unit").get(pk=practitioner_id)
    if practitioner.unit is None or not has_capability(actor, MANAGE, practitioner.unit):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    county = practitioner.unit.region_id[:6]
    wrong = [
        t.name for t in data.reserve_towns if t.level != Region.Level.TOWN or not t.code.startswith(county)
    ]
    if wrong:
        raise ValidationError(
            {
                "reserve_towns": _("储备乡镇应为执业机构所在县（区）的乡镇（街道）：%(names)s。")
                % {"names": "、".join(wrong)}
            }
        )
    profile = TalentProfile.objects.filter(practitioner=practitioner).first()
    fields = ("languages", "available", "max_villages", "note")
    before = audit.snapshot(profile, (*fields, "reserve_towns")) if profile else {}
    if profile is None:
        profile = TalentProfile(practitioner=practitioner)
    profile.languages = data.languages.strip()
    profile.available = data.available
    profile.max_villages = data.max_villages
    profile.note = data.note.strip()
    profile.full_clean(exclude=["practitioner"])
    profile.save()
    profile.reserve_towns.set(data.reserve_towns)
    audit.record(
        "advisors.save_talent",
        actor=actor,
        target=profile,
        unit=practitioner.unit,
        target_name=practitioner.name,
        diff=audit.changes(before, audit.snapshot(profile, (*fields, "reserve_towns"))),
    )
    return profile
