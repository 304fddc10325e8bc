"""The only writers of legal aid's records. Each checks the actor's capability where it applies (the unit rule,
docs/authority.md) and writes a MatterEvent or an audit row in the same transaction.

- standards: ``do_set_standard``, ``do_set_reference`` (经济困难标准 and the figures they refer to);
- review and decision: ``do_decide`` (给予 / 不予, 第四十三条), ``do_terminate`` (终止, 第四十八条);
- assignment: ``do_assign`` (指派 by rotation with the 第二十六条 rule), ``do_advance`` (先行提供, 第四十四条),
  ``do_add_to_roster``;
- the firm: ``do_accept_case``, ``do_log``, ``do_close_case``; the centre: ``do_check_case``;
- objections: ``do_file_objection``, ``do_decide_objection`` (第四十九条);
- subsidies: computed when a case is checked, ``do_approve_subsidy``;
- notified defence (通知辩护、通知代理, 第二十五条、第二十八条、第三十六条): ``do_receive_notification``;
- duty lawyers (值班律师, 第三十条): ``do_add_station``, ``do_add_shift``, ``do_log_duty``;
- quality (第五十九条): ``do_add_quality`` (庭审旁听、案卷检查、征询办案机关意见、回访受援人).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.calendar.workdays import add_days
from fawang.catalog.models import Step
from fawang.matters import actions as matter_actions
from fawang.matters import deadlines, notices
from fawang.matters.actions.base import check_transition, complete_locked, event, lock, require
from fawang.matters.models import Matter, MatterEvent
from fawang.matters.workflow import check_move, event_actor, is_public
from fawang.matters.workflow import now as _now
from fawang.orgs.authority import has_capability
from fawang.orgs.models import Practitioner, Unit
from fawang.orgs.roles import require_capability
from fawang.regions.models import Region

from . import standards
from .models import (
    HELP_KINDS,
    AidLawyer,
    Assignment,
    CaseLog,
    Decision,
    DutyLog,
    DutyShift,
    DutyStation,
    HardshipStandard,
    Notification,
    NotifyingPartner,
    Objection,
    Organ,
    QualityRecord,
    ReferenceFigure,
    Subsidy,
    SubsidyRate,
    in_force,
    new_number,
)
from .notices import ITEM, is_legal_aid

if TYPE_CHECKING:
    from fawang.accounts.models import User

DECIDE = "legalaid.decide"
STANDARDS = "legalaid.standards"
CASEWORK = "legalaid.casework"
OBJECTION = "legalaid.objection"
# 法律援助法 第四十九条 sets no time limit for raising an objection ("可以向设立该法律援助机构的司法行政部门
# 提出"); the 司法行政部门 decides "自收到异议之日起五日内" (days, not working days: the law says 日). A
# period whose last day is a holiday ends on the next working day (the general rule on periods).
OBJECTION_REVIEW_DAYS = 5
SERIOUS_YEARS = 3  # 第二十六条: 三年以上相关执业经历


def may_set_standards(user: Any, region_code: str) -> bool:
    """Standards are set by a 司法局 whose region holds ``region_code`` (its supervisors and admins), or the
    system administrator; never by a service unit or an institution, whatever regions it reaches."""
    from fawang.orgs.roles import CAPABILITIES
    from fawang.orgs.scoping import active_memberships

    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    roles = CAPABILITIES[STANDARDS]
    return any(
        m.role in roles
        and (
            m.role == "system_admin"
            or (m.unit.kind == Unit.Kind.BUREAU and region_code.startswith(m.unit.region_id))
        )
        for m in active_memberships(user)
    )


def may_set_standards_anywhere(user: Any) -> bool:
    from fawang.orgs.scoping import active_memberships

    return any(may_set_standards(user, m.unit.region_id) for m in active_memberships(user))


def _local_today(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


# ----------------------------------------------------------------------------------------------- standards


@dataclass(frozen=True)
class StandardData:
    region: Region
    basis: str
    effective_from: dt.date
    document: str
    amount: Decimal | None = None
    reference_kind: str = ""
    multiple: Decimal | None = None


def _check_dated(latest_from: dt.date | None, effective_from: dt.date, today: dt.date) -> None:
    """A change takes effect from a later date than the standard in force and never before today: what
    applications dated before it were compared with stays as it was."""
    if latest_from is None:
        return
    if effective_from <= latest_from:
        raise ValidationError(
            {
                "effective_from": _("执行日期须晚于现行标准的执行日期（%(d)s）。")
                % {"d": latest_from.isoformat()}
            }
        )
    if effective_from < today:
        raise ValidationError({"effective_from": _("调整标准不得溯及既往：执行日期不能早于今天。")})


@transaction.atomic
def do_set_standard(
    data: StandardData, *, actor: User | None, now: dt.datetime | None = None
) -> HardshipStandard:
    now = _now(now)
    if actor is not None and not may_set_standards(actor, data.region.code):
        raise PermissionDenied(_("您的岗位无权调整该区划的经济困难标准。"))
    document = data.document.strip()
    if not document:
        raise ValidationError({"document": _("请填写设定标准的文件名称和文号。")})
    if data.basis == HardshipStandard.Basis.FIXED:
        if data.amount is None or data.amount <= 0:
            raise ValidationError({"amount": _("请填写标准金额。")})
    elif data.basis == HardshipStandard.Basis.MULTIPLE:
        if (
            data.reference_kind not in ReferenceFigure.Kind.values
            or data.multiple is None
            or data.multiple <= 0
        ):
            raise ValidationError({"multiple": _("请选择参照标准并填写倍数。")})
    else:
        raise ValidationError({"basis": _("请选择确定方式。")})
    latest = HardshipStandard.objects.filter(region=data.region).order_by("-effective_from").first()
    _check_dated(latest.effective_from if latest else None, data.effective_from, _local_today(now))
    if latest is not None and (latest.effective_to is None or latest.effective_to >= data.effective_from):
        latest.effective_to = data.effective_from - dt.timedelta(days=1)
        latest.save(update_fields=["effective_to"])
    fixed = data.basis == HardshipStandard.Basis.FIXED
    row = HardshipStandard.objects.create(
        region=data.region,
        basis=data.basis,
        amount=data.amount if fixed else None,
        reference_kind="" if fixed else data.reference_kind,
        multiple=None if fixed else data.multiple,
        effective_from=data.effective_from,
        document=document,
        created_by=event_actor(actor),
        created_at=now,
    )
    audit.record(
        "legalaid.set_standard",
        actor=actor,
        target=row,
        region=data.region,
        diff=audit.created(
            audit.snapshot(
                row, ["basis", "amount", "reference_kind", "multiple", "effective_from", "document"]
            )
        ),
        now=now,
    )
    return row


@transaction.atomic
def do_set_reference(
    *,
    actor: User | None,
    region: Region,
    kind: str,
    amount: Decimal,
    effective_from: dt.date,
    document: str,
    now: dt.datetime | None = None,
) -> ReferenceFigure:
    now = _now(now)
    if actor is not None and not may_set_standards(actor, region.code):
        raise PermissionDenied(_("您的岗位无权调整该区划的参照标准。"))
    if kind not in ReferenceFigure.Kind.values:
        raise ValidationError({"kind": _("请选择参照标准。")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("请填写金额。")})
    if not document.strip():
        raise ValidationError({"document": _("请填写设定文件。")})
    latest = ReferenceFigure.objects.filter(region=region, kind=kind).order_by("-effective_from").first()
    _check_dated(latest.effective_from if latest else None, effective_from, _local_today(now))
    if latest is not None and (latest.effective_to is None or latest.effective_to >= effective_from):
        latest.effective_to = effective_from - dt.timedelta(days=1)
        latest.save(update_fields=["effective_to"])
    row = ReferenceFigure.objects.create(
        kind=kind,
        region=region,
        amount=amount,
        effective_from=effective_from,
        document=document.strip(),
        created_by=event_actor(actor),
        created_at=now,
    )
    audit.record(
        "legalaid.set_reference",
        actor=actor,
        target=row,
        region=region,
        diff=audit.created(audit.snapshot(row, ["kind", "amount", "effective_from", "document"])),
        now=now,
    )
    return row


# ------------------------------------------------------------------------------------------------ decisions


def objection_unit(unit: Unit) -> Unit | None:
    """The 司法局 that set up the centre: the nearest bureau above it in the tree of units."""
    current: Unit | None = unit.parent
    while current is not None:
        if current.kind == Unit.Kind.BUREAU:
            return current
        current = current.parent
    return Unit.objects.filter(kind=Unit.Kind.BUREAU, region_id=unit.region_id).order_by("pk").first()


def _legal_aid(matter: Matter) -> None:
    if not is_legal_aid(matter):
        raise ValidationError(_("该事项不是法律援助申请。"), code="not_legal_aid")


def _decision(
    matter: Matter, kind: str, reasons: str, checklist: list[str], actor: User | None, now: dt.datetime
) -> Decision:
    cmp = standards.compare(matter)
    objectionable = kind in (Decision.Kind.REFUSE, Decision.Kind.TERMINATE)
    prefix = {"grant": "援决字", "refuse": "不援决字", "terminate": "终援决字"}[kind]
    return Decision.objects.create(
        matter=matter,
        kind=kind,
        number=new_number(prefix),
        reasons=reasons,
        checklist=checklist,
        pledged=cmp.pledged,
        standard=cmp.standard,
        standard_rule=cmp.rule[:200],
        threshold=cmp.threshold,
        per_capita=cmp.per_capita,
        comparison=cmp.text[:200],
        objection_unit=objection_unit(matter.unit) if objectionable else None,
        objection_due=None,  # 第四十九条 sets no time limit for the objection
        decided_by=event_actor(actor),
        decided_at=now,
    )


@transaction.atomic
def do_decide(
    matter_id: int,
    *,
    actor: User | None,
    grant: bool,
    reasons: str,
    checklist: list[str] | None = None,
    now: dt.datetime | None = None,
) -> Decision:
    """给予 or 不予法律援助 (第四十三条), with the notice the person receives. After 先行提供 the matter is already
    being handled: a grant only records the decision; a refusal ends the assignment (终止)."""
    now = _now(now)
    matter = lock(matter_id)
    require(actor, DECIDE, matter)
    _legal_aid(matter)
    reasons = reasons.strip()
    if not grant and not reasons:
        raise ValidationError({"reasons": _("不予法律援助须说明理由。")})
    advanced = (
        matter.status == Matter.Status.IN_PROGRESS and matter.aid_assignments.filter(advance=True).exists()
    )
    if advanced and matter.aid_decisions.filter(kind=Decision.Kind.GRANT).exists():
        raise ValidationError(_("该申请已作出给予法律援助的决定。"), code="decided")
    if not advanced:
        check_transition(
            matter,
            Matter.Status.ACCEPTED if grant else Matter.Status.REJECTED,
            _("作出决定"),
            action="aid_grant" if grant else "aid_refuse",
        )
    kind = Decision.Kind.GRANT if grant else Decision.Kind.REFUSE
    decision = _decision(matter, kind, reasons or _("符合法律援助条件。"), checklist or [], actor, now)
    if advanced:
        ev = event(
            matter,
            MatterEvent.Action.ACCEPT,
            actor=actor,
            now=now,
            note=decision.reasons,
            visible=True,
            payload={"aid_decision": decision.pk},
        )
        if grant:
            notices.to_person(matter, "matter.accepted", ev)
        else:
            _close(
                matter,
                decision,
                actor=actor,
                now=now,
                old_status=Matter.Status.IN_PROGRESS,
                result=_("经审查不予法律援助，先行提供的法律援助终止。理由：%(r)s") % {"r": reasons},
                notice="matter.rejected",
            )
        return decision
    if grant:
        matter_actions.do_accept(matter.pk, actor=actor, note=decision.reasons, now=now)
    else:
        matter_actions.do_reject(matter.pk, actor=actor, reason=reasons, now=now)
    MatterEventPayload.mark(matter, decision)
    return decision


class MatterEventPayload:
    """Links the event the shared action wrote to the decision (its notice is found from the timeline)."""

    @staticmethod
    def mark(matter: Matter, decision: Decision) -> None:
        last = matter.events.order_by("-created_at", "-pk").first()
        if last is not None:
            last.payload = {**(last.payload or {}), "aid_decision": decision.pk}
            last.save(update_fields=["payload"])


def _end_assignments(matter: Matter, now: dt.datetime) -> None:
    Assignment.objects.filter(
        matter=matter,
        status__in=[Assignment.Status.ASSIGNED, Assignment.Status.ACCEPTED, Assignment.Status.RETURNED],
    ).update(status=Assignment.Status.TERMINATED, closed_at=now)


def _close(
    matter: Matter,
    decision: Decision,
    *,
    actor: User | None,
    now: dt.datetime,
    old_status: str,
    result: str,
    notice: str,
) -> None:
    """The legal aid ends by ``decision`` (a refusal after 先行提供, or 终止): the assignments end, the matter is
    completed with ``result``, its clock stops, and the person is told (``notice``) with the decision's reasons."""
    _end_assignments(matter, now)
    complete_locked(
        matter,
        actor=actor,
        now=now,
        result=result,
        old_status=old_status,
        note=decision.reasons,
        payload={"aid_decision": decision.pk},
        notice=notice,
    )


