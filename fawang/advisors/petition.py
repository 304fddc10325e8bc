"""律师参与信访接待: the only writers of the petition receptions, their duty roster and the duty logs.

The unit that organises the roster (a 司法局 with ``advisors.manage``) registers a reception and puts lawyers and
grassroots legal service workers on duty there; after a turn, the lawyer on duty (through their practitioner
record) or the organising unit records the log. Every write leaves an audit row on the organising unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.orgs.models import Practitioner, Unit
from fawang.orgs.roles import has_capability
from fawang.regions.models import Region

from .actions import MANAGE, _linked_matters
from .models import PetitionDuty, PetitionDutyLog, PetitionPost

if TYPE_CHECKING:
    from fawang.accounts.models import User

# Who may be put on duty at a petition reception: lawyers, and grassroots legal service workers where a county has
# few lawyers (律师参与信访接待, with 基层法律服务工作者 as the documents allow).
DUTY_KINDS = (Practitioner.Kind.LAWYER, Practitioner.Kind.GRASSROOTS_WORKER)
LOG_FIELDS = ("present", "visitors", "cases", "to_litigation", "to_legal_aid", "to_mediation", "summary")


def _require_manage(actor: User, unit: Unit) -> None:
    if not has_capability(actor, MANAGE, unit):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))


@transaction.atomic
def add_post(unit_id: int, *, name: str, region: Region, address: str = "", actor: User) -> PetitionPost:
    unit = Unit.objects.get(pk=unit_id)
    _require_manage(actor, unit)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写接待场所名称。")})
    if not region.code.startswith(unit.region_id[:4]):
        raise ValidationError({"region": _("接待场所应在组织单位所在的市、县（区）。")})
    post = PetitionPost.objects.create(unit=unit, name=name, region=region, address=address.strip())
    audit.record(
        "advisors.add_petition_post",
        actor=actor,
        target=post,
        unit=unit,
        target_name=post.name,
        diff=audit.created({"name": post.name, "region": region.code, "address": post.address}),
    )
    return post


@transaction.atomic
def add_duty(
    post_id: int,
    *,
    practitioner: Practitioner,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    actor: User,
    today: dt.date | None = None,
) -> PetitionDuty:
    """Put a practising lawyer of the organising unit's city on duty on ``date`` (today or later)."""
    today = today or timezone.localdate()
    post = PetitionPost.objects.select_related("unit").get(pk=post_id)
    _require_manage(actor, post.unit)
    errors: dict[str, str] = {}
    if (
        practitioner.kind not in DUTY_KINDS
        or practitioner.licence_status != Practitioner.LicenceStatus.PRACTISING
        or practitioner.unit is None
        or not practitioner.unit.region_id.startswith(post.region_id[:4])
    ):
        errors["practitioner"] = _("值班人员应为本市正常执业的律师或基层法律服务工作者。")
    if date < today:
        errors["date"] = _("不能为已经过去的日期排班。")
    if end_time <= start_time:
        errors["end_time"] = _("结束时间应晚于开始时间。")
    if not errors and PetitionDuty.objects.filter(post=post, practitioner=practitioner, date=date).exists():
        errors["date"] = _("%(name)s当天已在本场所值班。") % {"name": practitioner.name}
    if errors:
        raise ValidationError(errors)
    duty = PetitionDuty.objects.create(
        post=post,
        practitioner=practitioner,
        date=date,
        start_time=start_time,
        end_time=end_time,
        created_by=actor,
    )
    audit.record(
        "advisors.add_petition_duty",
        actor=actor,
        target=duty,
        unit=post.unit,
        target_name=f"{post.name} {date} {practitioner.name}",
        diff=audit.created({"practitioner": practitioner.pk, "date": date.isoformat()}),
    )
    return duty


@dataclass
class DutyLogData:
    present: bool = True
    visitors: int = 0
    cases: int = 0
    to_litigation: int = 0
    to_legal_aid: int = 0
    to_mediation: int = 0
    summary: str = ""
    tracking_nos: list[str] = field(default_factory=list)


@transaction.atomic
def log_duty(
    duty_id: int, data: DutyLogData, *, actor: User, today: dt.date | None = None
) -> PetitionDutyLog:
    """The duty's log, by the lawyer on duty or the organising unit; once the day has come, and corrected by saving
    again (the audit row keeps what changed)."""
    today = today or timezone.localdate()
    duty = (
        PetitionDuty.objects.select_for_update().select_related("post__unit", "practitioner").get(pk=duty_id)
    )
    own = duty.practitioner.user_id is not None and duty.practitioner.user_id == actor.pk
    if not own:
        _require_manage(actor, duty.post.unit)
    if duty.date > today:
        raise ValidationError({"visitors": _("值班日尚未到，不能填写值班记录。")})
    guided = data.to_litigation + data.to_legal_aid + data.to_mediation
    if guided > data.cases:
        raise ValidationError({"cases": _("引导分流的件数之和不能多于涉及的信访事项件数。")})
    if not data.present and (data.visitors or data.cases):
        raise ValidationError({"present": _("未到岗的值班不能有接待记录。")})
    matters = _linked_matters(actor, data.tracking_nos)
    log = PetitionDutyLog.objects.filter(duty=duty).first()
    before = audit.snapshot(log, LOG_FIELDS) if log else {}
    if log is None:
        log = PetitionDutyLog(duty=duty)
    for name in LOG_FIELDS:
        value = getattr(data, name)
        setattr(log, name, value.strip() if isinstance(value, str) else value)
    log.recorded_by = actor
    log.save()
    log.matters.set(matters)
    audit.record(
        "advisors.log_petition_duty",
        actor=actor,
        target=log,
        unit=duty.post.unit,
        target_name=f"{duty.post.name} {duty.date} {duty.practitioner.name}",
        diff=audit.changes(before, audit.snapshot(log, LOG_FIELDS)),
    )
    return log
