"""One definition per action on a matter, from which the rest is made.

An ``ActionDef`` says everything about one action staff take on a matter: its code and label, the capability
that permits it (any one of ``capabilities`` over the matter, fawang.orgs.authority), the form of its input
(an ``ActionForm``: the console's small form and the API's JSON body), the function that does it and returns its
success message, and whether its result is shown to the person. The statuses it may start from are its row of
the one table of moves (``Matter.MOVES``); a business line's own action brings its row (``moves``).

Made from these definitions:

- the actions the workbench offers on a matter and their forms (``available``, ``form_for``),
- the console's dispatch (``matters.views.detail.matter_act`` calls ``run``),
- the API endpoints ``POST /api/v1/matters/{id}/actions/{code}/``, one per action with its own schema
  (fawang.api.actions).

A business line registers its own actions from its ``AppConfig.ready()`` with ``register(ActionDef(...))``,
without editing ``matters``. The actions themselves (fawang.matters.actions and the lines' ``actions.py``) still
check everything again when called, under the row lock: a stale page or a hand-made request can never do more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.orgs.authority import has_matter_capability
from fawang.orgs.roles import require_capability

from . import actions, forms, tracking
from .actions.base import check_transition
from .models import Evaluation, Matter

if TYPE_CHECKING:
    from fawang.accounts.models import User


# Does the action and returns the message shown after it ("已受理。"); raises the action's own errors.
Perform = Callable[[Matter, "User", forms.ActionForm], str]
# Whether the action is offered to this user on this matter beyond its status and capability (``rated``: whether
# the matter has an evaluation, when the caller knows).
Offer = Callable[["User", Matter, "bool | None"], bool]


@dataclass(frozen=True)
class ActionDef:
    code: str
    label: str | Promise
    capabilities: tuple[str, ...]  # any one of them, over the matter's unit
    form: type[forms.ActionForm]
    perform: Perform
    # The result is told to / shown to the person (their timeline and messages), as the action writes it.
    public: bool = True
    danger: bool = False  # shown as a red button (it ends or reverses the matter)
    offer: Offer | None = None
    # A business line's own action: its row of moves ({from: {to, ...}}, an empty set for "no move"), added to
    # Matter.MOVES when registered. The core actions' rows are in Matter.MOVES already.
    moves: Mapping[str, frozenset[str]] | None = field(default=None, compare=False)
    help: str | Promise = ""  # a line for the API documentation

    @property
    def from_statuses(self) -> tuple[str, ...]:
        return tuple(Matter.MOVES.get(self.code, {}))

    @property
    def slug(self) -> str:
        """The code as it appears in the API's address: ``request_materials`` -> ``request-materials``."""
        return self.code.replace("_", "-")

    def status_allows(self, matter: Matter) -> bool:
        return matter.may(self.code)

    def permits(self, user: User, matter: Matter) -> bool:
        """One of the capabilities over the matter: its current unit, and for the front desk's capabilities the
        unit that took it in (orgs.authority.has_matter_capability)."""
        return any(
            has_matter_capability(user, cap, matter.unit, matter.intake_unit) for cap in self.capabilities
        )


_REGISTRY: dict[str, ActionDef] = {}


def register(defn: ActionDef, *, before: str | None = None) -> ActionDef:
    """Add an action (a business line calls this from its AppConfig.ready()). ``before``: show it before that
    action on the matter page; by default it comes last. Registering the same definition twice is harmless;
    another definition under a code already taken is a programming error."""
    known = _REGISTRY.get(defn.code)
    if known is not None:
        if known == defn:
            return known
        raise ValueError(f"matter action {defn.code!r} is registered already")
    if defn.moves is not None:
        Matter.add_moves(defn.code, {old: frozenset(to) for old, to in defn.moves.items()})
    elif defn.code not in Matter.MOVES:
        raise ValueError(f"matter action {defn.code!r} has no row in Matter.MOVES; give its moves")
    if before is None or before not in _REGISTRY:
        _REGISTRY[defn.code] = defn
    else:
        items = list(_REGISTRY.items())
        at = [code for code, _d in items].index(before)
        items.insert(at, (defn.code, defn))
        _REGISTRY.clear()
        _REGISTRY.update(items)
    return defn


def unregister(code: str) -> None:
    """Remove a business line's action (tests use this to clean up after themselves)."""
    defn = _REGISTRY.pop(code, None)
    if defn is not None and defn.moves is not None:
        Matter.remove_moves(code)


def all_actions() -> Iterator[ActionDef]:
    """Every action, in the order the matter page shows them: the usual next step first."""
    return iter(list(_REGISTRY.values()))