@transaction.atomic
def do_terminate(
    matter_id: int, *, actor: User | None, reasons: str, now: dt.datetime | None = None
) -> Decision:
    """终止法律援助 (第四十八条): the assignment ends, the matter is completed with the reason, and the person may
    object (第四十九条)."""
    now = _now(now)
    matter = lock(matter_id)
    require(actor, DECIDE, matter)
    _legal_aid(matter)
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": _("终止法律援助须说明理由。")})
    old = check_transition(matter, Matter.Status.COMPLETED, _("终止法律援助"), action="aid_terminate")
    decision = _decision(matter, Decision.Kind.TERMINATE, reasons, [], actor, now)
    _close(
        matter,
        decision,
        actor=actor,
        now=now,
        old_status=old,
        result=_("终止法律援助。理由：%(r)s") % {"r": reasons},
        notice="legalaid.terminated",
    )
    return decision


# ----------------------------------------------------------------------------------------------- assignment


def roster_of(centre: Unit) -> list[AidLawyer]:
    return list(
        AidLawyer.objects.filter(
            centre=centre, practitioner__licence_status=Practitioner.LicenceStatus.PRACTISING
        )
        .select_related("practitioner", "practitioner__unit")
        .prefetch_related("practitioner__specialities")
        .annotate(
            load=Count(
                "assignments",
                filter=Q(
                    assignments__status__in=[
                        Assignment.Status.ASSIGNED,
                        Assignment.Status.ACCEPTED,
                        Assignment.Status.RETURNED,
                    ]
                ),
            )
        )
        .order_by("pk")
    )


