"""上门服务 through the seam: two matter actions (安排上门, 上门记录) and the visit's card on the matter page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fawang.accounts.models import User
from fawang.catalog.models import Channel
from fawang.matters import lines, registry
from fawang.matters.forms import ActionForm
from fawang.matters.models import Matter

from .actions import visits as actions
from .models import HomeVisit

OPEN_MOVES: dict[str, frozenset[str]] = {
    str(s): frozenset() for s in (Matter.Status.SUBMITTED, Matter.Status.ACCEPTED, Matter.Status.IN_PROGRESS)
}


class ScheduleVisitForm(ActionForm):
    group = forms.ChoiceField(label=_("服务对象类别"), choices=HomeVisit.Group.choices)
    asked_by = forms.ChoiceField(label=_("申请人"), choices=HomeVisit.AskedBy.choices)
    address = forms.CharField(
        label=_("上门地址"), max_length=200, error_messages={"required": _("请填写上门地址。")}
    )
    scheduled_on = forms.DateField(
        label=_("上门日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请选择上门日期。"), "invalid": _("请输入正确的日期。")},
    )
    visitor = forms.ModelChoiceField(
        label=_("上门人员"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("请选择上门人员。"),
            "invalid_choice": _("请选择本事项办理机构或受理点的工作人员。"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["visitor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=actions.visitors_for(self.matter)).order_by(
            "display_name"
        )


class RecordVisitForm(ActionForm):
    record = forms.CharField(
        label=_("服务记录"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写上门服务记录。")},
        help_text=_("签名、照片请作为材料上传到本事项。"),
    )
    follow_up = forms.CharField(
        label=_("后续跟进"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _schedule(matter: Matter, user: Any, form: ActionForm) -> str:
    d = form.cleaned_data
    actions.do_schedule_visit(
        matter.pk,
        actor=user,
        group=d["group"],
        asked_by=d["asked_by"],
        address=d["address"],
        scheduled_on=d["scheduled_on"],
        visitor=d["visitor"],
    )
    return str(_("已安排上门服务。"))


def _record(matter: Matter, user: Any, form: ActionForm) -> str:
    actions.do_record_visit(
        matter.pk, actor=user, record=form.cleaned_data["record"], follow_up=form.cleaned_data["follow_up"]
    )
    return str(_("已登记上门服务记录。"))


def _visit_status(matter: Matter) -> str | None:
    if matter.pk is None:
        return None
    return HomeVisit.objects.filter(matter_id=matter.pk).values_list("status", flat=True).first()


def _offer_schedule(user: Any, matter: Matter, rated: bool | None) -> bool:
    # Offered on a visit asked for online (待安排), or a matter taken in as a home visit (渠道：上门) that has no
    # arrangement yet; the API takes the action on any open matter (a person at the window may ask for a visit
    # for a relative).
    status = _visit_status(matter)
    return status == HomeVisit.Status.REQUESTED or (matter.channel == Channel.VISIT and status is None)


def _offer_record(user: Any, matter: Matter, rated: bool | None) -> bool:
    status = _visit_status(matter)
    return status in (HomeVisit.Status.SCHEDULED, HomeVisit.Status.REQUESTED) or (
        status is None and matter.channel == Channel.VISIT
    )


SCHEDULE_VISIT = registry.ActionDef(
    "schedule_home_visit",
    _("安排上门"),
    actions.CAPS,
    ScheduleVisitForm,
    _schedule,
    public=False,
    offer=_offer_schedule,
    moves=OPEN_MOVES,
    help=_("上门服务：为行动不便的服务对象安排上门日期和人员。"),
)
RECORD_VISIT = registry.ActionDef(
    "record_home_visit",
    _("上门记录"),
    actions.CAPS,
    RecordVisitForm,
    _record,
    public=False,
    offer=_offer_record,
    moves=OPEN_MOVES,
    help=_("上门服务的记录：做了什么、后续跟进；签名、照片作为事项材料上传。"),
)


def _has_visit(matter: Matter) -> bool:
    # Lines are asked about matters still being made at intake (no primary key yet): none has a visit.
    return matter.pk is not None and HomeVisit.objects.filter(matter_id=matter.pk).exists()


def _panel(user: Any, matter: Matter) -> dict[str, Any]:
    visit = HomeVisit.objects.filter(matter=matter).select_related("visitor").first()
    return {"visit": visit} if visit else {}


VISIT_LINE = lines.Line(
    code="frontdesk.visit", applies=_has_visit, panel=lines.Panel("frontdesk/_home_visit.html", _panel)
)
