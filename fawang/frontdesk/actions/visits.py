"""上门服务 on a matter: arranging the visit (date, who goes) and recording it. Registered as matter actions
(fawang.frontdesk.visits), so the matter page's forms, the API endpoints and the role matrix come from one
definition; each writes a MatterEvent (an internal note) in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.matters import actions as matter_actions
from fawang.matters import workflow
from fawang.matters.models import Matter
from fawang.orgs.authority import has_matter_capability
from fawang.orgs.models import Membership

from ..models import HomeVisit

if TYPE_CHECKING:
    from fawang.accounts.models import User

CAPS = ("matters.intake", "matters.handle")


def _may(actor: User, matter: Matter) -> None:
    if not any(has_matter_capability(actor, cap, matter.unit, matter.intake_unit) for cap in CAPS):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))


def visitors_for(matter: Matter) -> list[int]:
    """Who may be sent: staff with an active role at the matter's unit or the unit that took it in."""
    units = [u for u in (matter.unit_id, matter.intake_unit_id) if u]
    return list(
        Membership.objects.active().filter(unit_id__in=units).values_list("user_id", flat=True).distinct()
    )


@transaction.atomic
def do_schedule_visit(
    matter_id: int,
    *,
    actor: User,
    group: str,
    asked_by: str,
    address: str,
    scheduled_on: dt.date,
    visitor: User,
    now: dt.datetime | None = None,
) -> HomeVisit:
    """安排上门: who goes, when; again to change the date or the visitor before the visit."""
    now = workflow.now(now)
    matter = workflow.lock(
        Matter.objects.select_related("unit", "intake_unit"), matter_id, _("事项不存在。"), "no_matter"
    )
    _may(actor, matter)
    errors: dict[str, str] = {}
    if scheduled_on < timezone.localtime(now).date():
        errors["scheduled_on"] = _("上门日期不能早于今天。")
    if visitor.pk not in visitors_for(matter):
        errors["visitor"] = _("请选择本事项办理机构或受理点的工作人员。")
    address = (address or "").strip()[:200]
    if not address:
        errors["address"] = _("请填写上门地址。")
    if group not in HomeVisit.Group.values:
        errors["group"] = _("请选择服务对象类别。")
    if asked_by not in HomeVisit.AskedBy.values:
        errors["asked_by"] = _("请选择申请人。")
    visit = HomeVisit.objects.select_for_update().filter(matter=matter).first()
    if visit is not None and visit.status == HomeVisit.Status.VISITED:
        raise ValidationError(_("已上门服务，不能再安排。"), code="visited")
    if errors:
        raise ValidationError(errors)
    visit = visit or HomeVisit(matter=matter, created_at=now)
    visit.group, visit.asked_by, visit.address = group, asked_by, address
    visit.scheduled_on, visit.visitor = scheduled_on, visitor
    visit.save()
    matter_actions.do_comment(
        matter.pk,
        actor=actor,
        text=_("安排上门服务：%(date)s，%(who)s")
        % {"date": f"{scheduled_on:%Y-%m-%d}", "who": visitor.display_name or visitor.get_username()},
        now=now,
    )
    return visit


@transaction.atomic
def do_record_visit(
    matter_id: int, *, actor: User, record: str, follow_up: str = "", now: dt.datetime | None = None
) -> HomeVisit:
    """上门记录: what was done and what follows; signatures and photos go on the matter as attachments."""
    now = workflow.now(now)
    matter = workflow.lock(
        Matter.objects.select_related("unit", "intake_unit"), matter_id, _("事项不存在。"), "no_matter"
    )
    _may(actor, matter)
    record = (record or "").strip()
    if not record:
        raise ValidationError({"record": _("请填写上门服务记录。")})
    visit = HomeVisit.objects.select_for_update().filter(matter=matter).first()
    if visit is None:
        # A visit made without an arrangement on the platform (the advisor was in the village anyway).
        visit = HomeVisit(
            matter=matter,
            group=HomeVisit.Group.OTHER,
            asked_by=HomeVisit.AskedBy.STAFF,
            address="",
            created_at=now,
        )
    if visit.status == HomeVisit.Status.VISITED:
        raise ValidationError(_("该事项已有上门记录。"), code="visited")
    visit.record, visit.follow_up = record[:5000], (follow_up or "").strip()[:2000]
    visit.status, visit.visited_at = HomeVisit.Status.VISITED, now
    visit.visitor = visit.visitor or actor
    visit.save()
    matter_actions.do_comment(
        matter.pk, actor=actor, text=_("上门服务记录：%(r)s") % {"r": record[:1800]}, now=now
    )
    return visit
