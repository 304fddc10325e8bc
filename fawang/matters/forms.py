"""Forms of the staff workbench: queue filters, bulk assign, one small form per action on a matter, attachments,
the intake form with its formset of requests (一窗办多事), callbacks and rectifications.

Forms only shape input. The rules (a reason is required, the handler must work for the unit, the status must
allow the move) live in the actions, whose Chinese messages the views put back on these forms.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fawang.accounts.models import User
from fawang.catalog import cache as catalog_cache
from fawang.catalog.models import Channel, ServiceItem
from fawang.lib import codes, memo
from fawang.lib.choices import ListedChoiceIterator, ModelChoiceField
from fawang.lib.formfields import choice_field, model_choice_field
from fawang.lib.validators import validate_id_number
from fawang.orgs.authority import routing_filter
from fawang.orgs.models import Membership, Speciality, Unit
from fawang.regions.forms import RegionCascadeMixin, RegionField
from fawang.regions.models import Region
from fawang.regions.widgets import is_code

from .actions import HANDLER_ROLES, MatterRequest, PersonData, outside_hotlines
from .models import Evaluation, Matter, SpecialGroup, validate_person_phone

TEXTAREA = forms.Textarea(attrs={"rows": 2})
# Units a matter is transferred to or routed to by hand: not the 882 village rooms nor the law firms, which
# receive work through their own lines (advisors, legal-aid assignments), so the list stays usable.
NOT_ROUTABLE_KINDS = (Unit.Kind.ROOM, Unit.Kind.LAW_FIRM)


def handlers_of(unit_id: int) -> QuerySet[User]:
    """Active staff who can be made handler (承办人) of a matter of ``unit_id`` (as do_assign checks)."""
    member = Membership.objects.active().filter(unit_id=unit_id, role__in=HANDLER_ROLES)
    return User.objects.filter(is_active=True, pk__in=member.values("user_id")).order_by(
        "display_name", "username"
    )


class UserChoiceField(ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name or obj.username)


def routable_units(user: User) -> QuerySet[Unit]:
    """Where ``user`` may send a matter (orgs.authority.routing_filter): not only the units they reach."""
    return (
        Unit.objects.filter(routing_filter(user))
        .active()
        .exclude(kind__in=NOT_ROUTABLE_KINDS)
        .order_by("region_id", "kind", "name")
    )


# --------------------------------------------------------------------------------------------- queues


def _names(model: type[ServiceItem] | type[Speciality]) -> list[tuple[int, str]]:
    """(id, name) of every row of a small catalogue table, in its order, for filters; remembered per process for
    REFERENCE_CACHE_SECONDS (fawang/lib/memo.py)."""
    return memo.remembered(
        ("matters.names", model._meta.label),
        lambda: list(model.objects.order_by("order", "code").values_list("pk", "name")),
    )


class MatterFilterForm(RegionCascadeMixin, forms.Form):
    STATUS_OPEN = "open"

    q = forms.CharField(
        label=_("查找"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": _("受理编号、联系电话或身份证号码"), "type": "search"}),
        help_text=_("须输入完整号码。"),
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), ("open", _("未办结（全部在办）")), *Matter.Status.choices],
    )
    item = forms.TypedChoiceField(
        label=_("服务事项"),
        required=False,
        coerce=int,
        choices=lambda: [("", _("全部事项")), *_names(ServiceItem)],
    )
    channel = forms.ChoiceField(
        label=_("渠道"), required=False, choices=[("", _("全部渠道")), *Channel.choices]
    )
    topic = forms.TypedChoiceField(
        label=_("领域"),
        required=False,
        coerce=int,
        choices=lambda: [("", _("全部领域")), *_names(Speciality)],
    )
    region = RegionField(label=_("所涉区划"), required=False)
    due_soon = forms.BooleanField(label=_("临期"), required=False)
    overdue = forms.BooleanField(label=_("超期"), required=False)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[("due", _("按办理时限")), ("new", _("按提交时间（新的在前）"))],
    )

    def __init__(self, *args: Any, region_root: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, RegionField)
        region.root = region_root


class BulkAssignForm(forms.Form):
    """The handler for the rows ticked in a queue (the ticked ids are read by the view, scoped by visible_to)."""

    handler = UserChoiceField(label=_("承办人"), queryset=User.objects.none(), empty_label=_("请选择承办人"))

    def __init__(self, *args: Any, handlers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "handler").queryset = handlers
        self.fields["handler"].error_messages["required"] = _("请选择承办人。")
        self.fields["handler"].error_messages["invalid_choice"] = _("承办人须为本机构在岗的承办人员。")


# --------------------------------------------------------------------------------------------- actions


class ActionForm(forms.Form):
    """The input of one action on a matter (matters.registry): the console shows it as the action's small form
    and the API takes its JSON body through it, so both validate the same fields the same way. Every action
    form is made with the matter and the acting user (choices may depend on them)."""

    def __init__(self, *args: Any, matter: Matter, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matter = matter
        self.user = user


class NoteForm(ActionForm):
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=TEXTAREA)


class ReasonForm(ActionForm):
    # Required by the action, which says so in its own words ("请填写不予受理的理由。").
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000, widget=TEXTAREA)


class CompleteForm(ActionForm):
    result = forms.CharField(
        label=_("办理结果"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("将告知服务对象。"),
    )


class MaterialNamesField(forms.MultipleChoiceField):
    """The materials of the item's catalogue as checkboxes; an API client may also name others (the action
    takes any names, as the 其他材料 box does)."""

    def valid_value(self, value: str) -> bool:
        return 0 < len(str(value).strip()) <= 200


class RequestMaterialsForm(ActionForm):
    missing = MaterialNamesField(
        label=_("需补正的材料"), required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )
    other = forms.CharField(
        label=_("其他材料"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("目录以外的材料，每行一项。请一次性列全。"),
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = [m.name for m in self.matter.service_item.materials.all()]
        choice_field(self, "missing").choices = [(n, n) for n in names]

    def missing_list(self) -> list[str]:
        other = [line.strip() for line in re.split(r"[\r\n]+", self.cleaned_data.get("other", ""))]
        return [*self.cleaned_data.get("missing", []), *(o for o in other if o)]


class AssignForm(ActionForm):
    handler = UserChoiceField(label=_("承办人"), queryset=User.objects.none(), empty_label=_("请选择承办人"))
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "handler").queryset = handlers_of(self.matter.unit_id)
        self.fields["handler"].error_messages["required"] = _("请选择承办人。")
        self.fields["handler"].error_messages["invalid_choice"] = _("承办人须为本机构在岗的承办人员。")


class TransferForm(ActionForm):
    unit = ModelChoiceField(label=_("转至机构"), queryset=Unit.objects.none(), empty_label=_("请选择机构"))
    reason = forms.CharField(label=_("转办理由"), required=False, max_length=2000, widget=TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Plus the outside hotlines (12345, 12315, 110) serving the matter's region, whatever the agent's level.
        hotlines = outside_hotlines(self.matter.region_id)
        model_choice_field(self, "unit").queryset = (routable_units(self.user) | hotlines).exclude(
            pk=self.matter.unit_id
        )
        self.fields["unit"].error_messages["required"] = _("请选择转办的机构。")
        self.fields["unit"].error_messages["invalid_choice"] = _("只能转办给您辖区内在用的机构。")


class ChangeItemForm(ActionForm):
    service_item = ModelChoiceField(
        label=_("转为事项"), queryset=ServiceItem.objects.none(), empty_label=_("请选择服务事项")
    )
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000, widget=TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "service_item").queryset = ServiceItem.objects.active().exclude(
            pk=self.matter.service_item_id
        )
        self.fields["service_item"].error_messages["required"] = _("请选择要转换的服务事项。")


class CommentForm(ActionForm):
    text = forms.CharField(label=_("留言内容"), required=False, max_length=2000, widget=TEXTAREA)
    visible = forms.BooleanField(
        label=_("服务对象可见"), required=False, help_text=_("不勾选则为内部记录，仅工作人员可见。")
    )


class MergeForm(ActionForm):
    tracking_nos = forms.CharField(
        label=_("重复事项的受理编号"),
        required=False,
        max_length=400,
        help_text=_("同一服务对象的重复事项，多个编号用空格或逗号分隔。"),
    )
    reason = forms.CharField(label=_("合并理由"), required=False, max_length=2000, widget=TEXTAREA)

    def numbers(self) -> list[str]:
        return [n for n in re.split(r"[\s,，、;；]+", self.cleaned_data.get("tracking_nos", "")) if n]


class RateForm(ActionForm):
    level = forms.TypedChoiceField(
        label=_("评价"),
        coerce=int,
        choices=[("", _("请选择")), *Evaluation.Level.choices],
        error_messages={"required": _("请选择评价等级。")},
    )
    comment = forms.CharField(label=_("评价内容"), required=False, max_length=2000, widget=TEXTAREA)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("文件"), error_messages={"required": _("请选择要上传的文件。")})
    material: ModelChoiceField = ModelChoiceField(  # type: ignore[type-arg,unused-ignore]
        label=_("对应材料"), required=False, queryset=None, empty_label=_("（不对应目录中的材料）")
    )

    def __init__(self, *args: Any, matter: Matter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "material").queryset = matter.service_item.materials.all()
        self.fields["file"].help_text = _("PDF、JPG、PNG 或 Word（.docx），不超过 10 MB。")


class RevealForm(forms.Form):
    PURPOSES = [
        ("办理事项", _("办理事项需要")),
        ("联系服务对象", _("联系服务对象")),
        ("核实身份", _("核实身份")),
        ("回访", _("回访")),
    ]
    purpose = forms.ChoiceField(label=_("查看事由"), choices=PURPOSES, required=False)

    def purpose_text(self) -> str:
        return str(self.cleaned_data.get("purpose") or self.PURPOSES[0][0]) if self.is_valid() else "办理事项"


class TopicForm(forms.Form):
    """更正领域 on the matter detail."""

    topic = ModelChoiceField(
        label=_("所涉领域"),
        queryset=Speciality.objects.all(),
        empty_label=_("请选择领域"),
        error_messages={"required": _("请选择所涉领域。"), "invalid_choice": _("请选择所涉领域。")},
    )


# --------------------------------------------------------------------------------------------- intake


class IntakeRegionField(RegionField):
    """The region of an intake, looked up in the process's copy of the regions asked for lately
    (fawang/lib/memo.py, REFERENCE_CACHE_SECONDS) rather than by a query on every submission: region rows change
    only when the division codes are imported again, and a code and its level never change."""

    def to_python(self, value: Any) -> Region | None:
        if isinstance(value, Region) or value in self.empty_values:
            return super().to_python(value)
        code = codes.canonical(str(value))
        if not is_code(code):
            return super().to_python(value)  # refused with the field's own message
        region = memo.remembered(
            ("matters.intake_region", code), lambda: Region.objects.filter(code=code).first()
        )
        if region is None:
            raise forms.ValidationError(self.error_messages["missing"], code="missing")
        return copy.copy(region)


class IntakeForm(RegionCascadeMixin, forms.Form):
    """The visit: who came (or called), about which place, through which channel."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    channel = forms.ChoiceField(label=_("受理渠道"), choices=Channel.choices)
    name = forms.CharField(
        label=_("姓名"), max_length=32, error_messages={"required": _("请填写服务对象姓名。")}
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        validators=[validate_person_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=18,
        required=False,
        validators=[validate_id_number],
        help_text=_("法律援助、公证等事项必须登记。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    special_groups = forms.MultipleChoiceField(
        label=_("特殊群体"),
        required=False,
        choices=SpecialGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    address = forms.CharField(label=_("联系地址"), max_length=200, required=False)
    region = IntakeRegionField(
        label=_("所涉区划"),
        min_level=3,
        help_text=_("纠纷发生地或申请人住所地，至少选到县（区）；据此分派办理机构。"),
        error_messages={"required": _("请选择事项所涉区划。")},
    )

    def __init__(self, *args: Any, region_root: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, RegionField)
        region.root = region_root

    def clean_id_number(self) -> str:
        return str(self.cleaned_data.get("id_number") or "").strip().upper()

    def person(self) -> PersonData:
        """The person as the intake actions take it (once the form is valid)."""
        d = self.cleaned_data
        return PersonData(
            name=d["name"],
            phone=d["phone"],
            id_number=d["id_number"],
            special_groups=d["special_groups"],
            address=d["address"],
        )


class ServiceItemField(ModelChoiceField):
    """An active service item, the choice read from the process's copy of the catalogue (fawang/catalog/cache.py)
    rather than by a query on every submission; the options shown are still the queryset's."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values or isinstance(value, ServiceItem) or not catalog_cache.enabled():
            return super().to_python(value)
        item = catalog_cache.service_item(value) if str(value).isdigit() else None
        if item is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return item


class _RoutableUnits(ListedChoiceIterator):
    """The options of a RoutableUnitField, read from the field when shown (not when the field is made)."""

    def _read(self) -> None:
        queryset = self.field.queryset
        assert queryset is not None
        self.queryset = queryset

    def __iter__(self) -> Iterator[Any]:
        self._read()
        return super().__iter__()

    def __len__(self) -> int:
        self._read()
        return super().__len__()

    def __bool__(self) -> bool:
        self._read()
        return super().__bool__()


class RoutableUnitField(ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    """The unit a clerk names by hand (routable_units of ``routing_user``), its list built only when needed: a
    row that names a unit, or the form shown again. Most intake rows name none, and the list's filter costs as
    much to build as a query (bench/bench_matters.py)."""

    iterator = _RoutableUnits
    routing_user: User | None = None

    @property
    def queryset(self) -> Any:
        if self.routing_user is not None:
            user, self.routing_user = self.routing_user, None
            self._queryset = routable_units(user)
        return self._queryset

    @queryset.setter
    def queryset(self, queryset: Any) -> None:
        self.routing_user = None
        ModelChoiceField._set_queryset(self, queryset)  # type: ignore[attr-defined]


class RequestForm(forms.Form):
    """One request of the visit."""

    service_item = ServiceItemField(
        label=_("服务事项"),
        queryset=ServiceItem.objects.active(),
        empty_label=_("请选择服务事项"),
        error_messages={"required": _("请选择服务事项。")},
    )
    topic = ModelChoiceField(
        label=_("所涉领域"), required=False, queryset=Speciality.objects.all(), empty_label=_("（不限）")
    )
    description = forms.CharField(
        label=_("事项描述"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写事项描述。")},
    )
    unit = RoutableUnitField(
        label=_("人工指定办理机构"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=_("（按分派规则自动分派）"),
    )
    unit_reason = forms.CharField(label=_("指定理由"), required=False, max_length=500)
    answer = forms.CharField(
        label=_("当场答复内容"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "当场解答的，填写答复内容，提交即办结（当场答复办结），答复记入办理记录并告知服务对象；"
            "需要研究的疑难问题请留空，按时限答复。"
        ),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            field = self.fields["unit"]
            assert isinstance(field, RoutableUnitField)
            field.routing_user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("unit") and not (data.get("unit_reason") or "").strip():
            self.add_error("unit_reason", _("人工指定办理机构须说明理由。"))
        item = data.get("service_item")
        if (data.get("answer") or "").strip():
            # The action checks the same (and the channel); said here on the row's own field.
            if item is not None and not item.handled_at_intake:
                self.add_error(
                    "answer", _("“%(item)s”须由办理机构受理办理，不能当场答复办结。") % {"item": item.name}
                )
            elif data.get("unit"):
                self.add_error("answer", _("当场答复办结的事项由本机构办理，请不要同时人工指定办理机构。"))
        return data

    def matter_request(self, region: Region) -> MatterRequest:
        """The request at ``region`` as the intake actions take it (once the form is valid); the answer given at
        once and the item's own fields are the full intake page's to add."""
        r = self.cleaned_data
        return MatterRequest(
            service_item=r["service_item"],
            description=r["description"],
            region=region,
            topic=r.get("topic"),
            unit=r.get("unit"),
            unit_reason=r.get("unit_reason", ""),
        )


class BaseRequestFormSet(forms.BaseFormSet):  # type: ignore[type-arg,unused-ignore]
    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "user": self.user}


RequestFormSet = forms.formset_factory(
    RequestForm,
    formset=BaseRequestFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=10,
    validate_max=True,
)


# --------------------------------------------------------------------------------------------- feedback


class CallbackForm(forms.Form):
    outcome = forms.CharField(
        label=_("回访情况"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    satisfied = forms.TypedChoiceField(
        label=_("回访后是否满意"),
        required=False,
        choices=[("", _("未表态")), ("yes", _("满意")), ("no", _("不满意"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )


class RectificationForm(forms.Form):
    measures = forms.CharField(
        label=_("整改措施"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
