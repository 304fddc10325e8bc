"""The 公证 item's own data at intake (fawang.matters.lines.ItemData): the notary type, and the facts staff see —
the materials of the type, the fee basis, and 公证费减免 when the person is a legal-aid recipient.

Materials follow the 公证程序规则 (第十八条: 当事人申办公证应提交身份证明、与公证事项有关的材料) as the notary
offices list them; the fee basis is the province's 公证服务收费标准 (公证法 第四十六条), not restated here in yuan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.matters.lines import ItemData, given_matter
from fawang.matters.models import Matter

from .models import NotaryRequest, NotaryType

ITEM = "notary"
LEGAL_AID_ITEM = "legal_aid"

MATERIALS: dict[str, tuple[str, ...]] = {
    NotaryType.INHERITANCE: (
        "申请人身份证、户口簿",
        "被继承人死亡证明",
        "亲属关系证明",
        "遗产权属证明",
        "其他继承人放弃继承的声明（如有）",
    ),
    NotaryType.POWER: ("委托人身份证", "受托人身份证复印件", "委托事项涉及的财产权属证明"),
    NotaryType.DECLARATION: ("声明人身份证", "声明事项涉及的证明材料"),
    NotaryType.KINSHIP: ("申请人身份证、户口簿", "关系人身份证明", "档案、派出所等出具的亲属关系证明"),
    NotaryType.EDUCATION: ("申请人身份证", "毕业证书、学位证书原件"),
    NotaryType.NO_RECORD: ("申请人身份证", "公安机关出具的无犯罪记录证明"),
    NotaryType.CONTRACT: ("各方当事人身份证明", "合同（协议）文本", "标的物权属证明"),
    NotaryType.PRESERVATION: ("申请人身份证", "需保全证据的说明及存放地点"),
}
FEE_BASIS = gettext_lazy(
    "按福建省公证服务收费标准收取（公证法 第三十四条、第四十六条）；用于境外的翻译、认证费用另计。"
)
REDUCTION = gettext_lazy(
    "法律援助受援人（%(no)s）：公证机构应当减收或者免收公证费（公证法 第三十四条第二款，法律援助法 第五十三条第二款）。"
)


class NotaryForm(forms.Form):
    # Optional: an online application or a window without it still goes through, the notary confirms the type.
    notary_type = forms.ChoiceField(
        label=gettext_lazy("公证事项"),
        choices=[("", gettext_lazy("待公证员确认")), *NotaryType.choices],
        required=False,
    )
    for_use_abroad = forms.BooleanField(label=gettext_lazy("用于境外"), required=False)


def aid_matter_of(matter: Matter) -> Matter | None:
    """The person's legal-aid matter given (受理 = 给予法律援助) most recently, if any."""
    return given_matter(matter, LEGAL_AID_ITEM)


def save(matter: Matter, data: dict[str, Any]) -> None:
    NotaryRequest.objects.create(
        matter=matter,
        notary_type=data.get("notary_type") or "",
        for_use_abroad=bool(data.get("for_use_abroad")),
        aid_matter=aid_matter_of(matter),
    )


def facts(matter: Matter) -> list[tuple[str, str]]:
    request = NotaryRequest.objects.filter(matter=matter).select_related("aid_matter").first()
    if request is None:
        return []
    rows = [
        (
            _("公证事项"),
            (request.get_notary_type_display() or _("待公证员确认"))
            + (_("（用于境外）") if request.for_use_abroad else ""),
        ),
        (_("所需材料"), "；".join(MATERIALS.get(request.notary_type, (_("身份证明，其余由公证员告知"),)))),
        (_("收费依据"), str(FEE_BASIS)),
    ]
    if request.aid_matter is not None:
        rows.append((_("公证费减免"), str(REDUCTION) % {"no": request.aid_matter.tracking_no}))
    return rows


NOTARY = ItemData((ITEM,), NotaryForm, save, facts)