def qualification_error(lawyer: AidLawyer, serious: bool, on: dt.date) -> str:
    """Why ``lawyer`` may not take the case, or "" (第二十六条 for a case that may bring life imprisonment or death)."""
    if not lawyer.available:
        return _("%(name)s暂不接受指派。") % {"name": lawyer.practitioner.name}
    if lawyer.practitioner.unit_id is None:
        return _("%(name)s没有执业机构，无法指派。") % {"name": lawyer.practitioner.name}
    if serious and lawyer.relevant_years(on) < SERIOUS_YEARS:
        return _(
            "%(name)s不具有三年以上相关执业经历，不能担任可能被判处无期徒刑、死刑的人的辩护人（法律援助法 第二十六条）。"
        ) % {"name": lawyer.practitioner.name}
    return ""


def rotation(matter: Matter, *, serious: bool, on: dt.date) -> tuple[AidLawyer | None, str]:
    """The next lawyer by rotation: qualified, available and under their load limit; those with the matter's
    field among their specialities first, then the fewest open cases, then the longest since their last
    assignment. Returns (lawyer, why) or (None, the reason nobody fits)."""
    candidates = []
    for lawyer in roster_of(matter.unit):
        if qualification_error(lawyer, serious, on):
            continue
        load = getattr(lawyer, "load", 0)
        if load >= lawyer.max_open:
            continue
        skilled = matter.topic_id is not None and any(
            s.pk == matter.topic_id for s in lawyer.practitioner.specialities.all()
        )
        last = lawyer.last_assigned_at or dt.datetime.min.replace(tzinfo=dt.UTC)
        candidates.append(((not skilled, load, last, lawyer.pk), lawyer, skilled, load))
    if not candidates:
        if serious:
            return None, _("名册中没有符合第二十六条条件（三年以上相关执业经历）且可接受指派的律师。")
        return None, _("名册中没有可接受指派的法律援助人员。")
    candidates.sort(key=lambda c: c[0])
    _key, lawyer, skilled, load = candidates[0]
    why = _("轮流指派：在办案件 %(load)s 件") % {"load": load}
    if skilled:
        why += _("，业务专长与案件领域相符")
    if serious:
        why += _("，具有三年以上相关执业经历（第二十六条）")
    return lawyer, why


# The moves of the console's own matter pages (指派 and 先行提供 are not registry actions: they need the roster).
MOVES: dict[str, dict[str, frozenset[str]]] = {
    "assign": {Matter.Status.ACCEPTED: frozenset({Matter.Status.IN_PROGRESS})},
    "advance": {Matter.Status.SUBMITTED: frozenset({Matter.Status.IN_PROGRESS})},
}


def _check(matter: Matter, new_status: str, verb: str, action: str) -> str:
    return check_move(
        MOVES, action, matter.status, new_status, verb=verb, status_label=Matter.Status(matter.status).label
    )


def _firm_staff(unit: Unit) -> list[Any]:
    return notices.unit_staff(unit.pk)


def _create_assignment(
    matter: Matter,
    *,
    actor: User | None,
    lawyer: AidLawyer | None,
    case_type: str,
    serious: bool,
    now: dt.datetime,
    advance: bool = False,
    advance_reason: str = "",
    materials_owed: str = "",
) -> Assignment:
    if case_type not in Assignment.CaseType.values:
        raise ValidationError({"case_type": _("请选择案件类别。")})
    on = _local_today(now)
    if lawyer is None:
        lawyer, why = rotation(matter, serious=serious, on=on)
        if lawyer is None:
            raise ValidationError(why, code="no_lawyer")
    else:
        if lawyer.centre_id != matter.unit_id:
            raise ValidationError({"lawyer": _("只能指派本机构名册中的法律援助人员。")})
        error = qualification_error(lawyer, serious, on)
        if error:
            raise ValidationError({"lawyer": error})
        why = _("指定指派")
    assert lawyer.practitioner.unit is not None
    assignment = Assignment.objects.create(
        matter=matter,
        lawyer=lawyer,
        firm=lawyer.practitioner.unit,
        number=new_number("援指字"),
        case_type=case_type,
        serious=serious,
        advance=advance,
        advance_reason=advance_reason,
        materials_owed=materials_owed,
        rotation_note=why[:300],
        assigned_by=event_actor(actor),
        assigned_at=now,
    )
    AidLawyer.objects.filter(pk=lawyer.pk).update(last_assigned_at=now)
    return assignment


def _after_assignment(
    matter: Matter, assignment: Assignment, *, actor: User | None, now: dt.datetime, old: str, note: str
) -> None:
    matter.status = Matter.Status.IN_PROGRESS
    deadlines.start_step(matter, Step.COMPLETE, now)
    matter.save()
    ev = event(
        matter,
        MatterEvent.Action.ASSIGN,
        actor=actor,
        now=now,
        old_status=old,
        note=note,
        visible=True,
        payload={
            "aid_assignment": assignment.pk,
            "lawyer": assignment.lawyer.practitioner.name,
            "firm": assignment.firm.name,
        },
    )
    notices.to_staff(
        _firm_staff(assignment.firm),
        matter,
        "legalaid.assigned",
        _("法律援助中心指派案件 %(no)s 给贵所%(name)s，请在法律援助案件中接受。")
        % {"no": assignment.number, "name": assignment.lawyer.practitioner.name},
        key=f"legalaid:{assignment.pk}:assigned",
    )
    notices.to_person(matter, "legalaid.assigned", ev)


