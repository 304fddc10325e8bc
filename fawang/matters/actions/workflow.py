"""Back-office moves of a matter: accept, reject, materials, assign, transfer, change of item, escalate,
suspend/resume, complete, close, reopen, comment, merge, attachments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.calendar.workdays import add_workdays
from fawang.catalog.models import ServiceItem, Step
from fawang.orgs.models import Membership, Unit

from .. import deadlines, lines, notices
from ..models import (
    Attachment,
    Matter,
    MatterEvent,
)
from ..routing import supervising_unit
from ..uploads import check_upload
from ..workflow import event_actor
from .base import (
    HANDLER_ROLES,
    _event,
    _is_public,
    _lock,
    _notify_unit,
    _now,
    _require,
    _required_text,
    _staff,
    accept_locked,
    check_transition,
    close_locked,
    complete_locked,
)
from .intake import MatterRequest, _route_for

if TYPE_CHECKING:
    from fawang.accounts.models import User


@transaction.atomic
def do_accept(
    matter_id: int, *, actor: User | None, note: str = "", now: dt.datetime | None = None
) -> Matter:
    """受理 (for legal aid: the decision to grant it). Starts the assign or complete clock."""
    now = _now(now)
    matter = _lock(matter_id)
    _require(actor, "matters.handle", matter)
    accept_locked(matter, actor=actor, now=now, note=note.strip())
    return matter


@transaction.atomic
def do_reject(matter_id: int, *, actor: User | None, reason: str, now: dt.datetime | None = None) -> Matter:
    """不予受理 (for legal aid: 不予法律援助, told in writing with the reason, 法律援助法 第四十三条)."""
    now = _now(now)
    reason = _required_text(reason, _("请填写不予受理的理由。"), "no_reason")
    matter = _lock(matter_id)
    _require(actor, "matters.handle", matter)
    old = check_transition(matter, Matter.Status.REJECTED, _("作出不予受理决定"), action="reject")
    matter.status = Matter.Status.REJECTED
    deadlines.stop_clock(matter)
    matter.save()
    event = _event(
        matter, MatterEvent.Action.REJECT, actor=actor, now=now, old_status=old, note=reason, visible=True
    )
    notices.to_person(matter, "matter.rejected", event)
    return matter


@transaction.atomic
def do_request_materials(
    matter_id: int,
    *,
    actor: User | None,
    missing: Sequence[str],
    note: str = "",
    now: dt.datetime | None = None,
) -> Matter:
    """一次性告知: everything missing, at once. The clock stops until the materials are supplied; if they never
    are within the item's supply limit, the request counts as withdrawn (法律援助法 第四十三条第二款)."""
    now = _now(now)
    items = list(dict.fromkeys(m.strip() for m in missing if m and m.strip()))
    if not items:
        raise ValidationError(_("请一次性列出需要补正的全部材料。"), code="no_missing")
    matter = _lock(matter_id)
    _require(actor, "matters.handle", matter)
    old = check_transition(
        matter, Matter.Status.AWAITING_MATERIALS, _("要求补正材料"), action="request_materials"
    )
    matter.status = Matter.Status.AWAITING_MATERIALS
    matter.resume_status = old
    deadlines.pause_clock(matter, now)
    matter.materials_due_at = add_workdays(now, matter.service_item.supply_limit_workdays)
    matter.save()
    event = _event(
        matter,
        MatterEvent.Action.REQUEST_MATERIALS,
        actor=actor,
        now=now,
        old_status=old,
        note=note.strip(),
        visible=True,
        payload={"missing": items, "due_at": matter.materials_due_at.isoformat()},
    )
    notices.to_person(matter, "matter.materials_requested", event)
    return matter


