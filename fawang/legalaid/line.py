"""Legal aid's registrations on the seam: its matter actions (给予 / 不予 / 指派 / 先行提供 / 终止, each with its
console form and API endpoint), its panel on the staff matter page (the means comparison, the decisions and
their notices, the assignments), its capabilities, menu entries, audit codes and message kinds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.matters.models import Matter
from fawang.matters.registry import ActionDef
from fawang.orgs.authority import has_capability

from . import actions, forms, standards
from .models import Decision
from .notices import ITEM

if TYPE_CHECKING:
    from fawang.accounts.models import User
    from fawang.matters.forms import ActionForm


def _is_application(user: User, matter: Matter, rated: bool | None) -> bool:
    return matter.service_item.code == ITEM


def _may_decide_after_advance(user: User, matter: Matter, rated: bool | None) -> bool:
    if matter.service_item.code != ITEM:
        return False
    if matter.status == Matter.Status.SUBMITTED:
        return True
    return (
        matter.aid_assignments.filter(advance=True).exists()
        and not matter.aid_decisions.filter(kind=Decision.Kind.GRANT).exists()
    )


def _grant(matter: Matter, user: User, form: ActionForm) -> str:
    d = form.cleaned_data
    actions.do_decide(matter.pk, actor=user, grant=True, reasons=d["reasons"], checklist=list(d["checklist"]))
    return _("已作出给予法律援助的决定，决定书已发送申请人。")


def _refuse(matter: Matter, user: User, form: ActionForm) -> str:
    d = form.cleaned_data
    actions.do_decide(
        matter.pk, actor=user, grant=False, reasons=d["reasons"], checklist=list(d["checklist"])
    )
    return _("已作出不予法律援助的决定，决定书已发送申请人。")


def _terminate(matter: Matter, user: User, form: ActionForm) -> str:
    actions.do_terminate(matter.pk, actor=user, reasons=form.cleaned_data["reasons"])
    return _("已终止法律援助，决定书已发送受援人。")


CAP = (actions.DECIDE,)
ACTIONS = (
    ActionDef(
        "aid_grant",
        gettext_lazy("给予法律援助"),
        CAP,
        forms.DecideForm,
        _grant,
        offer=_may_decide_after_advance,
        moves={
            Matter.Status.SUBMITTED: frozenset({Matter.Status.ACCEPTED}),
            Matter.Status.IN_PROGRESS: frozenset(),
        },
        help=gettext_lazy("法律援助法 第四十三条：审查后决定给予法律援助，生成给予法律援助决定书。"),
    ),
    ActionDef(
        "aid_refuse",
        gettext_lazy("不予法律援助"),
        CAP,
        forms.DecideForm,
        _refuse,
        danger=True,
        offer=_may_decide_after_advance,
        moves={
            Matter.Status.SUBMITTED: frozenset({Matter.Status.REJECTED}),
            Matter.Status.IN_PROGRESS: frozenset({Matter.Status.COMPLETED}),
        },
        help=gettext_lazy("须说明理由；决定书载明异议的途径和期限（第四十九条）。"),
    ),
    ActionDef(
        "aid_terminate",
        gettext_lazy("终止法律援助"),
        CAP,
        forms.TerminateForm,
        _terminate,
        danger=True,
        offer=_is_application,
        moves={Matter.Status.IN_PROGRESS: frozenset({Matter.Status.COMPLETED})},
        help=gettext_lazy("法律援助法 第四十八条。"),
    ),
)


def panel_context(user: Any, matter: Matter) -> dict[str, Any]:
    if matter.service_item.code != ITEM:
        return {}
    return {
        "matter": matter,
        "notification": actions.notification_of(matter),
        "comparison": standards.compare(matter),
        "decisions": list(matter.aid_decisions.select_related("standard", "objection_unit")),
        "assignments": list(matter.aid_assignments.select_related("lawyer__practitioner", "firm")),
        "may_object": has_capability(user, actions.DECIDE, matter.unit),
        "assign_form": forms.AssignForm(matter=matter, user=user, prefix="assign")
        if matter.status == Matter.Status.ACCEPTED
        else None,
        "advance_form": forms.AdvanceForm(matter=matter, user=user, prefix="advance")
        if matter.status == Matter.Status.SUBMITTED
        else None,
    }


def public_panel_context(user: Any, matter: Matter) -> dict[str, Any]:
    """The person's own decision notices (their matter page; citizens checked the matter is theirs)."""
    if matter.service_item.code != ITEM:
        return {}
    decisions = list(matter.aid_decisions.select_related("objection_unit"))
    if not decisions:
        return {}
    return {
        "decisions": decisions,
        "assignments": list(
            matter.aid_assignments.exclude(status="terminated").select_related("lawyer__practitioner", "firm")
        ),
    }