@transaction.atomic
def do_assign(
    matter_id: int,
    *,
    actor: User | None,
    lawyer: AidLawyer | None = None,
    case_type: str = Assignment.CaseType.CIVIL,
    serious: bool = False,
    note: str = "",
    now: dt.datetime | None = None,
) -> Assignment:
    """指派 (第四十三条: within three days of granting) to the lawyer given, or to the next one by rotation."""
    now = _now(now)
    matter = lock(matter_id)
    require(actor, DECIDE, matter)
    _legal_aid(matter)
    old = _check(matter, Matter.Status.IN_PROGRESS, _("指派"), "assign")
    notified = notification_of(matter)
    if notified is not None:
        # A notified case is criminal defence (or 强制医疗 representation); the organ's ground decides 第二十六条.
        case_type = Assignment.CaseType.CRIMINAL
        serious = serious or notified.serious
    assignment = _create_assignment(
        matter, actor=actor, lawyer=lawyer, case_type=case_type, serious=serious, now=now
    )
    _after_assignment(
        matter, assignment, actor=actor, now=now, old=old, note=note.strip() or assignment.rotation_note
    )
    if notified is not None:
        _reply_to_organ(notified, assignment, actor, now)
    return assignment


class AdvanceReason:
    LIMITATION = "limitation"
    PRESERVATION = "preservation"
    CHOICES = (
        (LIMITATION, "距法定时效或者期限届满不足七日，需要及时提起诉讼或者申请仲裁、行政复议"),
        (PRESERVATION, "需要立即申请财产保全、证据保全或者先予执行"),
    )


@transaction.atomic
def do_advance(
    matter_id: int,
    *,
    actor: User | None,
    reason: str,
    materials_owed: str,
    lawyer: AidLawyer | None = None,
    case_type: str = Assignment.CaseType.CIVIL,
    now: dt.datetime | None = None,
) -> Assignment:
    """先行提供法律援助 (第四十四条): assign before the review; the decision follows when the materials are in."""
    now = _now(now)
    matter = lock(matter_id)
    require(actor, DECIDE, matter)
    _legal_aid(matter)
    labels = dict(AdvanceReason.CHOICES)
    if reason not in labels:
        raise ValidationError({"reason": _("请选择先行提供法律援助的情形（法律援助法 第四十四条）。")})
    old = _check(matter, Matter.Status.IN_PROGRESS, _("先行提供法律援助"), "advance")
    assignment = _create_assignment(
        matter,
        actor=actor,
        lawyer=lawyer,
        case_type=case_type,
        serious=False,
        now=now,
        advance=True,
        advance_reason=labels[reason],
        materials_owed=materials_owed.strip()[:300],
    )
    note = _("先行提供法律援助（第四十四条）：%(why)s。尚需补交：%(owed)s") % {
        "why": labels[reason],
        "owed": materials_owed.strip() or _("无"),
    }
    _after_assignment(matter, assignment, actor=actor, now=now, old=old, note=note)
    return assignment


@transaction.atomic
def do_add_to_roster(
    *,
    actor: User | None,
    centre: Unit,
    licence_no: str,
    criminal_since: dt.date | None = None,
    max_open: int = 5,
) -> AidLawyer:
    if actor is not None:
        require_capability(actor, DECIDE, centre)
    if centre.kind != Unit.Kind.LEGAL_AID:
        raise ValidationError(_("只有法律援助中心有法律援助人员名册。"), code="not_centre")
    practitioner = (
        Practitioner.objects.filter(
            licence_no=licence_no.strip(),
            kind__in=[Practitioner.Kind.LAWYER, Practitioner.Kind.GRASSROOTS_WORKER],
        )
        .select_related("unit")
        .first()
    )
    if practitioner is None:
        raise ValidationError({"licence_no": _("没有该执业证号的律师或基层法律服务工作者。")})
    if practitioner.licence_status != Practitioner.LicenceStatus.PRACTISING:
        raise ValidationError({"licence_no": _("该人员不在正常执业状态。")})
    if AidLawyer.objects.filter(centre=centre, practitioner=practitioner).exists():
        raise ValidationError({"licence_no": _("该人员已在本中心的名册中。")})
    row = AidLawyer.objects.create(
        centre=centre, practitioner=practitioner, criminal_since=criminal_since, max_open=max_open
    )
    audit.record(
        "legalaid.add_to_roster",
        actor=actor,
        target=row,
        unit=centre,
        diff=audit.created(
            {"practitioner": practitioner.name, "criminal_since": criminal_since, "max_open": max_open}
        ),
    )
    return row


# --------------------------------------------------------------------------------------------- the firm's work


def _lock_assignment(pk: int) -> Assignment:
    from fawang.matters.workflow import lock as lock_row

    return lock_row(
        Assignment.objects.select_related("matter", "matter__unit", "firm", "lawyer__practitioner"),
        pk,
        _("指派不存在。"),
        "no_assignment",
    )


def may_work(user: Any, assignment: Assignment) -> bool:
    """The firm's own work on a case (accept, log, close): its own staff with the capability, never a unit
    above it (a 司法局 supervises the firm but does not act for it), and the system administrator."""
    from fawang.orgs.roles import CAPABILITIES
    from fawang.orgs.scoping import active_memberships

    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    roles = CAPABILITIES[CASEWORK]
    return any(
        m.role in roles and (m.role == "system_admin" or m.unit_id == assignment.firm_id)
        for m in active_memberships(user)
    )


def _firm_may(actor: User | None, assignment: Assignment) -> None:
    if actor is not None and not may_work(actor, assignment):
        raise PermissionDenied(_("只有承办机构可以办理该案件。"))


def _case_event(
    assignment: Assignment, actor: User | None, now: dt.datetime, note: str, **payload: Any
) -> None:
    event(
        assignment.matter,
        MatterEvent.Action.COMMENT,
        actor=actor,
        now=now,
        note=note,
        payload={"aid_assignment": assignment.pk, **payload},
    )