@transaction.atomic
def do_supply_materials(
    matter_id: int, *, actor: User | None, note: str = "", now: dt.datetime | None = None
) -> Matter:
    """The person has supplied what was asked for (online, at a window, by post): the clock runs again,
    later by the days it stood still."""
    now = _now(now)
    matter = _lock(matter_id)
    _require(actor, ("matters.intake", "matters.handle"), matter, person_matter=matter)
    old = check_transition(
        matter, matter.resume_status or Matter.Status.SUBMITTED, _("补正材料"), action="supply_materials"
    )
    matter.status = matter.resume_status or Matter.Status.SUBMITTED
    matter.resume_status = ""
    matter.materials_due_at = None
    deadlines.resume_clock(matter, now)
    matter.save()
    event = _event(
        matter,
        MatterEvent.Action.SUPPLY_MATERIALS,
        actor=actor,
        now=now,
        old_status=old,
        note=note.strip(),
        visible=True,
    )
    _notify_unit(
        matter,
        "matter.materials_supplied",
        _("%(ref)s已补正材料，请继续办理。") % {"ref": notices.staff_ref(matter)},
        event,
    )
    return matter


@transaction.atomic
def withdraw_if_never_supplied(matter_id: int, *, now: dt.datetime | None = None) -> bool:
    """System job: a request whose materials were never supplied by the deadline counts as withdrawn
    (法律援助法 第四十三条第二款 "视为撤回申请"). False when it is no longer waiting or not yet due."""
    now = _now(now)
    matter = _lock(matter_id)
    if (
        matter.status != Matter.Status.AWAITING_MATERIALS
        or matter.materials_due_at is None
        or matter.materials_due_at > now
    ):
        return False
    _withdraw(
        matter,
        actor=None,
        now=now,
        note=_("申请人未在补正期限内补正材料，视为撤回申请。"),
        payload={"automatic": True},
    )
    return True


@transaction.atomic
def do_withdraw(
    matter_id: int, *, actor: User | None, reason: str = "", now: dt.datetime | None = None
) -> Matter:
    """The person withdraws their request (themselves online, or through staff)."""
    now = _now(now)
    matter = _lock(matter_id)
    _require(actor, ("matters.intake", "matters.handle"), matter, person_matter=matter)
    _withdraw(matter, actor=actor, now=now, note=reason.strip())
    return matter


def _withdraw(
    matter: Matter,
    *,
    actor: User | None,
    now: dt.datetime,
    note: str,
    payload: dict[str, object] | None = None,
) -> None:
    """撤回 of the locked matter (by the person, or deemed when materials never came): nothing is awaited any
    more, the clock stops, the WITHDRAW event and the person's notice."""
    old = check_transition(matter, Matter.Status.WITHDRAWN, _("撤回"), action="withdraw")
    matter.status = Matter.Status.WITHDRAWN
    matter.materials_due_at = None
    matter.resume_status = ""
    deadlines.stop_clock(matter)
    matter.save()
    event = _event(
        matter,
        MatterEvent.Action.WITHDRAW,
        actor=actor,
        now=now,
        old_status=old,
        note=note,
        visible=True,
        payload=payload,
    )
    notices.to_person(matter, "matter.withdrawn", event)


def _check_handler(matter: Matter, handler: User) -> None:
    ok = (
        Membership.objects.active()
        .filter(user=handler, unit_id=matter.unit_id, role__in=HANDLER_ROLES)
        .exists()
    )
    if not ok or not handler.is_active:
        raise ValidationError(
            _("承办人须为%(unit)s在岗的承办人员。") % {"unit": matter.unit.name}, code="bad_handler"
        )


