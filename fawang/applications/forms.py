"""The forms of the application steps. The same forms check what the pages post and what the API sends
(actions.do_save_step binds them), so the rules and their Chinese messages are written once.

Each item's 事项情况 is a ``MatterForm`` subclass: ``FACTS`` names the fields kept in ``Application.facts``;
``description`` and ``region`` are columns.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fawang.matters.models import SpecialGroup, normalize_person_phone, validate_person_phone
from fawang.regions.forms import RegionCascadeMixin, RegionField
from fawang.regions.models import Region

from . import choices as form_choices
from .models import MAX_INCOME

MAX_TEXT = 3000
MAX_ROWS = 10


def _phone(value: str) -> str:
    value = normalize_person_phone(value or "")
    if value:
        validate_person_phone(value)
    return value


def _text(
    required_message: Any, *, label: Any, max_length: int = MAX_TEXT, rows: int = 5, **kw: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message,
            "max_length": _("不能超过 %(limit_value)d 个字（现在 %(show_value)d 个）。"),
        },
        **kw,
    )


def _choice(choices: Any, *, label: Any, required: Any, **kw: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", _("请选择")), *choices],
        error_messages={"required": required, "invalid_choice": _("请从列表中选择。")},
        **kw,
    )


def _money(label: Any, **kw: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=MAX_INCOME,
        max_digits=9,
        decimal_places=2,
        error_messages={
            "invalid": _("请输入金额（元），例如 2500 或 2500.50。"),
            "min_value": _("金额不能为负数。"),
            "max_value": _("金额过大，请核对。"),
            "max_digits": _("金额过大，请核对。"),
            "max_decimal_places": _("金额最多保留两位小数。"),
            "max_whole_digits": _("金额过大，请核对。"),
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
        **kw,
    )


# ------------------------------------------------------------------------------------------- 申请人信息


class ApplicantForm(forms.Form):
    """Name and ID number come from the real-name profile (shown, not edited here)."""

    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        help_text=_("办理机构通过此号码与您联系；手机号码或带区号的固定电话。"),
        error_messages={"required": _("请填写联系电话。")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(
        label=_("住所地（联系地址）"),
        max_length=200,
        required=False,
        help_text=_("户籍地或经常居住地的详细地址。"),
        error_messages={"required": _("请填写住所地（联系地址）。")},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    special_groups = forms.MultipleChoiceField(
        label=_("特殊群体"),
        choices=SpecialGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("属于以下群体的请勾选，可获优先办理；不属于的不用勾选。"),
        error_messages={"invalid_choice": _("请从列表中选择。"), "invalid_list": _("请从列表中选择。")},
    )

    def __init__(self, *args: Any, address_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].required = address_required

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"])


# ------------------------------------------------------------------------------------------- 事项情况


class MatterForm(RegionCascadeMixin, forms.Form):
    """What every item asks: a description and the region that decides the handling unit."""

    FACTS: ClassVar[tuple[str, ...]] = ()

    description = _text(
        _("请填写事项说明。"), label=_("事项说明"), help_text=_("请写明您要办理什么、有关的经过。")
    )
    region = RegionField(
        label=_("所在地区"),
        min_level=Region.Level.COUNTY,
        help_text=_("选择您所在或事情发生的区县（可以继续选到乡镇、村居）。"),
        error_messages={"required": _("请选择所在地区。")},
    )

    def facts(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name, "") for name in self.FACTS}


class LegalAidMatterForm(MatterForm):
    FACTS = ("category", "stage", "authority")

    category = _choice(
        form_choices.LegalAidCategory.choices, label=_("申请事项（案由）"), required=_("请选择申请事项。")
    )
    stage = _choice(
        form_choices.LegalAidStage.choices,
        label=_("所处阶段"),
        required=_("请选择所处阶段。"),
        help_text=_("已经起诉或者立案的选“诉讼”；尚未起诉，正在协商、调解或者申请仲裁的选“非诉讼”。"),
    )
    authority = forms.CharField(
        label=_("办案机关或者争议处理机关"),
        max_length=100,
        required=False,
        help_text=_("已知道的请填写，例如 ××区人民法院、××劳动人事争议仲裁委员会；不知道的可以不填。"),
    )
    description = _text(
        _("请填写案情及申请理由。"),
        label=_("案情及申请理由"),
        help_text=_("请写明事情经过、争议焦点、您的请求，以及为什么需要法律援助。"),
    )
    # 第三十八条: 诉讼事项向办案机关所在地、非诉讼事项向争议处理机关所在地或者事由发生地的法律援助机构申请。
    region = RegionField(
        label=_("办案机关所在地或者事由发生地"),
        min_level=Region.Level.COUNTY,
        help_text=_(
            "已经起诉或者立案的，选择法院、检察院、公安机关所在的区县；尚未起诉的，选择事情发生地（法律援助法 第三十八条）。"
        ),
        error_messages={"required": _("请选择办案机关所在地或者事由发生地。")},
    )

    field_order = ["category", "stage", "authority", "description", "region"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category, stage = data.get("category"), data.get("stage")
        criminal = category in form_choices.CRIMINAL_CATEGORIES
        if category and stage and criminal != (stage == form_choices.LegalAidStage.CRIMINAL):
            message = (
                _("刑事案件的法律援助，所处阶段请选择“刑事诉讼”。")
                if criminal
                else _("所处阶段为“刑事诉讼”的，申请事项请选择刑事辩护或者刑事案件的代理。")
            )
            self.add_error("stage", message)
        return data


class MediationMatterForm(MatterForm):
    FACTS = ("dispute_type", "claim", "consent")

    dispute_type = _choice(
        form_choices.DisputeType.choices, label=_("纠纷类型"), required=_("请选择纠纷类型。")
    )
    description = _text(
        _("请填写纠纷事实。"), label=_("纠纷事实"), help_text=_("纠纷是怎么发生的，双方争执的是什么。")
    )
    claim = _text(
        _("请填写您的调解请求。"),
        label=_("调解请求"),
        max_length=1000,
        rows=3,
        help_text=_("您希望通过调解解决什么，例如赔偿金额、停止侵害。"),
    )
    consent = _choice(
        form_choices.Consent.choices,
        label=_("对方是否同意调解"),
        required=_("请选择对方是否同意调解。"),
        help_text=_("人民调解遵循自愿原则，当事人一方明确拒绝调解的，不得调解（人民调解法 第十七条）。"),
    )
    region = RegionField(
        label=_("纠纷发生地"),
        min_level=Region.Level.TOWN,
        help_text=_("请选择到乡镇（街道），能选到村（社区）的请继续选择；由当地人民调解委员会受理。"),
        error_messages={"required": _("请选择纠纷发生地。")},
    )

    field_order = ["dispute_type", "description", "claim", "consent", "region"]


class NotaryMatterForm(MatterForm):
    FACTS = ("notary_type", "use_place", "country")

    notary_type = _choice(
        form_choices.NotaryType.choices, label=_("公证事项"), required=_("请选择公证事项。")
    )
    use_place = _choice(
        form_choices.UsePlace.choices, label=_("公证书使用地"), required=_("请选择公证书使用地。")
    )
    country = forms.CharField(
        label=_("使用国家或者地区"),
        max_length=60,
        required=False,
        help_text=_("在境外使用的必填，例如 日本、中国香港特别行政区。"),
    )
    description = _text(
        _("请填写公证用途和有关情况。"),
        label=_("公证用途和有关情况"),
        help_text=_(
            "公证书用来做什么，涉及哪些人、哪些财产或者文书（公证法 第二十七条：如实说明有关情况）。"
        ),
    )
    # 公证法 第二十五条: 可以向住所地、经常居住地、行为地或者事实发生地的公证机构提出。
    region = RegionField(
        label=_("住所地、经常居住地、行为地或者事实发生地"),
        min_level=Region.Level.COUNTY,
        help_text=_("由该地的公证机构办理；涉及不动产的，选择不动产所在地（公证法 第二十五条）。"),
        error_messages={"required": _("请选择地区。")},
    )

    field_order = ["notary_type", "use_place", "country", "description", "region"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("use_place") == form_choices.UsePlace.ABROAD and not (data.get("country") or "").strip():
            self.add_error("country", _("在境外使用的，请填写使用国家或者地区。"))
        if data.get("use_place") == form_choices.UsePlace.DOMESTIC:
            data["country"] = ""
        return data


class AppraisalMatterForm(MatterForm):
    FACTS = ("appraisal_type", "commissioner", "case_authority")

    appraisal_type = _choice(
        form_choices.AppraisalType.choices, label=_("鉴定类别"), required=_("请选择鉴定类别。")
    )
    commissioner = _choice(
        form_choices.Commissioner.choices,
        label=_("委托方"),
        required=_("请选择委托方。"),
        help_text=_("诉讼中的司法鉴定一般由人民法院等办案机关委托；本人委托的请选“本人委托”。"),
    )
    case_authority = forms.CharField(
        label=_("办案机关和案号"), max_length=100, required=False, help_text=_("已进入诉讼的请填写。")
    )
    description = _text(
        _("请填写鉴定事项和要求。"),
        label=_("鉴定事项和要求"),
        help_text=_("需要鉴定什么、用于什么案件或者事务。"),
    )
    region = RegionField(
        label=_("所在地区"),
        min_level=Region.Level.COUNTY,
        help_text=_("选择您所在或者案件办理地的区县。"),
        error_messages={"required": _("请选择所在地区。")},
    )

    field_order = ["appraisal_type", "commissioner", "case_authority", "description", "region"]


class LawyerMatterForm(MatterForm):
    FACTS = ("service_kind", "preferred_time")

    service_kind = _choice(
        form_choices.LawyerService.choices, label=_("服务类型"), required=_("请选择服务类型。")
    )
    description = _text(
        _("请填写需要律师服务的事项概要。"),
        label=_("事项概要"),
        help_text=_("简要写明事情经过和您需要律师做什么。"),
    )
    preferred_time = forms.CharField(
        label=_("方便联系或者面谈的时间"),
        max_length=60,
        required=False,
        help_text=_("例如 工作日下午、周六上午。"),
    )
    region = RegionField(
        label=_("所在地区"),
        min_level=Region.Level.COUNTY,
        help_text=_("选择您所在的区县，由当地公共法律服务中心安排律师。"),
        error_messages={"required": _("请选择所在地区。")},
    )

    field_order = ["service_kind", "description", "preferred_time", "region"]


# ------------------------------------------------------------------------------------------- rows


class RowFormSet(forms.BaseFormSet):
    """Rows a person adds (parties, household members): blank rows are ignored, deleted ones dropped."""

    min_rows = 0
    min_message: Any = ""

    def clean(self) -> None:
        if any(self.errors):
            return
        if len(self.rows()) < self.min_rows:
            raise ValidationError(self.min_message, code="too_few_rows")

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            out.append({k: v for k, v in data.items() if k != "DELETE"})
        return out


class PartyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=form_choices.PartyKind.choices,
        initial=form_choices.PartyKind.PERSON,
        required=False,
        error_messages={"invalid_choice": _("请从列表中选择。")},
    )
    name = forms.CharField(
        label=_("姓名或者名称"), max_length=100, error_messages={"required": _("请填写姓名或者名称。")}
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False, help_text=_("知道的请填写。"))
    address = forms.CharField(label=_("住所地或者联系地址"), max_length=200, required=False)

    def has_changed(self) -> bool:
        # The kind has a default: a row counts (and is checked) once a name, phone or address is given.
        return any(name != "kind" for name in self.changed_data)

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or form_choices.PartyKind.PERSON

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"])


class MemberForm(forms.Form):
    name = forms.CharField(
        label=_("姓名"), max_length=32, error_messages={"required": _("请填写家庭成员姓名。")}
    )
    relation = forms.ChoiceField(
        label=_("与申请人关系"),
        choices=[("", _("请选择")), *form_choices.Relation.choices],
        error_messages={"required": _("请选择与申请人的关系。"), "invalid_choice": _("请从列表中选择。")},
    )
    monthly_income = _money(_("月收入（元）"), required=False, help_text=_("没有收入的填 0。"))

    def clean_monthly_income(self) -> Decimal:
        return self.cleaned_data["monthly_income"] or Decimal(0)


def row_formset(form: type[forms.Form], *, min_rows: int = 0, min_message: Any = "") -> type[RowFormSet]:
    base = type("Rows", (RowFormSet,), {"min_rows": min_rows, "min_message": min_message})
    return forms.formset_factory(  # type: ignore[return-value]  # built on ``base``, a RowFormSet
        form,
        formset=base,
        extra=2,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_ROWS,
        can_delete=True,
    )


# ------------------------------------------------------------------------------------------- 家庭经济状况


class MeansForm(forms.Form):
    """The means test facts, or the grounds that waive it (法律援助法 第三十二条、第四十一条、第四十二条)."""

    # Labels of the grounds ticked in advance from the applicant's own answers (set by the step, shown above it).
    suggested: tuple[str, ...] = ()

    grounds_32 = forms.MultipleChoiceField(
        label=_("不受经济困难条件限制的情形（法律援助法 第三十二条）"),
        choices=[(g.value, g.label) for g in form_choices.ARTICLE_32],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("属于下列情形之一的，申请法律援助不受经济困难条件的限制，可以不填写经济状况。"),
        error_messages={"invalid_choice": _("请从列表中选择。"), "invalid_list": _("请从列表中选择。")},
    )
    grounds_42 = forms.MultipleChoiceField(
        label=_("免予核查经济困难状况的人员（法律援助法 第四十二条）"),
        choices=[(g.value, g.label) for g in form_choices.ARTICLE_42],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("有材料证明属于下列人员之一的，免予核查经济困难状况；请在“申请材料”一步上传证明材料。"),
        error_messages={"invalid_choice": _("请从列表中选择。"), "invalid_list": _("请从列表中选择。")},
    )
    exemption_note = forms.CharField(
        label=_("其他情形或者人员的依据"),
        max_length=300,
        required=False,
        help_text=_("选择了“法律、法规、规章规定的其他情形（人员）”的，请写明所依据的规定。"),
    )
    applicant_income = _money(
        _("申请人本人月收入（元）"),
        required=False,
        help_text=_("工资、经营、养老金等各项收入合计；没有收入的填 0。"),
    )
    hardship_statement = _text(
        _("请填写经济困难状况说明。"),
        label=_("经济困难状况说明"),
        max_length=2000,
        rows=4,
        required=False,
        help_text=_("如实说明家庭收入、财产和困难原因（法律援助法 第四十一条第一款）。"),
    )
    pledged = forms.BooleanField(
        label=_("本人承诺：以上经济困难状况说明真实、准确，如有虚假，愿意承担相应的法律责任。"),
        required=False,
        help_text=_("个人诚信承诺（法律援助法 第四十一条第二款）；法律援助机构可以通过信息共享查询核实。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        grounds = [*data.get("grounds_32", []), *data.get("grounds_42", [])]
        data["exemption_grounds"] = [g for g in form_choices.ExemptionGround.values if g in grounds]
        if set(grounds) & form_choices.OTHER_GROUNDS and not (data.get("exemption_note") or "").strip():
            self.add_error("exemption_note", _("请写明所依据的法律、法规或者规章。"))
        if not grounds:
            # 第四十一条: 因经济困难申请法律援助的，申请人应当如实说明经济困难状况.
            if data.get("applicant_income") is None and "applicant_income" not in self.errors:
                self.add_error("applicant_income", _("请填写申请人本人月收入；没有收入的填 0。"))
            if not (data.get("hardship_statement") or "").strip() and "hardship_statement" not in self.errors:
                self.add_error("hardship_statement", _("请填写经济困难状况说明。"))
            if not data.get("pledged"):
                self.add_error("pledged", _("因经济困难申请法律援助的，请作出个人诚信承诺。"))
        return data


# ------------------------------------------------------------------------------------------- 确认提交


class SubmitForm(forms.Form):
    pledge = forms.BooleanField(
        label=_("本人承诺所填写的信息和提交的材料真实、完整。"),
        error_messages={"required": _("请勾选承诺后再提交。")},
    )


class UploadForm(forms.Form):
    slot = forms.CharField(max_length=20, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("选择文件"),
        help_text=_("支持 PDF、JPG、PNG 图片或 Word（.docx），每个不超过 10 MB。"),
        error_messages={
            "required": _("请选择要上传的文件。"),
            "empty": _("文件为空，请重新选择。"),
            "invalid": _("没有收到文件，请重新选择。"),
            "max_length": _("文件名过长，请改名后再上传。"),
        },
        max_length=200,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
    )
