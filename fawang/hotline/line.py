"""The hotline on the shared matter (the business-line seam): on the staff page of a matter taken in by telephone,
the calls it came from (number masked, agent, times, the recording link), for a ticket 12345 dispatched to us its
ticket number, and its referrals to the duty lawyer; and the matter action 转值班律师 (console form and API endpoint
``POST /api/v1/matters/{id}/actions/refer-to-duty/`` from one definition)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.catalog.models import Channel
from fawang.matters import registry
from fawang.matters.forms import ActionForm
from fawang.matters.lines import Line, Panel
from fawang.matters.models import Matter
from fawang.orgs.models import Speciality

from . import actions
from .models import Call, Dialect, DispatchTicket, DutyReferral


def is_hotline(matter: Matter) -> bool:
    return matter.channel == Channel.HOTLINE


def panel_context(user: Any, matter: Matter) -> dict[str, Any]:
    """Three queries whatever the matter's history: its calls the user may see (at most 10), its dispatch ticket,
    its referrals to the duty lawyer (at most 10)."""
    calls = list(
        Call.objects.visible_to(user)
        .filter(matters=matter)
        .select_related("agent")
        .order_by("-rang_at", "-pk")[:10]
    )
    ticket = DispatchTicket.objects.filter(matter=matter).select_related("hotline").first()
    referrals = list(
        DutyReferral.objects.filter(matter=matter)
        .select_related("shift__person", "unit")
        .order_by("-pk")[:10]
    )
    if not calls and ticket is None and not referrals:
        return {}
    return {"hotline_calls": calls, "hotline_ticket": ticket, "hotline_referrals": referrals}


# Only matters taken in by telephone (no query: lines are asked on every notice and at intake). A window's matter
# referred to the duty lawyer shows it on its timeline.
LINE = Line("hotline", is_hotline, panel=Panel("hotline/_matter_panel.html", panel_context))


OPEN_MOVES: dict[str, frozenset[str]] = {
    str(s): frozenset() for s in (Matter.Status.SUBMITTED, Matter.Status.ACCEPTED, Matter.Status.IN_PROGRESS)
}


class ReferToDutyForm(ActionForm):
    topic = forms.ModelChoiceField(
        label=gettext_lazy("咨询领域"),
        queryset=Speciality.objects.all(),
        required=False,
        empty_label=gettext_lazy("按事项领域"),
        error_messages={"invalid_choice": gettext_lazy("请选择正确的领域。")},
    )
    dialect = forms.ChoiceField(
        label=gettext_lazy("方言"), choices=[("", gettext_lazy("普通话")), *Dialect.choices], required=False
    )
    note = forms.CharField(
        label=gettext_lazy("转接说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _refer(matter: Matter, user: Any, form: ActionForm) -> str:
    d = form.cleaned_data
    referral = actions.do_refer_matter_to_duty(
        matter.pk, actor=user, topic=d["topic"], dialect=d["dialect"], note=d["note"]
    )
    if referral.shift is None:
        return _("当前无人值班，已排入值班待办，由下一位值班人员接手。")
    person = referral.shift.person
    return _("已转值班人员 %(who)s（%(rule)s）。") % {
        "who": person.display_name or person.username,
        "rule": referral.rule,
    }


def _offer_refer(user: Any, matter: Matter, rated: bool | None) -> bool:
    # Offered on the page of a matter taken in by telephone (the hotline's duty roster is where it came in); the
    # API takes it on any open matter (a window's matter goes to its own centre's duty lawyer).
    return is_hotline(matter)


REFER_TO_DUTY = registry.ActionDef(
    "refer_to_duty",
    gettext_lazy("转值班律师"),
    (actions.REFER_CAPABILITY,),
    ReferToDutyForm,
    _refer,
    public=False,
    offer=_offer_refer,
    moves=OPEN_MOVES,
    help=gettext_lazy(
        "转值班律师：交给受理中心当前值班、擅长该领域（及方言）的律师；无人值班时排入值班待办，由下一位值班人员接手。"
    ),
)