@transaction.atomic
def do_assign(
    matter_id: int, *, actor: User | None, handler: User, note: str = "", now: dt.datetime | None = None
) -> Matter:
    """分派 (for legal aid: 指派, within three days of deciding). Reassigning an in-progress matter keeps
    its clock."""
    now = _now(now)
    matter = _lock(matter_id)
    _require(actor, "matters.assign", matter)
    old = check_transition(matter, Matter.Status.IN_PROGRESS, _("分派"), action="assign")
    if old == Matter.Status.IN_PROGRESS and matter.handler_id == handler.pk:
        raise ValidationError(_("该事项已由此人承办。"), code="same_handler")
    _check_handler(matter, handler)
    previous = matter.handler_id
    matter.handler = handler
    matter.status = Matter.Status.IN_PROGRESS
    if old == Matter.Status.ACCEPTED:
        deadlines.start_step(matter, Step.COMPLETE, now)
    matter.save()
    event = _event(
        matter,
        MatterEvent.Action.ASSIGN,
        actor=actor,
        now=now,
        old_status=old,
        note=note.strip(),
        visible=old == Matter.Status.ACCEPTED,
        payload={"handler": handler.pk, "previous": previous},
    )
    notices.to_staff(
        [handler],
        matter,
        "matter.assigned",
        _("您有新分派的事项：%(ref)s。") % {"ref": notices.staff_ref(matter)},
        key=f"matter:{matter.pk}:assigned:{event.pk}",
    )
    if old == Matter.Status.ACCEPTED:
        notices.to_person(matter, "matter.assigned", event)
    return matter


@transaction.atomic
def do_transfer(
    matter_id: int, *, actor: User | None, unit: Unit, reason: str, now: dt.datetime | None = None
) -> Matter:
    """转办 to another unit (cross-level, cross-platform): same matter, person and history; the new unit
    accepts it anew, so its accept clock starts now. To an outside hotline (12345, 12315, 110) it is a
    hand-over that ends our clock and waits for their ticket and outcome (``handover.do_hand_over``)."""
    if unit.kind == Unit.Kind.HOTLINE:
        from .handover import do_hand_over

        return do_hand_over(matter_id, actor=actor, hotline=unit, reason=reason, now=now)
    now = _now(now)
    reason = _required_text(reason, _("转办须说明理由。"), "no_reason")
    matter = _lock(matter_id)
    _require(actor, "matters.transfer", matter)
    old = check_transition(matter, Matter.Status.SUBMITTED, _("转办"), action="transfer")
    if unit.pk == matter.unit_id:
        raise ValidationError(_("该事项已在%(unit)s办理，无需转办。") % {"unit": unit.name}, code="same_unit")
    if not unit.is_active:
        raise ValidationError(_("不能转办给已停用的机构。"), code="unit_inactive")
    _accept_anew(
        matter,
        unit,
        MatterEvent.Action.TRANSFER,
        actor=actor,
        now=now,
        old_status=old,
        reason=reason,
        notice="matter.transferred",
    )
    return matter


def _accept_anew(
    matter: Matter,
    unit: Unit,
    action: str,
    *,
    actor: User | None,
    now: dt.datetime,
    old_status: str,
    reason: str,
    notice: str,
    payload: dict[str, object] | None = None,
) -> None:
    """The matter goes to ``unit`` (transfer) or is routed again (change of item) to be accepted anew: no
    handler, 已提交 and not completed, the accept clock running from now; the event (``action``, with the unit it
    left) and the person's ``notice``."""
    old_unit = matter.unit
    matter.unit = unit
    matter.handler = None
    matter.status = Matter.Status.SUBMITTED
    matter.completed_at = None
    deadlines.start_step(matter, Step.ACCEPT, now)
    matter.save()
    event = _event(
        matter,
        action,
        actor=actor,
        now=now,
        old_status=old_status,
        old_unit=old_unit,
        note=reason,
        visible=True,
        payload=payload,
    )
    notices.to_person(matter, notice, event)


