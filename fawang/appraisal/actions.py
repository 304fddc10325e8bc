"""The only writers of the appraisal line: the licensed categories of an institution and of its appraisers (a
decision of the 司法局 covering the institution, audited), and the entrustment (委托) of a request to a licensed
institution (the matter's own transfer when it goes elsewhere, and an event the person sees)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.matters import actions as matter_actions
from fawang.matters.actions.base import event, lock, require
from fawang.matters.models import Matter, MatterEvent
from fawang.orgs.authority import group_of, membership_reaches, reaches_everything
from fawang.orgs.models import Practitioner, Unit
from fawang.orgs.roles import CAPABILITIES
from fawang.orgs.scoping import active_memberships

from .models import AppraisalRequest, AppraiserCategory, Category, InstitutionCategory
from .routing import holds, licensed_institutions

if TYPE_CHECKING:
    from fawang.accounts.models import User

LICENSE = "appraisal.license"
ITEM = "appraisal"
OPEN = (Matter.Status.SUBMITTED, Matter.Status.ACCEPTED, Matter.Status.IN_PROGRESS)


def may_license(actor: User, unit: Unit) -> bool:
    """A 司法局 membership (with ``appraisal.license``) that reaches the institution, or the system administrator:
    an institution never records its own licence."""
    if reaches_everything(actor):
        return True
    return any(
        m.role in CAPABILITIES[LICENSE] and group_of(m.unit.kind) == "bureau" and membership_reaches(m, unit)
        for m in active_memberships(actor)
    )


def _clean(categories: Iterable[str]) -> list[str]:
    known = set(Category.values)
    chosen = sorted(set(categories))
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise ValidationError(_("没有这个鉴定类别：%(c)s") % {"c": "、".join(unknown)}, code="bad_category")
    return chosen


@transaction.atomic
def set_institution_categories(unit_id: int, categories: Iterable[str], *, actor: User) -> list[str]:
    """The institution's licensed categories become ``categories``; its appraisers keep only those within them."""
    unit = Unit.objects.select_for_update().get(pk=unit_id)
    if unit.kind != Unit.Kind.APPRAISAL:
        raise ValidationError(_("只有司法鉴定机构登记鉴定业务范围。"), code="not_appraisal")
    if not may_license(actor, unit):
        raise PermissionDenied(_("鉴定业务范围由主管司法行政机关登记。"))
    chosen = _clean(categories)
    before = sorted(unit.appraisal_categories.values_list("category", flat=True))
    if chosen == before:
        return chosen
    unit.appraisal_categories.exclude(category__in=chosen).delete()
    for category in set(chosen) - set(before):
        InstitutionCategory.objects.create(unit=unit, category=category)
    AppraiserCategory.objects.filter(practitioner__unit=unit).exclude(category__in=chosen).delete()
    audit.record(
        "appraisal.set_categories",
        actor=actor,
        target=unit,
        unit=unit,
        diff=audit.changes({"categories": before}, {"categories": chosen}),
    )
    return chosen


@transaction.atomic
def set_appraiser_categories(practitioner_id: int, categories: Iterable[str], *, actor: User) -> list[str]:
    """The categories a 司法鉴定人's licence covers: within their institution's (鉴定人 practise in one institution,
    within its licensed scope)."""
    person = (
        Practitioner.objects.select_for_update(of=("self",)).select_related("unit").get(pk=practitioner_id)
    )
    unit = person.unit
    if person.kind != Practitioner.Kind.APPRAISER or unit is None or unit.kind != Unit.Kind.APPRAISAL:
        raise ValidationError(_("只有在司法鉴定机构执业的司法鉴定人登记执业类别。"), code="not_appraiser")
    if not may_license(actor, unit):
        raise PermissionDenied(_("鉴定人执业类别由主管司法行政机关登记。"))
    chosen = _clean(categories)
    allowed = set(unit.appraisal_categories.values_list("category", flat=True))
    outside = [str(Category(c).label) for c in chosen if c not in allowed]
    if outside:
        raise ValidationError(
            _("%(name)s的执业类别超出所在机构的业务范围：%(c)s")
            % {"name": person.name, "c": "、".join(outside)},
            code="outside_institution",
        )
    before = sorted(person.appraisal_categories.values_list("category", flat=True))
    if chosen == before:
        return chosen
    person.appraisal_categories.exclude(category__in=chosen).delete()
    for category in set(chosen) - set(before):
        AppraiserCategory.objects.create(practitioner=person, category=category)
    audit.record(
        "appraisal.set_appraiser_categories",
        actor=actor,
        target=person,
        unit=unit,
        diff=audit.changes({"categories": before}, {"categories": chosen}),
    )
    return chosen


@transaction.atomic
def do_entrust(matter_id: int, *, actor: User, unit: Unit | None, category: str) -> AppraisalRequest:
    """委托 a 司法鉴定 request to ``unit``, which must hold ``category`` and lie in the request's city (None: the
    nearest institution of the city holding it, routing.licensed_institutions). A request
    at another unit is transferred there (转办, the matter's own action: the person is told); one already at the
    institution is recorded as entrusted to it. Either way an event says which institution and category."""
    matter = lock(matter_id)
    require(actor, "matters.handle", matter)
    if matter.service_item.code != ITEM:
        raise ValidationError(_("该事项不是司法鉴定申请。"), code="not_appraisal")
    if matter.status not in OPEN:
        raise ValidationError(_("事项已办结或关闭，不能委托鉴定。"), code="closed")
    category = _clean([category])[0] if category else ""
    if not category:
        raise ValidationError({"category": _("请选择鉴定类别。")}, code="no_category")
    label = Category(category).label
    if unit is None:
        nearest = licensed_institutions(category, matter.region)
        if not nearest:
            raise ValidationError(
                {"unit": _("本市暂无登记“%(c)s”业务的司法鉴定机构。") % {"c": label}}, code="none_licensed"
            )
        unit = nearest[0]
    if not holds(unit, category) or not unit.is_active:
        raise ValidationError(
            {"unit": _("%(unit)s未登记“%(c)s”业务，不能受托。") % {"unit": unit.name, "c": label}},
            code="not_licensed",
        )
    if not unit.region_id.startswith(matter.region_id[:4]):
        raise ValidationError({"unit": _("请委托本市的司法鉴定机构。")}, code="other_city")
    reason = _("委托持有“%(c)s”业务范围的%(unit)s鉴定。") % {"c": label, "unit": unit.name}
    if unit.pk != matter.unit_id:
        matter_actions.do_transfer(matter.pk, actor=actor, unit=unit, reason=reason)
        matter.refresh_from_db()
    else:
        event(matter, MatterEvent.Action.COMMENT, actor=actor, now=timezone.now(), note=reason, visible=True)
    request, _created = AppraisalRequest.objects.get_or_create(matter=matter)
    request.category = category
    request.entrusted_to = unit
    request.entrusted_at = timezone.now()
    request.entrusted_by = actor
    request.save()
    return request