def get(code: str) -> ActionDef | None:
    return _REGISTRY.get(code)


def available(user: User, matter: Matter, *, rated: bool | None = None) -> list[ActionDef]:
    """The actions ``user`` may take on ``matter`` in its current status, in display order."""
    return [
        d
        for d in _REGISTRY.values()
        if d.status_allows(matter)
        and d.permits(user, matter)
        and (d.offer is None or d.offer(user, matter, rated))
    ]


def form_for(defn: ActionDef, matter: Matter, user: User, data: Any = None, *, prefix: bool = True) -> Any:
    """The action's form, prefixed with its code on the matter page (several forms share it); the API's JSON
    body has no prefix."""
    return defn.form(data, matter=matter, user=user, prefix=defn.code if prefix else None)


def run(defn: ActionDef, matter: Matter, user: User, form: forms.ActionForm) -> str:
    """Do the action with the validated ``form``, as the console and the API both do: refused first when the
    user has none of its capabilities over the matter's unit or the matter's status has no row for it (the
    same answers the action gives under its row lock, which checks again), then ``perform``."""
    if not defn.permits(user, matter):
        require_capability(user, defn.capabilities[0], matter.unit)  # raises with the standard message
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    check_transition(matter, None, str(defn.label), action=defn.code)
    return defn.perform(matter, user, form)


# --------------------------------------------------------------------------------------------- the core actions


def _accept(matter: Matter, user: User, form: forms.ActionForm) -> str:
    actions.do_accept(matter.pk, actor=user, note=form.cleaned_data["note"])
    return _("已受理。")


def _reject(matter: Matter, user: User, form: forms.ActionForm) -> str:
    actions.do_reject(matter.pk, actor=user, reason=form.cleaned_data["reason"])
    return _("已作出不予受理决定，并告知服务对象。")


def _request_materials(matter: Matter, user: User, form: forms.ActionForm) -> str:
    assert isinstance(form, forms.RequestMaterialsForm)
    actions.do_request_materials(
        matter.pk, actor=user, missing=form.missing_list(), note=form.cleaned_data["note"]
    )
    return _("已一次性告知需补正的材料，计时暂停。")


def _supply_materials(matter: Matter, user: User, form: forms.ActionForm) -> str:
    actions.do_supply_materials(matter.pk, actor=user, note=form.cleaned_data["note"])
    return _("已登记补正材料，计时恢复。")


def _assign(matter: Matter, user: User, form: forms.ActionForm) -> str:
    handler = form.cleaned_data["handler"]
    actions.do_assign(matter.pk, actor=user, handler=handler, note=form.cleaned_data["note"])
    return _("已分派给%(name)s。") % {"name": handler.display_name or handler.username}


def _transfer(matter: Matter, user: User, form: forms.ActionForm) -> str:
    unit = form.cleaned_data["unit"]
    actions.do_transfer(matter.pk, actor=user, unit=unit, reason=form.cleaned_data["reason"])
    return _("已转办至%(unit)s。") % {"unit": unit.name}


def _change_item(matter: Matter, user: User, form: forms.ActionForm) -> str:
    moved = actions.do_change_item(
        matter.pk,
        actor=user,
        service_item=form.cleaned_data["service_item"],
        reason=form.cleaned_data["reason"],
    )
    return _("已转为“%(item)s”，由%(unit)s办理。") % {
        "item": moved.service_item.name,
        "unit": moved.unit.name,
    }


def _escalate(matter: Matter, user: User, form: forms.ActionForm) -> str:
    actions.do_escalate(matter.pk, actor=user, reason=form.cleaned_data["reason"])
    return _("已提请主管司法局督办。")


def _suspend(matter: Matter, user: User, form: forms.ActionForm) -> str:
    actions.do_suspend(matter.pk, actor=user, reason=form.cleaned_data["reason"])
    return _("已中止办理，计时暂停。")


def _resume(matter: Matter, user: User, form: forms.ActionForm) -> str:
    actions.do_resume(matter.pk, actor=user, note=form.cleaned_data["note"])
    return _("已恢复办理。")


def _complete(matter: Matter, user: User, form: forms.ActionForm) -> str:
    actions.do_complete(matter.pk, actor=user, result=form.cleaned_data["result"])
    return _("已办结，办理结果已告知服务对象。")


def _close(matter: Matter, user: User, form: forms.ActionForm) -> str:
    actions.do_close(matter.pk, actor=user, note=form.cleaned_data["note"])
    return _("事项已关闭。")


def _reopen(matter: Matter, user: User, form: forms.ActionForm) -> str:
    actions.do_reopen(matter.pk, actor=user, reason=form.cleaned_data["reason"])
    return _("已重新办理。")