@transaction.atomic
def do_change_item(
    matter_id: int,
    *,
    actor: User | None,
    service_item: ServiceItem,
    reason: str,
    unit: Unit | None = None,
    unit_reason: str = "",
    now: dt.datetime | None = None,
) -> Matter:
    """跨业务流转: the matter becomes a request for another item (a consultation becomes a legal-aid
    application) and is routed again. Same matter, person and history; the change is an event."""
    now = _now(now)
    reason = _required_text(reason, _("请说明转换事项的理由。"), "no_reason")
    matter = _lock(matter_id)
    _require(actor, ("matters.intake", "matters.handle"), matter)
    old = check_transition(matter, Matter.Status.SUBMITTED, _("转换事项"), action="change_item")
    if service_item.pk == matter.service_item_id:
        raise ValidationError(_("该事项已是“%(item)s”。") % {"item": service_item.name}, code="same_item")
    req = MatterRequest(
        service_item=service_item,
        description=matter.description,
        region=matter.region,
        unit=unit,
        unit_reason=unit_reason,
    )
    if not service_item.is_active:
        raise ValidationError(_("“%(item)s”已停止受理。") % {"item": service_item.name}, code="item_inactive")
    if service_item.requires_id_number and not matter.person.id_number_hash:
        raise ValidationError(
            {"id_number": [_("办理“%(item)s”须登记服务对象的身份证号码。") % {"item": service_item.name}]}
        )
    if unit is not None and not unit_reason.strip():
        raise ValidationError(_("人工指定办理机构须说明理由。"), code="no_unit_reason")
    route = _route_for(req, None)
    old_item = matter.service_item
    matter.service_item = service_item
    _accept_anew(
        matter,
        route.unit,
        MatterEvent.Action.CHANGE_ITEM,
        actor=actor,
        now=now,
        old_status=old,
        reason=reason,
        notice="matter.item_changed",
        payload={
            "old_item": old_item.pk,
            "old_item_name": old_item.name,
            "new_item": service_item.pk,
            "new_item_name": service_item.name,
            "route": route.how,
            "unit_reason": unit_reason.strip(),
        },
    )
    return matter


@transaction.atomic
def do_escalate(matter_id: int, *, actor: User | None, reason: str, now: dt.datetime | None = None) -> Matter:
    """督办升级 by hand: the supervising bureau is told and the matter shows in its escalated list."""
    now = _now(now)
    reason = _required_text(reason, _("请说明升级督办的理由。"), "no_reason")
    matter = _lock(matter_id)
    _require(actor, "matters.escalate", matter)
    check_transition(matter, None, _("升级督办"), action="escalate")
    bureau = supervising_unit(matter.unit)
    if bureau is None:
        raise ValidationError(
            _("未找到%(unit)s的主管司法局。") % {"unit": matter.unit.name}, code="no_supervisor"
        )
    matter.escalated_at = now
    matter.escalated_to = bureau
    matter.save(update_fields=["escalated_at", "escalated_to", "updated_at"])
    event = _event(
        matter,
        MatterEvent.Action.ESCALATE,
        actor=actor,
        now=now,
        note=reason,
        payload={"automatic": False, "escalated_to": bureau.pk},
    )
    notices.to_staff(
        notices.supervisors(bureau.pk),
        matter,
        "matter.escalated",
        _("%(ref)s已提请督办：%(reason)s") % {"ref": notices.staff_ref(matter), "reason": reason},
        key=f"matter:{matter.pk}:escalated:{event.pk}",
    )
    return matter


@transaction.atomic
def do_suspend(matter_id: int, *, actor: User | None, reason: str, now: dt.datetime | None = None) -> Matter:
    """中止: the clock stops (e.g. waiting for a court or an appraisal)."""
    now = _now(now)
    reason = _required_text(reason, _("请填写中止的理由。"), "no_reason")
    matter = _lock(matter_id)
    _require(actor, "matters.handle", matter)
    old = check_transition(matter, Matter.Status.SUSPENDED, _("中止"), action="suspend")
    matter.status = Matter.Status.SUSPENDED
    matter.resume_status = old
    deadlines.pause_clock(matter, now)
    matter.save()
    _event(
        matter, MatterEvent.Action.SUSPEND, actor=actor, now=now, old_status=old, note=reason, visible=True
    )
    return matter


