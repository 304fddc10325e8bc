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

from fawang.catalog.models import Channel, ServiceItem
from fawang.citizens.actions import has_real_name, own_person
from fawang.matters import actions as matter_actions
from fawang.matters import workflow
from fawang.matters.actions import MatterRequest
from fawang.matters.actions.base import lock as lock_matter
from fawang.matters.models import Matter
from fawang.orgs.authority import has_matter_capability
from fawang.orgs.models import Membership

from ..models import HomeVisit

if TYPE_CHECKING:
    from fawang.accounts.models import User
    from fawang.regions.models import Region

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
    matter = lock_matter(matter_id)
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
    visit.status = HomeVisit.Status.SCHEDULED
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
    matter = lock_matter(matter_id)
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


# Who may ask online: the person, or a relative for them (the village and staff ask at the window or by phone).
PUBLIC_ASKERS = (HomeVisit.AskedBy.SELF, HomeVisit.AskedBy.RELATIVE)


@transaction.atomic
def do_request_visit(
    *,
    actor: User,
    group: str,
    asked_by: str,
    address: str,
    region: Region,
    description: str,
    visitee_name: str = "",
    key: str = "",
    now: dt.datetime | None = None,
) -> HomeVisit:
    """上门服务申请 from the portal: a matter of 法律咨询 on the web channel for the account's own person record,
    routed by the place like an online consultation, with the visit beside it waiting for staff to schedule
    (待安排). ``key`` (the form's) makes a resend return the first request."""
    if not workflow.is_public(actor):
        raise PermissionDenied(_("请使用公众账号申请上门服务。"))
    if not has_real_name(actor):
        raise ValidationError(_("请先填写实名信息。"), code="no_real_name")
    errors: dict[str, str] = {}
    if group not in HomeVisit.Group.values:
        errors["group"] = _("请选择服务对象类别。")
    if asked_by not in PUBLIC_ASKERS:
        errors["asked_by"] = _("请选择申请人。")
    visitee_name = (visitee_name or "").strip()[:32]
    if asked_by == HomeVisit.AskedBy.RELATIVE and not visitee_name:
        errors["visitee_name"] = _("亲属代为申请的，请填写需要上门服务的人的姓名。")
    address = (address or "").strip()[:200]
    if not address:
        errors["address"] = _("请填写上门地址。")
    description = (description or "").strip()
    if not description:
        errors["description"] = _("请简要说明需要什么帮助。")
    if errors:
        raise ValidationError(errors)
    item = ServiceItem.objects.filter(code="consultation").first()
    if item is None:
        raise ValidationError(_("服务事项目录中没有“法律咨询”事项，请联系管理员。"), code="no_item")
    key = "".join(c for c in key if c.isalnum())[:32]
    heading = _("【上门服务申请】%(group)s，%(who)s申请。") % {
        "group": HomeVisit.Group(group).label,
        "who": HomeVisit.AskedBy(asked_by).label,
    }
    result = matter_actions.do_submit(
        actor=actor,
        person=own_person(actor),
        requests=[MatterRequest(service_item=item, description=f"{heading}\n{description}", region=region)],
        channel=Channel.WEB,
        idempotency_key=f"me:{actor.pk}:home-visit:{key}" if key else None,
        now=now,
    )
    matter = result.matters[0]
    visit = HomeVisit.objects.filter(matter=matter).first()
    if visit is not None:  # the same form sent again
        return visit
    return HomeVisit.objects.create(
        matter=matter,
        group=group,
        asked_by=asked_by,
        visitee_name=visitee_name if asked_by == HomeVisit.AskedBy.RELATIVE else "",
        address=address,
        status=HomeVisit.Status.REQUESTED,
        created_at=workflow.now(now),
    )
