"""Legal aid's registrations on the seam: its matter actions (给予 / 不予 / 指派 / 先行提供 / 终止, each with its
console form and API endpoint), its panel on the staff matter page (the means comparison, the decisions and
their notices, the assignments), its capabilities, menu entries, audit codes and message kinds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L

from fawang.matters.models import Matter
from fawang.matters.registry import ActionDef
from fawang.orgs.authority import has_capability

from . import actions, forms, standards
from .models import Decision
from .notices import ITEM

if TYPE_CHECKING:
    from fawang.accounts.models import User
    from fawang.matters.forms import ActionForm

S = Matter.Status


def _is_application(user: User, matter: Matter, rated: bool | None) -> bool:
    return matter.service_item.code == ITEM


def _may_decide_after_advance(user: User, matter: Matter, rated: bool | None) -> bool:
    if matter.service_item.code != ITEM:
        return False
    if matter.status == S.SUBMITTED:
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


def _assign(matter: Matter, user: User, form: ActionForm) -> str:
    d = form.cleaned_data
    a = actions.do_assign(
        matter.pk,
        actor=user,
        lawyer=d["lawyer"],
        case_type=d["case_type"],
        serious=d["serious"],
        note=d["note"],
    )
    return _("已指派%(firm)s%(name)s承办（%(why)s）。") % {
        "firm": a.firm.name,
        "name": a.lawyer.practitioner.name,
        "why": a.rotation_note,
    }


def _advance(matter: Matter, user: User, form: ActionForm) -> str:
    d = form.cleaned_data
    a = actions.do_advance(
        matter.pk,
        actor=user,
        reason=d["reason"],
        materials_owed=d["materials_owed"],
        lawyer=d["lawyer"],
        case_type=d["case_type"],
    )
    return _("已先行指派%(name)s提供法律援助，审查后补作决定。") % {"name": a.lawyer.practitioner.name}


def _terminate(matter: Matter, user: User, form: ActionForm) -> str:
    actions.do_terminate(matter.pk, actor=user, reasons=form.cleaned_data["reasons"])
    return _("已终止法律援助，决定书已发送受援人。")


CAP = (actions.DECIDE,)
ACTIONS = (
    ActionDef(
        "aid_grant",
        L("给予法律援助"),
        CAP,
        forms.DecideForm,
        _grant,
        offer=_may_decide_after_advance,
        moves={S.SUBMITTED: frozenset({S.ACCEPTED}), S.IN_PROGRESS: frozenset()},
        help=L("法律援助法 第四十三条：审查后决定给予法律援助，生成给予法律援助决定书。"),
    ),
    ActionDef(
        "aid_refuse",
        L("不予法律援助"),
        CAP,
        forms.DecideForm,
        _refuse,
        danger=True,
        offer=_may_decide_after_advance,
        moves={S.SUBMITTED: frozenset({S.REJECTED}), S.IN_PROGRESS: frozenset({S.COMPLETED})},
        help=L("须说明理由；决定书载明异议的途径和期限（第四十九条）。"),
    ),
    ActionDef(
        "aid_assign",
        L("指派法律援助人员"),
        CAP,
        forms.AssignForm,
        _assign,
        offer=_is_application,
        moves={S.ACCEPTED: frozenset({S.IN_PROGRESS})},
        help=L("按轮流指派或指定名册中的人员；第二十六条案件须三年以上相关执业经历。"),
    ),
    ActionDef(
        "aid_advance",
        L("先行提供法律援助"),
        CAP,
        forms.AdvanceForm,
        _advance,
        offer=_is_application,
        moves={S.SUBMITTED: frozenset({S.IN_PROGRESS})},
        help=L("法律援助法 第四十四条：先行指派，事后补充审查。"),
    ),
    ActionDef(
        "aid_terminate",
        L("终止法律援助"),
        CAP,
        forms.TerminateForm,
        _terminate,
        danger=True,
        offer=_is_application,
        moves={S.IN_PROGRESS: frozenset({S.COMPLETED})},
        help=L("法律援助法 第四十八条。"),
    ),
)


def panel_context(user: Any, matter: Matter) -> dict[str, Any]:
    if matter.service_item.code != ITEM:
        return {}
    return {
        "matter": matter,
        "comparison": standards.compare(matter),
        "decisions": list(matter.aid_decisions.select_related("standard", "objection_unit")),
        "assignments": list(matter.aid_assignments.select_related("lawyer__practitioner", "firm")),
        "may_object": has_capability(user, actions.DECIDE, matter.unit),
    }