def _withdraw(matter: Matter, user: User, form: forms.ActionForm) -> str:
    actions.do_withdraw(matter.pk, actor=user, reason=form.cleaned_data["reason"])
    return _("已撤回。")


def _comment(matter: Matter, user: User, form: forms.ActionForm) -> str:
    d = form.cleaned_data
    actions.do_comment(matter.pk, actor=user, text=d["text"], visible=bool(d["visible"]))
    return _("留言已保存。")


def _merge(matter: Matter, user: User, form: forms.ActionForm) -> str:
    assert isinstance(form, forms.MergeForm)
    numbers = [tracking.normalize(n) for n in form.numbers()]
    if not numbers:
        raise ValidationError(_("请填写要合并到本事项的重复事项的受理编号。"), code="no_numbers")
    found = dict(
        Matter.objects.visible_to(user).filter(tracking_no__in=numbers).values_list("tracking_no", "pk")
    )
    unknown = [n for n in numbers if n not in found]
    if unknown:
        raise ValidationError(
            _("未找到受理编号为 %(nos)s 的事项。") % {"nos": "、".join(unknown)}, code="unknown_numbers"
        )
    actions.do_merge(matter.pk, list(found.values()), actor=user, reason=form.cleaned_data["reason"])
    return _("已合并 %(n)s 个重复事项。") % {"n": len(found)}


def _rate(matter: Matter, user: User, form: forms.ActionForm) -> str:
    actions.do_rate(
        matter.pk, actor=user, level=form.cleaned_data["level"], comment=form.cleaned_data["comment"]
    )
    return _("评价已录入。")


def _offer_rating(user: User, matter: Matter, rated: bool | None) -> bool:
    """Never to the matter's own handler (do_rate refuses it), and only once."""
    if matter.handler_id == user.pk:
        return False
    if rated is None:
        rated = Evaluation.objects.filter(matter_id=matter.pk).exists()
    return not rated


for _defn in (
    ActionDef("accept", gettext_lazy("受理"), ("matters.handle",), forms.NoteForm, _accept),
    ActionDef("assign", gettext_lazy("分派承办人"), ("matters.assign",), forms.AssignForm, _assign),
    ActionDef(
        "request_materials",
        gettext_lazy("一次性告知补正"),
        ("matters.handle",),
        forms.RequestMaterialsForm,
        _request_materials,
    ),
    ActionDef(
        "supply_materials",
        gettext_lazy("登记已补正"),
        ("matters.intake", "matters.handle"),
        forms.NoteForm,
        _supply_materials,
    ),
    ActionDef("complete", gettext_lazy("办结"), ("matters.handle",), forms.CompleteForm, _complete),
    ActionDef("resume", gettext_lazy("恢复办理"), ("matters.handle",), forms.NoteForm, _resume),
    ActionDef(
        "comment",
        gettext_lazy("留言"),
        ("matters.comment",),
        forms.CommentForm,
        _comment,
        public=False,
        help=gettext_lazy("内部记录，或勾选 visible 后服务对象可见（答复）。"),
    ),
    ActionDef("transfer", gettext_lazy("转办"), ("matters.transfer",), forms.TransferForm, _transfer),
    ActionDef(
        "change_item",
        gettext_lazy("转换事项"),
        ("matters.intake", "matters.handle"),
        forms.ChangeItemForm,
        _change_item,
    ),
    ActionDef("suspend", gettext_lazy("中止"), ("matters.handle",), forms.ReasonForm, _suspend),
    ActionDef(
        "escalate", gettext_lazy("提请督办"), ("matters.escalate",), forms.ReasonForm, _escalate, public=False
    ),
    ActionDef("merge", gettext_lazy("合并重复事项"), ("matters.handle",), forms.MergeForm, _merge),
    ActionDef(
        "rate",
        gettext_lazy("代录评价"),
        ("matters.intake", "matters.callback"),
        forms.RateForm,
        _rate,
        offer=_offer_rating,
    ),
    ActionDef("close", gettext_lazy("关闭"), ("matters.handle", "matters.supervise"), forms.NoteForm, _close),
    ActionDef(
        "reopen", gettext_lazy("重新办理"), ("matters.reopen",), forms.ReasonForm, _reopen, danger=True
    ),
    ActionDef(
        "reject", gettext_lazy("不予受理"), ("matters.handle",), forms.ReasonForm, _reject, danger=True
    ),
    ActionDef(
        "withdraw",
        gettext_lazy("撤回"),
        ("matters.intake", "matters.handle"),
        forms.ReasonForm,
        _withdraw,
        danger=True,
    ),
):
    register(_defn)
del _defn