@transaction.atomic
def do_accept_case(assignment_id: int, *, actor: User | None, now: dt.datetime | None = None) -> Assignment:
    now = _now(now)
    a = _lock_assignment(assignment_id)
    _firm_may(actor, a)
    if a.status != Assignment.Status.ASSIGNED:
        raise ValidationError(
            _("该指派当前状态为“%(s)s”，不能接受。") % {"s": a.get_status_display()},
            code="invalid_transition",
        )
    a.status = Assignment.Status.ACCEPTED
    a.accepted_at = now
    a.save(update_fields=["status", "accepted_at"])
    _case_event(
        a,
        actor,
        now,
        _("%(firm)s接受指派，由%(name)s承办。") % {"firm": a.firm.name, "name": a.lawyer.practitioner.name},
        step="accepted",
    )
    return a


@transaction.atomic
def do_log(
    assignment_id: int,
    *,
    actor: User | None,
    kind: str,
    happened_on: dt.date,
    note: str,
    now: dt.datetime | None = None,
) -> CaseLog:
    now = _now(now)
    a = _lock_assignment(assignment_id)
    _firm_may(actor, a)
    if a.status not in (Assignment.Status.ACCEPTED, Assignment.Status.RETURNED):
        raise ValidationError(_("接受指派后才能记录承办情况。"), code="not_accepted")
    if kind not in CaseLog.Kind.values:
        raise ValidationError({"kind": _("请选择记录类别。")})
    if not note.strip():
        raise ValidationError({"note": _("请填写记录内容。")})
    if happened_on > _local_today(now):
        raise ValidationError({"happened_on": _("日期不能晚于今天。")})
    row = CaseLog.objects.create(
        assignment=a,
        kind=kind,
        happened_on=happened_on,
        note=note.strip(),
        created_by=event_actor(actor),
        created_at=now,
    )
    _case_event(
        a,
        actor,
        now,
        _("承办记录（%(kind)s）：%(note)s") % {"kind": row.get_kind_display(), "note": row.note},
        log=row.pk,
    )
    return row


