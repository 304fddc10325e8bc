"""The only writers of resettlement records; each leaves an audit row (fawang.audit) in its transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.corrections.models import Subject
from fawang.lib.validators import validate_id_number
from fawang.matters.workflow import lock, now
from fawang.orgs.models import Unit
from fawang.regions.models import Region

from . import access
from .models import FILE_YEARS, HelpFile, HelpRecord, ReleaseNotice

NOTICE_DAYS = 30  # 监狱在释放前一个月通知户籍地司法所


def _plus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def office_for(region: Region) -> Unit | None:
    """The 司法所 of the town (乡镇、街道) the registered residence lies in."""
    return Unit.objects.filter(
        kind=Unit.Kind.JUDICIAL_OFFICE, is_active=True, region_id=region.code[:9]
    ).first()


@dataclass
class NoticeData:
    notice_no: str
    name: str
    id_number: str
    residence: str  # a region code (a village or a town)
    crime: str
    sentence: str
    release_on: dt.date
    is_key: bool = False
    key_reasons: str = ""


@transaction.atomic
def do_receive_notice(
    data: NoticeData, *, actor: Any, at: dt.datetime | None = None
) -> tuple[ReleaseNotice, bool]:
    """A release notice from a prison: to the 司法所 of the registered residence. Sent again with the same number:
    the notice already received, unchanged (False); a different content under that number is refused."""
    moment = now(at)
    prison = access.prison_of(actor)
    if prison is None:
        raise PermissionDenied(_("只有监狱、看守所的工作人员可以发送刑满释放通知。"))
    id_number = (data.id_number or "").strip().upper()
    errors: dict[str, list[str]] = {}
    try:
        validate_id_number(id_number)
    except ValidationError as e:
        errors["id_number"] = e.messages
    region = Region.objects.filter(code=data.residence).first()
    office = office_for(region) if region else None
    if region is None or office is None:
        errors["residence"] = [_("户籍地应为乡镇（街道）或村（社区）的区划代码，且当地设有司法所。")]
    if data.is_key and not data.key_reasons.strip():
        errors["key_reasons"] = [_("列为重点帮教对象的，请写明原因。")]
    if not data.notice_no.strip():
        errors["notice_no"] = [_("请填写通知编号。")]
    if errors:
        raise ValidationError(errors)
    assert region is not None and office is not None
    existing = ReleaseNotice.objects.filter(prison=prison, notice_no=data.notice_no.strip()).first()
    if existing is not None:
        if existing.id_number != id_number or existing.release_on != data.release_on:
            raise ValidationError({"notice_no": [_("该通知编号已用于另一人员或另一释放日期。")]})
        return existing, False
    notice = ReleaseNotice.objects.create(
        prison=prison,
        notice_no=data.notice_no.strip(),
        name=data.name.strip(),
        id_number=id_number,
        residence=region,
        office=office,
        crime=data.crime.strip(),
        sentence=data.sentence.strip(),
        release_on=data.release_on,
        is_key=data.is_key,
        key_reasons=data.key_reasons.strip(),
        received_at=moment,
    )
    audit.record(
        "resettlement.notice",
        actor=actor,
        target=notice,
        unit=office,
        diff=audit.created({"release_on": data.release_on, "is_key": data.is_key, "office": office.name}),
        now=moment,
    )
    return notice, True


@transaction.atomic
def do_connect(
    notice_id: int, *, received_by: str, place: str, note: str, on: dt.datetime, actor: Any
) -> ReleaseNotice:
    """衔接: for a 重点帮教对象 the 必接必送 hand-over (who received the person, where, when) is required; for others
    the first contact. Opens the five-year file."""
    notice = lock(ReleaseNotice.objects.select_related("office"), notice_id, _("该通知不存在。"), "no_notice")
    access.require_work(actor, notice.office)
    if notice.status == ReleaseNotice.Status.CONNECTED:
        raise ValidationError(_("已登记衔接。"), code="connected")
    errors: dict[str, list[str]] = {}
    if not received_by.strip():
        errors["received_by"] = [_("请填写接收人。")]
    if notice.is_key and not place.strip():
        errors["place"] = [_("重点帮教对象必接必送，请填写交接地点。")]
    if timezone.localdate(on) < notice.release_on - dt.timedelta(days=1):
        errors["on"] = [_("衔接时间不能早于释放日期。")]
    if errors:
        raise ValidationError(errors)
    notice.status = ReleaseNotice.Status.CONNECTED
    notice.connected_at, notice.received_by, notice.handover_place, notice.connected_note = (
        on,
        received_by.strip(),
        place.strip(),
        note.strip(),
    )
    notice.save()
    audit.record(
        "resettlement.connect",
        actor=actor,
        target=notice,
        unit=notice.office,
        diff=({"status": "notified"}, {"status": "connected"}),
    )
    file = HelpFile.objects.create(
        source=HelpFile.Source.PRISON,
        notice=notice,
        office=notice.office,
        name=notice.name,
        id_number=notice.id_number,
        is_key=notice.is_key,
        opened_on=notice.release_on,
        ends_on=_plus_years(notice.release_on, FILE_YEARS),
    )
    audit.record(
        "resettlement.open_file",
        actor=actor,
        target=file,
        unit=notice.office,
        diff=audit.created({"source": file.source}),
    )
    return notice


def open_from_correction(subject: Subject, actor: Any, moment: dt.datetime) -> None:
    """The hand-over from corrections (registered with corrections.actions.on_end): a correction that ends by
    解除 (期满) opens a 帮教 file at the same 司法所; 终止 (death, 收监) does not."""
    if (
        subject.status != Subject.Status.RELEASED
        or HelpFile.objects.filter(correction_file_no=subject.file_no).exists()
    ):
        return
    opened = subject.ended_on or timezone.localdate(moment)
    file = HelpFile.objects.create(
        source=HelpFile.Source.CORRECTIONS,
        correction_file_no=subject.file_no,
        office=subject.office,
        name=subject.name,
        id_number=subject.id_number,
        opened_on=opened,
        ends_on=_plus_years(opened, FILE_YEARS),
    )
    audit.record(
        "resettlement.open_file",
        actor=actor,
        target=file,
        unit=subject.office,
        diff=audit.created({"source": file.source}),
        now=moment,
    )


@transaction.atomic
def do_add_help(file_id: int, *, kind: str, note: str, on: dt.date, actor: Any) -> HelpRecord:
    file = lock(HelpFile.objects.select_related("office"), file_id, _("该档案不存在。"), "no_file")
    access.require_work(actor, file.office)
    if kind not in HelpRecord.Kind.values or not note.strip():
        raise ValidationError({"note": [_("请选择帮扶内容并填写情况。")]})
    record = HelpRecord.objects.create(file=file, kind=kind, note=note.strip(), on=on, recorded_by=actor)
    audit.record(
        "resettlement.help",
        actor=actor,
        target=file,
        unit=file.office,
        diff=audit.created({"kind": kind, "on": on}),
    )
    return record


@transaction.atomic
def do_place(file_id: int, *, placement: str, on: dt.date, actor: Any) -> HelpFile:
    """安置: by a job, a business, social assistance or the family."""
    file = lock(HelpFile.objects.select_related("office"), file_id, _("该档案不存在。"), "no_file")
    access.require_work(actor, file.office)
    if placement not in HelpFile.Placement.values:
        raise ValidationError({"placement": [_("请选择安置情况。")]})
    if on < file.opened_on:
        raise ValidationError({"on": [_("安置日期不能早于帮教起始日期。")]})
    before = audit.snapshot(file, ["placement", "placed_on"])
    file.placement = placement
    file.placed_on = None if placement == HelpFile.Placement.NONE else on
    file.save(update_fields=["placement", "placed_on"])
    audit.record(
        "resettlement.place",
        actor=actor,
        target=file,
        unit=file.office,
        diff=audit.changes(before, audit.snapshot(file, ["placement", "placed_on"])),
    )
    return file


@transaction.atomic
def do_set_plan(file_id: int, *, plan: str, actor: Any) -> HelpFile:
    """帮教计划: what help the person needs and who gives it (the 帮教小组's plan)."""
    file = lock(HelpFile.objects.select_related("office"), file_id, _("该档案不存在。"), "no_file")
    access.require_work(actor, file.office)
    if not plan.strip():
        raise ValidationError({"plan": [_("请填写帮教计划。")]})
    before = audit.snapshot(file, ["plan"])
    file.plan = plan.strip()
    file.save(update_fields=["plan"])
    audit.record(
        "resettlement.plan",
        actor=actor,
        target=file,
        unit=file.office,
        diff=audit.changes(before, audit.snapshot(file, ["plan"])),
    )
    return file


@transaction.atomic
def do_record_reoffence(
    file_id: int, *, on: dt.date, facts: str, actor: Any, at: dt.datetime | None = None
) -> HelpFile:
    """重新犯罪 within the five years: the file leaves the placement rate and counts in the 重新犯罪率."""
    moment = now(at)
    file = lock(HelpFile.objects.select_related("office"), file_id, _("该档案不存在。"), "no_file")
    access.require_work(actor, file.office)
    errors: dict[str, list[str]] = {}
    if not facts.strip():
        errors["facts"] = [_("请写明罪名和处理情况。")]
    if on > timezone.localdate(moment):
        errors["on"] = [_("日期不能晚于今天。")]
    elif not file.opened_on <= on <= file.ends_on:
        errors["on"] = [_("重新犯罪日期应在帮教期内。")]
    if file.reoffended_on is not None:
        errors["on"] = [_("已登记重新犯罪（%(day)s）。") % {"day": file.reoffended_on}]
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(file, ["reoffended_on", "reoffence"])
    file.reoffended_on, file.reoffence = on, facts.strip()
    file.save(update_fields=["reoffended_on", "reoffence"])
    audit.record(
        "resettlement.reoffence",
        actor=actor,
        target=file,
        unit=file.office,
        diff=audit.changes(before, audit.snapshot(file, ["reoffended_on", "reoffence"])),
        now=moment,
    )
    return file