@transaction.atomic
def do_resume(
    matter_id: int, *, actor: User | None, note: str = "", now: dt.datetime | None = None
) -> Matter:
    now = _now(now)
    matter = _lock(matter_id)
    _require(actor, "matters.handle", matter)
    target = matter.resume_status or (
        Matter.Status.IN_PROGRESS if matter.handler_id else Matter.Status.ACCEPTED
    )
    old = check_transition(matter, target, _("恢复办理"), action="resume")
    matter.status = target
    matter.resume_status = ""
    deadlines.resume_clock(matter, now)
    matter.save()
    _event(
        matter,
        MatterEvent.Action.RESUME,
        actor=actor,
        now=now,
        old_status=old,
        note=note.strip(),
        visible=True,
    )
    return matter


@transaction.atomic
def do_complete(matter_id: int, *, actor: User | None, result: str, now: dt.datetime | None = None) -> Matter:
    """办结 with the result the person is told (结果及时反馈). A matter nobody was assigned to gets the staff member
    who completes it as its handler of record (承办人): whoever answers is accountable for the answer."""
    now = _now(now)
    result = _required_text(result, _("请填写办理结果。"), "no_result")
    matter = _lock(matter_id)
    _require(actor, "matters.handle", matter)
    complete_locked(matter, actor=actor, now=now, result=result, handler=_staff(actor))
    return matter


@transaction.atomic
def do_close(matter_id: int, *, actor: User | None, note: str = "", now: dt.datetime | None = None) -> Matter:
    """关闭 a completed matter (after its evaluation and callbacks)."""
    now = _now(now)
    matter = _lock(matter_id)
    _require(actor, ("matters.handle", "matters.supervise"), matter)
    close_locked(matter, actor=actor, now=now, note=note.strip())
    return matter


@transaction.atomic
def do_reopen(matter_id: int, *, actor: User | None, reason: str, now: dt.datetime | None = None) -> Matter:
    """重新办理: a completed or closed matter goes back to its handler (or to acceptance); a rejected or
    withdrawn one back to the start (e.g. after an objection is upheld, 法律援助法 第四十九条)."""
    now = _now(now)
    reason = _required_text(reason, _("请说明重新办理的理由。"), "no_reason")
    matter = _lock(matter_id)
    _require(actor, "matters.reopen", matter)
    if matter.status in (Matter.Status.COMPLETED, Matter.Status.CLOSED):
        target, step = (
            (Matter.Status.IN_PROGRESS, Step.COMPLETE)
            if matter.handler_id
            else (Matter.Status.ACCEPTED, deadlines.next_step_after_accept(matter))
        )
    else:
        target, step = Matter.Status.SUBMITTED, Step.ACCEPT
    old = check_transition(matter, target, _("重新办理"), action="reopen")
    matter.status = target
    matter.completed_at = None
    matter.closed_at = None
    deadlines.start_step(matter, step, now)
    matter.save()
    event = _event(
        matter, MatterEvent.Action.REOPEN, actor=actor, now=now, old_status=old, note=reason, visible=True
    )
    notices.to_person(matter, "matter.reopened", event)
    return matter


@transaction.atomic
def do_comment(
    matter_id: int, *, actor: User | None, text: str, visible: bool = False, now: dt.datetime | None = None
) -> MatterEvent:
    """A note on the matter: internal (staff only) or visible to the person. A comment by the person is
    always visible and tells the handler; a visible one by staff (an answer) tells the person."""
    now = _now(now)
    text = _required_text(text, _("请填写留言内容。"), "no_text")
    matter = _lock(matter_id)
    _require(actor, "matters.comment", matter, person_matter=matter)
    check_transition(matter, None, _("留言"), action="comment")
    by_person = _is_public(actor)
    acceptance = (
        lines.answer_accepts(matter)
        if visible and not by_person and matter.status == Matter.Status.SUBMITTED
        else ""
    )
    if acceptance:
        # The line says answering takes the matter in (fawang.consult), so "已提交" keeps meaning
        # "nobody has answered yet" in the queues. The answer is the service the time limit promised (答复 within
        # the item's limit), so no clock runs after it: what remains is the person's 已解决 or staff's 办结. The
        # person is told of the answer, not of the acceptance as well. Window clerks and hotline agents answer
        # without the right to accept other matters; this follows from their answer, it is not a choice.
        accept_locked(matter, actor=actor, now=now, note=_(acceptance), tell=False, clock=False)
    event = _event(
        matter,
        MatterEvent.Action.COMMENT,
        actor=actor,
        now=now,
        note=text,
        visible=visible or by_person,
        payload={"by_person": by_person},
    )
    if by_person:
        _notify_unit(
            matter,
            "matter.comment",
            _("%(ref)s服务对象留言：%(text)s") % {"ref": notices.staff_ref(matter), "text": text},
            event,
        )
    elif visible:
        # An answer the person can see (a consultation's reply, a note on their request): tell them, so that
        # an answer given in the thread is not one they have to come back to find.
        notices.to_person(matter, "matter.answered", event)
    return event