@transaction.atomic
def do_close_case(
    assignment_id: int,
    *,
    actor: User | None,
    outcome: str,
    note: str,
    case_file: UploadedFile | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    """结案: the outcome, the closing report and the case file go to the centre for checking."""
    now = _now(now)
    a = _lock_assignment(assignment_id)
    _firm_may(actor, a)
    if a.status not in (Assignment.Status.ACCEPTED, Assignment.Status.RETURNED):
        raise ValidationError(
            _("该指派当前状态为“%(s)s”，不能结案。") % {"s": a.get_status_display()},
            code="invalid_transition",
        )
    if outcome not in Assignment.Outcome.values:
        raise ValidationError({"outcome": _("请选择办理结果。")})
    if not note.strip():
        raise ValidationError({"note": _("请填写结案报告。")})
    if case_file is not None:
        from fawang.matters.uploads import check_upload

        checked = check_upload(case_file)
        # A random stored name with the extension of the checked type: the original name is never a path.
        a.case_file.save(f"{secrets.token_hex(16)}{checked.extension}", case_file, save=False)
    a.status = Assignment.Status.CLOSED
    a.outcome = outcome
    a.closing_note = note.strip()
    a.closed_at = now
    a.save()
    _case_event(a, actor, now, _("承办人提交结案：%(o)s。") % {"o": a.get_outcome_display()}, step="closed")
    notices.to_staff(
        notices.unit_staff(a.matter.unit_id),
        a.matter,
        "legalaid.closed",
        _("%(ref)s：承办律师已提交结案材料，请审查。") % {"ref": notices.staff_ref(a.matter)},
        key=f"legalaid:{a.pk}:closed:{now.timestamp()}",
    )
    return a


def subsidy_rate(region_code: str, case_type: str, on: dt.date) -> SubsidyRate | None:
    rows = list(
        SubsidyRate.objects.filter(
            in_force(on), case_type=case_type, region_id__in=standards.chain(region_code)
        )
    )
    return max(rows, key=lambda r: len(r.region_id), default=None)


@transaction.atomic
def do_check_case(
    assignment_id: int,
    *,
    actor: User | None,
    passed: bool,
    note: str,
    score: int | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    """The centre checks the closed case file: 合格 completes the matter and computes the subsidy at the rate in
    force on the closing date; otherwise it goes back to the lawyer."""
    now = _now(now)
    a = _lock_assignment(assignment_id)
    if actor is not None:
        require_capability(actor, DECIDE, a.matter.unit)
    if a.status != Assignment.Status.CLOSED:
        raise ValidationError(_("承办人提交结案后才能审查。"), code="not_closed")
    if score is not None and not 0 <= score <= 100:
        raise ValidationError({"score": _("评分应在 0 到 100 之间。")})
    if score is None:
        # 第五十九条: the quality measures recorded on the case (庭审旁听、征询意见、回访...) give the score.
        score = quality_mean(a)
    a.checked_at = now
    a.checked_by = event_actor(actor)
    a.check_note = note.strip()
    a.quality_score = score
    if not passed:
        if not a.check_note:
            raise ValidationError({"note": _("退回补充须写明审查意见。")})
        a.status = Assignment.Status.RETURNED
        a.save()
        _case_event(a, actor, now, _("案卷审查退回补充：%(n)s") % {"n": a.check_note}, step="returned")
        return a
    a.status = Assignment.Status.CHECKED
    a.save()
    matter_actions.do_complete(
        a.matter.pk,
        actor=actor,
        result=_("法律援助案件已结案（%(o)s），案卷经审查合格。") % {"o": a.get_outcome_display()},
        now=now,
    )
    assert a.closed_at is not None
    rate = subsidy_rate(a.matter.region_id, a.case_type, _local_today(a.closed_at))
    if rate is not None:
        Subsidy.objects.create(assignment=a, rate=rate, amount=rate.amount, computed_at=now)
    return a


@transaction.atomic
def do_approve_subsidy(subsidy_id: int, *, actor: User | None, now: dt.datetime | None = None) -> Subsidy:
    now = _now(now)
    from fawang.matters.workflow import lock as lock_row

    s = lock_row(
        Subsidy.objects.select_related("assignment__matter__unit"),
        subsidy_id,
        _("补贴不存在。"),
        "no_subsidy",
    )
    if actor is not None:
        require_capability(actor, DECIDE, s.assignment.matter.unit)
    if s.status != Subsidy.Status.COMPUTED:
        raise ValidationError(_("该补贴已审批。"), code="approved")
    s.status = Subsidy.Status.APPROVED
    s.approved_at = now
    s.approved_by = event_actor(actor)
    s.save()
    audit.record(
        "legalaid.approve_subsidy",
        actor=actor,
        target=s,
        unit=s.assignment.matter.unit,
        diff=audit.changes({"status": Subsidy.Status.COMPUTED}, {"status": Subsidy.Status.APPROVED}),
        now=now,
    )
    return s


# ---------------------------------------------------------------------------------------------- objections


def objection_review_due(filed: dt.datetime) -> dt.datetime:
    """五日内 from receiving the objection (第四十九条第二款; natural days, the day of receipt not counted), moved
    to the next working day when the fifth day is a rest day (民法典 第二百零三条)."""
    return add_days(filed, OBJECTION_REVIEW_DAYS)


@transaction.atomic
def do_file_objection(
    decision_id: int, *, actor: User | None, reasons: str, now: dt.datetime | None = None
) -> Objection:
    """异议 against a 不予 or 终止 decision, by the person themselves or registered by the centre's staff."""
    now = _now(now)
    decision = Decision.objects.select_related("matter", "matter__unit", "objection_unit").get(pk=decision_id)
    matter = lock(decision.matter_id)
    if actor is not None:
        if is_public(actor):
            require(actor, (), matter, person_matter=matter)
        else:
            require(actor, (DECIDE, "matters.intake"), matter)
    if not decision.objectionable or decision.objection_unit is None:
        raise ValidationError(_("只能对不予法律援助、终止法律援助的决定提出异议。"), code="not_objectionable")
    if decision.objections.filter(outcome="").exists():
        raise ValidationError(_("对该决定的异议正在审查中。"), code="pending")
    if not reasons.strip():
        raise ValidationError({"reasons": _("请写明异议理由。")})
    row = Objection.objects.create(
        decision=decision,
        unit=decision.objection_unit,
        reasons=reasons.strip(),
        filed_at=now,
        due_at=objection_review_due(now),
        filed_by=event_actor(actor),
    )
    event(
        matter,
        MatterEvent.Action.COMMENT,
        actor=actor,
        now=now,
        note=_("对%(no)s提出异议：%(r)s") % {"no": decision.number, "r": row.reasons},
        visible=True,
        payload={"aid_objection": row.pk},
    )
    notices.to_staff(
        notices.unit_staff(row.unit_id),
        matter,
        "legalaid.objection",
        _("%(ref)s：申请人对法律援助决定提出异议，请自收到之日起五日内审查（法律援助法 第四十九条）。")
        % {"ref": notices.staff_ref(matter)},
        key=f"legalaid:objection:{row.pk}",
    )
    return row


@transaction.atomic
def do_decide_objection(
    objection_id: int, *, actor: User | None, correct: bool, note: str, now: dt.datetime | None = None
) -> Objection:
    """维持 (the person is told of 行政复议 and 行政诉讼) or 责令改正 (the application is reopened for a new review)."""
    now = _now(now)
    from fawang.matters.workflow import lock as lock_row

    row = lock_row(
        Objection.objects.select_related("decision", "unit"), objection_id, _("异议不存在。"), "no_objection"
    )
    if actor is not None:
        require_capability(actor, OBJECTION, row.unit)
    if row.outcome:
        raise ValidationError(_("该异议已审查。"), code="decided")
    if not note.strip():
        raise ValidationError({"note": _("请写明审查意见。")})
    row.outcome = Objection.Outcome.CORRECT if correct else Objection.Outcome.MAINTAIN
    row.decision_note = note.strip()
    row.decided_at = now
    row.decided_by = event_actor(actor)
    row.save()
    matter = lock(row.decision.matter_id)
    if correct:
        matter_actions.do_reopen(
            matter.pk,
            actor=None,
            reason=_("%(unit)s审查异议，责令法律援助机构改正：%(n)s")
            % {"unit": row.unit.name, "n": row.decision_note},
            now=now,
        )
        audit.record(
            "legalaid.decide_objection",
            actor=actor,
            target=row,
            unit=row.unit,
            diff=audit.created({"outcome": row.outcome}),
            now=now,
        )
        return row
    ev = event(
        matter,
        MatterEvent.Action.COMMENT,
        actor=actor,
        now=now,
        note=row.decision_note,
        visible=True,
        payload={"aid_objection": row.pk, "outcome": row.outcome},
    )
    notices.to_person(matter, "legalaid.objection_maintained", ev)
    audit.record(
        "legalaid.decide_objection",
        actor=actor,
        target=row,
        unit=row.unit,
        diff=audit.created({"outcome": row.outcome}),
        now=now,
    )
    return row


def decisions_may_object(decision: Decision, user: User) -> bool:
    return decision.objectionable and has_capability(user, DECIDE, decision.matter.unit)


# ------------------------------------------------------------------------- notified defence (通知辩护、通知代理)

# 第三十六条: 法律援助机构收到通知后，应当在三日内指派律师并通知人民法院、人民检察院、公安机关.
NOTIFIED_ASSIGN_DAYS = 3


@dataclass(frozen=True)
class NotificationData:
    organ_kind: str
    organ_name: str
    reference_no: str
    ground: str
    person_name: str
    charge: str
    facts: str
    custody: str = ""
    id_number: str = ""


def _clean_notification(data: NotificationData) -> NotificationData:
    errors: dict[str, str] = {}
    if data.organ_kind not in Organ.values:
        errors["organ_kind"] = _("请选择通知机关的类别（人民法院、人民检察院或公安机关）。")
    if data.ground not in Notification.Ground.values:
        errors["ground"] = _("请选择通知辩护的法定情形（法律援助法 第二十五条、第二十八条）。")
    elif data.ground in Notification.COURT_ONLY and data.organ_kind != Organ.COURT:
        errors["ground"] = _(
            "适用普通程序的刑事案件和强制医疗案件只能由人民法院通知（第二十五条第二款、第二十八条）。"
        )
    for name, message in (
        ("organ_name", _("请填写通知机关的名称。")),
        ("reference_no", _("请填写通知机关的文书编号。")),
        ("person_name", _("请填写犯罪嫌疑人、被告人或者被申请人的姓名。")),
        ("charge", _("请填写涉嫌罪名或案由。")),
    ):
        if not str(getattr(data, name) or "").strip():
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    id_number = (data.id_number or "").strip().upper()
    if id_number:
        from fawang.lib.validators import validate_id_number

        try:
            validate_id_number(id_number)
        except ValidationError as e:
            raise ValidationError({"id_number": e.messages}) from None
    return NotificationData(
        organ_kind=data.organ_kind,
        organ_name=data.organ_name.strip()[:80],
        reference_no=data.reference_no.strip()[:60],
        ground=data.ground,
        person_name=data.person_name.strip()[:32],
        charge=data.charge.strip()[:100],
        facts=(data.facts or "").strip()[:2000],
        custody=(data.custody or "").strip()[:100],
        id_number=id_number,
    )


@transaction.atomic
def do_receive_notification(
    data: NotificationData,
    *,
    centre: Unit,
    actor: User | None,
    partner: NotifyingPartner | None = None,
    now: dt.datetime | None = None,
) -> tuple[Notification, bool]:
    """通知辩护 / 通知代理 (第二十五条、第二十八条) entered in the console by the centre or sent through the signed
    API by the organ. No economic-hardship review: the matter is taken up at once and the three-day clock to
    assign runs (第三十六条). Idempotent on (organ, its document number): a resend returns the first one and
    ``False``."""
    from fawang.catalog.models import Channel, ServiceItem
    from fawang.matters.actions.intake import MatterRequest, PersonData, do_submit

    now = _now(now)
    if actor is not None:
        require_capability(actor, DECIDE, centre)
    if centre.kind != Unit.Kind.LEGAL_AID:
        raise ValidationError(_("通知辩护只能发给法律援助机构。"), code="not_centre")
    data = _clean_notification(data)
    known = Notification.objects.filter(organ_name=data.organ_name, reference_no=data.reference_no).first()
    if known is not None:
        return known, False
    ground = Notification.Ground(data.ground).label
    description = _(
        "%(organ)s通知指派律师担任%(role)s（%(no)s）：%(name)s，%(charge)s；%(ground)s。%(facts)s"
    ) % {
        "organ": data.organ_name,
        "role": _("诉讼代理人") if data.ground == Notification.Ground.COMPULSORY else _("辩护人"),
        "no": data.reference_no,
        "name": data.person_name,
        "charge": data.charge,
        "ground": ground,
        "facts": data.facts,
    }
    submitted = do_submit(
        actor=None,
        person=PersonData(name=data.person_name, id_number=data.id_number),
        requests=[
            MatterRequest(
                service_item=ServiceItem.objects.get(code=ITEM),
                description=description,
                region=centre.region,
                unit=centre,
                unit_reason=_("%(organ)s通知辩护（法律援助法 第二十五条、第三十六条）")
                % {"organ": data.organ_name},
                # The organ may not know the ID number yet (a suspect in custody): the record waits for it.
                id_number_pending=not data.id_number,
            )
        ],
        channel=Channel.MAIL,
        now=now,
    )
    matter = submitted.matters[0]
    row = Notification.objects.create(
        matter=matter,
        centre=centre,
        organ_kind=data.organ_kind,
        organ_name=data.organ_name,
        partner=partner,
        reference_no=data.reference_no,
        ground=data.ground,
        charge=data.charge,
        custody=data.custody,
        received_at=now,
        due_at=add_days(now, NOTIFIED_ASSIGN_DAYS),
        created_by=event_actor(actor),
    )
    matter_actions.do_accept(
        matter.pk,
        actor=None,
        note=_("通知辩护，免予审查经济困难状况；收到通知后三日内指派律师（法律援助法 第三十六条）。"),
        now=now,
    )
    event(
        matter,
        MatterEvent.Action.COMMENT,
        actor=actor,
        now=now,
        note=_("收到%(organ)s的通知（%(no)s），法定情形：%(ground)s。")
        % {
            "organ": data.organ_name,
            "no": data.reference_no,
            "ground": ground,
        },
        payload={"aid_notification": row.pk},
    )
    notices.to_staff(
        notices.unit_staff(centre.pk),
        matter,
        "legalaid.notified",
        _("%(ref)s：%(organ)s通知指派律师，请于三日内指派（法律援助法 第三十六条）。")
        % {"ref": notices.staff_ref(matter), "organ": data.organ_name},
        key=f"legalaid:notification:{row.pk}",
    )
    return row, True


def notification_of(matter: Matter) -> Notification | None:
    return Notification.objects.filter(matter=matter).first()


def _reply_to_organ(
    notification: Notification, assignment: Assignment, actor: User | None, now: dt.datetime
) -> None:
    """第三十六条: the centre tells the organ whom it assigned (the letter is legalaid:notification_letter; a
    partner of the API reads the same through its signed GET)."""
    notification.replied_at = now
    notification.save(update_fields=["replied_at"])
    event(
        assignment.matter,
        MatterEvent.Action.COMMENT,
        actor=actor,
        now=now,
        note=_("已函告%(organ)s：指派%(firm)s律师%(name)s担任%(role)s。")
        % {
            "organ": notification.organ_name,
            "firm": assignment.firm.name,
            "name": assignment.lawyer.practitioner.name,
            "role": notification.role_label,
        },
        payload={"aid_notification": notification.pk, "aid_assignment": assignment.pk},
    )


def notification_outcome(notification: Notification) -> dict[str, Any]:
    """What the notifying organ is told: the centre, whether and whom it assigned (no more than the letter)."""
    assignment = (
        Assignment.objects.filter(matter_id=notification.matter_id)
        .exclude(status=Assignment.Status.TERMINATED)
        .select_related("lawyer__practitioner", "firm")
        .order_by("-assigned_at")
        .first()
    )
    return {
        "reference_no": notification.reference_no,
        "centre": notification.centre.name,
        "received_at": notification.received_at.isoformat(),
        "due_at": notification.due_at.isoformat(),
        "assigned": assignment is not None,
        "assignment_number": assignment.number if assignment else "",
        "lawyer": assignment.lawyer.practitioner.name if assignment else "",
        "licence_no": assignment.lawyer.practitioner.licence_no if assignment else "",
        "firm": assignment.firm.name if assignment else "",
        "assigned_at": assignment.assigned_at.isoformat() if assignment else None,
    }


# -------------------------------------------------------------------------------- duty lawyers (值班律师)


@transaction.atomic
def do_add_station(*, actor: User | None, centre: Unit, kind: str, name: str) -> DutyStation:
    """A court or detention centre where the centre keeps duty lawyers (法律援助工作站)."""
    if actor is not None:
        require_capability(actor, DECIDE, centre)
    if centre.kind != Unit.Kind.LEGAL_AID:
        raise ValidationError(_("只有法律援助机构可以派驻值班律师。"), code="not_centre")
    if kind not in DutyStation.Kind.values:
        raise ValidationError({"kind": _("请选择派驻场所的类别。")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写派驻场所的名称。")})
    if DutyStation.objects.filter(centre=centre, name=name).exists():
        raise ValidationError({"name": _("本机构已有该工作站。")})
    row = DutyStation.objects.create(centre=centre, kind=kind, name=name[:80])
    audit.record(
        "legalaid.add_station",
        actor=actor,
        target=row,
        unit=centre,
        diff=audit.created({"kind": kind, "name": row.name}),
    )
    return row


@transaction.atomic
def do_add_shift(
    *, actor: User | None, station: DutyStation, licence_no: str, on: dt.date, now: dt.datetime | None = None
) -> DutyShift:
    """排班: a lawyer of the centre's roster on duty at the station on a day."""
    now = _now(now)
    if actor is not None:
        require_capability(actor, DECIDE, station.centre)
    lawyer = (
        AidLawyer.objects.filter(centre=station.centre, practitioner__licence_no=licence_no.strip())
        .select_related("practitioner")
        .first()
    )
    if lawyer is None:
        raise ValidationError({"licence_no": _("本机构法律援助人员名册中没有该执业证号。")})
    if lawyer.practitioner.kind != Practitioner.Kind.LAWYER:
        raise ValidationError({"licence_no": _("值班律师须由律师担任（法律援助法 第十四条）。")})
    if lawyer.practitioner.licence_status != Practitioner.LicenceStatus.PRACTISING:
        raise ValidationError({"licence_no": _("该律师不在正常执业状态。")})
    if on < _local_today(now):
        raise ValidationError({"on": _("不能为过去的日期排班。")})
    if DutyShift.objects.filter(station=station, lawyer=lawyer, on=on).exists():
        raise ValidationError({"on": _("该律师当天已在本工作站值班。")})
    row = DutyShift.objects.create(
        station=station,
        lawyer=lawyer,
        on=on,
        created_by=event_actor(actor),
    )
    audit.record(
        "legalaid.add_shift",
        actor=actor,
        target=row,
        unit=station.centre,
        diff=audit.created({"station": station.name, "lawyer": lawyer.practitioner.name, "on": on}),
        now=now,
    )
    return row


@transaction.atomic
def do_log_duty(
    shift_id: int,
    *,
    actor: User | None,
    person_name: str,
    charge: str,
    help_kinds: list[str],
    advice: str,
    now: dt.datetime | None = None,
) -> DutyLog:
    """值班律师工作台账: the help a duty lawyer gave a suspect or defendant without a defender (第三十条)."""
    now = _now(now)
    shift = (
        DutyShift.objects.select_related("station__centre", "lawyer__practitioner")
        .filter(pk=shift_id)
        .first()
    )
    if shift is None:
        raise ValidationError(_("值班记录不存在。"), code="no_shift")
    if actor is not None:
        require_capability(actor, DECIDE, shift.station.centre)
    if shift.on > _local_today(now):
        raise ValidationError(_("值班日到来后才能记录。"), code="not_yet")
    labels = dict(HELP_KINDS)
    kinds = [kind for kind in dict.fromkeys(help_kinds) if kind in labels]
    errors: dict[str, str] = {}
    if not person_name.strip():
        errors["person_name"] = _("请填写受帮助人的姓名。")
    if not kinds:
        errors["help_kinds"] = _("请选择提供的法律帮助类别（法律援助法 第三十条）。")
    if not advice.strip():
        errors["advice"] = _("请填写提供的法律帮助内容。")
    if errors:
        raise ValidationError(errors)
    row = DutyLog.objects.create(
        shift=shift,
        person_name=person_name.strip()[:32],
        charge=charge.strip()[:100],
        help_kinds=kinds,
        advice=advice.strip(),
        created_by=event_actor(actor),
        created_at=now,
    )
    audit.record(
        "legalaid.log_duty",
        actor=actor,
        target=row,
        unit=shift.station.centre,
        diff=audit.created({"shift": shift.pk, "help_kinds": kinds}),
        now=now,
    )
    return row


# ---------------------------------------------------------------------------------- quality (第五十九条)


@transaction.atomic
def do_add_quality(
    assignment_id: int,
    *,
    actor: User | None,
    kind: str,
    happened_on: dt.date,
    score: int,
    note: str,
    source: str = "",
    now: dt.datetime | None = None,
) -> QualityRecord:
    """One quality measure on a case (第五十九条): 庭审旁听, 案卷检查, 征询办案机关意见 or 回访受援人, with a score
    (0–100); the centre's staff record it, and the check of the closed case takes the mean of these."""
    now = _now(now)
    assignment = _lock_assignment(assignment_id)
    if actor is not None:
        require_capability(actor, DECIDE, assignment.matter.unit)
    if assignment.status in (Assignment.Status.TERMINATED, Assignment.Status.CHECKED):
        raise ValidationError(
            _("该指派当前状态为“%(s)s”，不能再记录质量监督。") % {"s": assignment.get_status_display()},
            code="invalid_transition",
        )
    errors: dict[str, str] = {}
    if kind not in QualityRecord.Kind.values:
        errors["kind"] = _("请选择质量监督的方式。")
    if score is None or not 0 <= score <= 100:
        errors["score"] = _("评分应在 0 到 100 之间。")
    if not note.strip():
        errors["note"] = _("请填写情况。")
    if happened_on > _local_today(now):
        errors["happened_on"] = _("日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    row = QualityRecord.objects.create(
        assignment=assignment,
        kind=kind,
        happened_on=happened_on,
        source=source.strip()[:100],
        score=score,
        note=note.strip(),
        created_by=event_actor(actor),
        created_at=now,
    )
    _case_event(
        assignment,
        actor,
        now,
        _("质量监督（%(kind)s）：%(score)s 分。") % {"kind": row.get_kind_display(), "score": score},
        quality=row.pk,
    )
    return row


def quality_mean(assignment: Assignment) -> int | None:
    scores = [r.score for r in assignment.quality_records.all()]
    if not scores:
        return None
    return round(sum(scores) / len(scores))


@transaction.atomic
def add_notifying_partner(*, name: str, kind: str, key_id: str, centre: Unit) -> tuple[NotifyingPartner, str]:
    """登记通知辩护对接单位: a court, procuratorate or police organ that notifies ``centre`` through the signed API.
    Returns the partner and its new signing secret (shown once; kept encrypted)."""
    import secrets as token

    if kind not in Organ.values:
        raise ValidationError(_("通知机关类别无效。"), code="kind")
    if centre.kind != Unit.Kind.LEGAL_AID:
        raise ValidationError(_("只能对接法律援助机构。"), code="not_centre")
    name, key_id = name.strip(), key_id.strip()
    if not name or not key_id:
        raise ValidationError(_("请填写对接单位名称和接入标识。"), code="blank")
    if NotifyingPartner.objects.filter(Q(key_id=key_id) | Q(name=name)).exists():
        raise ValidationError(_("该对接单位或接入标识已登记。"), code="duplicate")
    secret = token.token_urlsafe(32)
    partner = NotifyingPartner.objects.create(
        name=name, kind=kind, key_id=key_id, secret=secret, centre=centre
    )
    audit.record(
        "legalaid.add_partner",
        actor=None,
        target=partner,
        unit=centre,
        diff=audit.created({"name": name, "kind": kind, "key_id": key_id}),
    )
    return partner, secret
