"""The 司法鉴定 item's own data at intake (fawang.matters.lines.ItemData): the category asked for, and the facts
staff see — its class and the licensed institutions of the city that may take it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.matters.lines import ItemData, given_matter
from fawang.matters.models import Matter

from .actions import ITEM
from .models import AppraisalRequest, Category, class_of
from .routing import licensed_institutions


class AppraisalForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("鉴定类别"),
        choices=[("", gettext_lazy("待受理时确认")), *Category.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("没有这个鉴定类别，请从列表中选择。")},
    )


LEGAL_AID_ITEM = "legal_aid"
REDUCTION = gettext_lazy(
    "法律援助受援人（%(no)s）：司法鉴定机构应当减收或者免收鉴定费（法律援助法 第五十三条第二款）。"
)


def aid_matter_of(matter: Matter) -> Matter | None:
    """The person's legal-aid matter given (受理 = 给予法律援助) most recently, if any."""
    return given_matter(matter, LEGAL_AID_ITEM)


def save(matter: Matter, data: dict[str, Any]) -> None:
    AppraisalRequest.objects.create(
        matter=matter, category=data.get("category") or "", aid_matter=aid_matter_of(matter)
    )


def facts(matter: Matter) -> list[tuple[str, str]]:
    request = (
        AppraisalRequest.objects.filter(matter=matter).select_related("entrusted_to", "aid_matter").first()
    )
    if request is None:
        return [(_("鉴定类别"), _("待受理时确认"))]
    reduction = (
        [(_("鉴定费减免"), str(REDUCTION) % {"no": request.aid_matter.tracking_no})]
        if request.aid_matter is not None
        else []
    )
    if not request.category:
        return [(_("鉴定类别"), _("待受理时确认")), *reduction]
    rows = [(_("鉴定类别"), f"{class_of(request.category)} · {request.get_category_display()}"), *reduction]
    if request.entrusted_to is not None:
        rows.append((_("受委托鉴定机构"), request.entrusted_to.name))
    else:
        names = [unit.name for unit in licensed_institutions(request.category, matter.region)]
        rows.append((_("可受托的鉴定机构"), "、".join(names) or _("本市暂无登记该业务的鉴定机构")))
    return rows


APPRAISAL = ItemData((ITEM,), AppraisalForm, save, facts)