@transaction.atomic
def do_merge(
    keep_id: int, dupe_ids: Sequence[int], *, actor: User | None, reason: str, now: dt.datetime | None = None
) -> Matter:
    """合并 duplicates of the same person into the matter kept; the duplicates end as 已合并 and point to it."""
    now = _now(now)
    reason = _required_text(reason, _("请说明合并的理由。"), "no_reason")
    ids = sorted({keep_id, *dupe_ids})
    if keep_id in dupe_ids or len(ids) < 2:
        raise ValidationError(_("请选择要合并到本事项的其他事项。"), code="nothing_to_merge")
    # Lock in id order, so two merges of overlapping sets cannot deadlock.
    locked = {m.pk: m for m in (_lock(pk) for pk in ids)}
    keep = locked[keep_id]
    check_transition(keep, None, _("合并其他事项"), action="merge")
    _require(actor, "matters.handle", keep)
    dupes = [locked[pk] for pk in ids if pk != keep_id]
    for dupe in dupes:
        if dupe.person_id != keep.person_id:
            raise ValidationError(_("只能合并同一服务对象的重复事项。"), code="other_person")
        _require(actor, "matters.handle", dupe)
        check_transition(dupe, Matter.Status.MERGED, _("合并"), action="merged")
    for dupe in dupes:
        old = dupe.status
        dupe.status = Matter.Status.MERGED
        dupe.parent = keep
        dupe.materials_due_at = None
        deadlines.stop_clock(dupe)
        dupe.save()
        _event(
            dupe,
            MatterEvent.Action.MERGE,
            actor=actor,
            now=now,
            old_status=old,
            note=reason,
            visible=True,
            payload={"into": keep.pk, "into_tracking_no": keep.tracking_no},
        )
    _event(
        keep,
        MatterEvent.Action.MERGE,
        actor=actor,
        now=now,
        note=reason,
        visible=True,
        payload={"merged": [d.pk for d in dupes], "merged_tracking_nos": [d.tracking_no for d in dupes]},
    )
    return keep


@transaction.atomic
def add_attachment(
    matter_id: int, *, actor: User | None, upload: UploadedFile, material_id: int | None = None
) -> Attachment:
    """Store a file for a matter after checking its type (by content) and size."""
    matter = _lock(matter_id)
    _require(actor, ("matters.intake", "matters.handle"), matter, person_matter=matter)
    check_transition(matter, None, _("上传材料"), action="attach")
    material = None
    if material_id is not None:
        material = matter.service_item.materials.filter(pk=material_id).first()
        if material is None:
            raise ValidationError(_("所选材料不属于该服务事项。"), code="bad_material")
    if upload.file is None:
        raise ValidationError(_("文件为空，请重新选择。"), code="empty_file")
    checked = check_upload(upload.file, upload.size)
    attachment = Attachment(
        matter=matter,
        material=material,
        original_name=(upload.name or "")[-200:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=event_actor(actor),
    )
    attachment.extension = checked.extension
    attachment.file.save(upload.name or "upload", upload, save=False)
    attachment.save()
    _event(
        matter,
        MatterEvent.Action.ATTACH,
        actor=actor,
        now=timezone.now(),
        note=attachment.original_name,
        visible=True,
        payload={"attachment": attachment.pk, "material": material.pk if material else None},
    )
    return attachment
