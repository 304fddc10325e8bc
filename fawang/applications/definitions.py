"""Per-item form definitions: which steps an online application of a service item has, and what each step
asks, shows and needs before submission. One generic set of views, API endpoints and actions serves them all.

申请人信息 → 事项情况 → (对方当事人 | 被申请人) → (家庭经济状况 / 免予审查) → 申请材料 → 确认提交

A step binds its forms to posted (or API) data, saves what they cleaned, gives its value back in the API's
shape, lists what is still missing, and summarises itself for the confirmation page, the citizen's copy and
the staff console. Items are matched by code, then by business line; the rest get the generic form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.catalog.models import BusinessLine, Material, ServiceItem
from fawang.lib.validators import mask_id_number, mask_name, mask_phone
from fawang.matters.models import SpecialGroup

from . import choices as form_choices
from . import forms as step_forms
from .models import Application, ApplicationFile, HouseholdMember, Means, Party

# ------------------------------------------------------------------------------------------- bound forms


@dataclass
class Bound:
    """A step's forms, bound to what was posted (or sent to the API), or unbound with the saved values."""

    form: forms.Form | None = None
    rows: step_forms.RowFormSet | None = None
    aliases: Mapping[str, str] = field(default_factory=dict)  # form field -> API field, for errors

    @property
    def cascading(self) -> bool:
        return bool(getattr(self.form, "cascading", False))

    def is_valid(self) -> bool:
        ok = self.form.is_valid() if self.form is not None else True
        if self.rows is not None:
            ok = self.rows.is_valid() and ok
        return ok

    def error_dict(self) -> dict[str, list[str]]:
        """Errors keyed as the API names its fields: ``phone``, ``parties[0].name``, ``parties``."""
        out: dict[str, list[str]] = {}
        if self.form is not None:
            for name, errors in self.form.errors.items():
                key = "non_field_errors" if name == "__all__" else self.aliases.get(name, name)
                out.setdefault(key, []).extend(str(e) for e in errors)
        if self.rows is not None:
            prefix = self.rows.prefix or ""
            for i, row in enumerate(self.rows.forms):
                for name, messages in row.errors.items():
                    key = f"{prefix}[{i}]" if name == "__all__" else f"{prefix}[{i}].{name}"
                    out.setdefault(key, []).extend(str(m) for m in messages)
            if self.rows.non_form_errors():
                out.setdefault(prefix, []).extend(str(m) for m in self.rows.non_form_errors())
        return out


class StepInvalid(ValidationError):
    """A step's data did not validate; ``bound`` carries the forms with their errors for the page."""

    def __init__(self, bound: Bound) -> None:
        errors = bound.error_dict() or {"non_field_errors": [_("提交的信息有误，请检查后重试。")]}
        super().__init__(errors)
        self.bound = bound


def rows_form_data(prefix: str, rows: Any) -> dict[str, Any]:
    """A JSON list of row objects as the formset's POST data (the API sends lists, the page sends a formset)."""
    if rows in (None, ""):
        rows = []
    if not isinstance(rows, list):
        raise ValidationError({prefix: ValidationError(_("应为列表。"), code="not_a_list")})
    if len(rows) > step_forms.MAX_ROWS:
        raise ValidationError(
            {
                prefix: ValidationError(
                    _("最多填写 %(n)d 行。") % {"n": step_forms.MAX_ROWS}, code="too_many_rows"
                )
            }
        )
    data: dict[str, Any] = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ValidationError(
                {f"{prefix}[{i}]": ValidationError(_("每一行应为一个对象。"), code="not_an_object")}
            )
        for key, value in row.items():
            if isinstance(key, str) and key != "DELETE":
                data[f"{prefix}-{i}-{key}"] = value
    return data


def _label(form_class: type[forms.Form], name: str) -> str:
    return str(form_class.base_fields[name].label)


def _display(form_class: type[forms.Form], name: str, value: Any) -> str:
    if value in (None, "", []):
        return ""
    field_ = form_class.base_fields[name]
    if isinstance(field_, forms.ChoiceField):
        labels = {str(k): str(v) for k, v in getattr(field_, "choices", [])}
        return labels.get(str(value), str(value))
    return str(value)


# How much personal data a summary shows: the citizen's own copy (their own phone numbers in full, the ID number
# masked as on their profile), staff by default (masked names, phones and ID number), and staff after
# 查看完整信息 (everything; written to the access log by the caller).
OWN, MASKED, FULL = "own", "masked", "full"


def _shown_phone(value: str, disclose: str) -> str:
    return value if disclose in (OWN, FULL) else mask_phone(value)


def _shown_id(value: str, disclose: str) -> str:
    return value if disclose == FULL else mask_id_number(value)


def _shown_name(value: str, disclose: str) -> str:
    return value if disclose in (OWN, FULL) else mask_name(value)


def money(value: Decimal | None) -> str:
    return "" if value is None else _("%(amount)s 元") % {"amount": f"{value:,.2f}"}


@dataclass
class Section:
    """One step as shown on the confirmation page, the citizen's copy and the staff console."""

    code: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    note: str = ""


# ------------------------------------------------------------------------------------------- steps


class Step:
    code = ""
    title: Promise | str = ""
    template = ""
    saves = True  # has forms, saved by actions.do_save_step

    def __init__(self, definition: Definition) -> None:
        self.definition = definition

    def bind(self, app: Application, data: Mapping[str, Any] | None = None) -> Bound:
        return Bound()

    def form_data(self, app: Application, body: Mapping[str, Any]) -> dict[str, Any]:
        """The API's JSON body as the data the forms read."""
        return dict(body)

    def save(self, app: Application, bound: Bound) -> None:
        """Write what ``bound`` cleaned (inside the action's transaction, the application locked)."""

    def value(self, app: Application) -> dict[str, Any]:
        return {}

    def missing(self, app: Application) -> list[str]:
        if self.saves and self.code not in (app.steps_done or []):
            return [_("请填写“%(step)s”。") % {"step": self.title}]
        return []

    def summary(self, app: Application, *, disclose: str) -> Section:
        return Section(self.code, str(self.title))


class ApplicantStep(Step):
    code = "applicant"
    title = gettext_lazy("申请人信息")
    template = "applications/steps/applicant.html"

    def bind(self, app: Application, data: Mapping[str, Any] | None = None) -> Bound:
        initial = {
            "phone": app.applicant_phone or app.user.phone,
            "address": app.applicant_address,
            "special_groups": app.special_groups,
        }
        form = step_forms.ApplicantForm(
            data, initial=initial, address_required=self.definition.address_required, auto_id="applicant_%s"
        )
        return Bound(form)

    def save(self, app: Application, bound: Bound) -> None:
        from fawang.citizens.models import Profile

        assert bound.form is not None
        profile = Profile.objects.filter(user=app.user).exclude(id_number_hash="").first()
        if profile is None or not app.user.display_name:
            raise ValidationError(_("请先填写实名信息。"), code="no_real_name")
        d = bound.form.cleaned_data
        # A snapshot of the real-name details as applied with: a later change of profile leaves it as it was.
        app.applicant_name = app.user.display_name
        app.applicant_id_number = profile.id_number
        app.applicant_phone = d["phone"]
        app.applicant_address = d["address"].strip()
        app.special_groups = list(d["special_groups"])

    def value(self, app: Application) -> dict[str, Any]:
        from fawang.citizens.models import Profile

        if app.applicant_id_number:
            id_masked = app.applicant_id_number_masked
        else:  # not saved yet: what the step will take from the real-name profile
            profile = Profile.objects.filter(user=app.user).first()
            id_masked = profile.id_number_masked if profile and profile.id_number else ""
        return {
            "name": app.applicant_name or app.user.display_name,
            "id_number": id_masked,
            "phone": app.applicant_phone,
            "address": app.applicant_address,
            "special_groups": list(app.special_groups or []),
        }

    def summary(self, app: Application, *, disclose: str) -> Section:
        return Section(
            self.code,
            str(self.title),
            [
                (_("姓名"), _shown_name(app.applicant_name, disclose)),
                (_("身份证号码"), _shown_id(app.applicant_id_number, disclose)),
                (_("联系电话"), _shown_phone(app.applicant_phone, disclose)),
                (_("住所地（联系地址）"), app.applicant_address),
                (_("特殊群体"), "、".join(app.special_group_labels)),
            ],
        )


class MatterStep(Step):
    code = "matter"
    title = gettext_lazy("事项情况")
    template = "applications/steps/matter.html"

    @property
    def form_class(self) -> type[step_forms.MatterForm]:
        return self.definition.matter_form

    def bind(self, app: Application, data: Mapping[str, Any] | None = None) -> Bound:
        initial = {"description": app.description, "region": app.region_id, **(app.facts or {})}
        return Bound(self.form_class(data, initial=initial, auto_id="matter_%s"))

    def save(self, app: Application, bound: Bound) -> None:
        assert isinstance(bound.form, step_forms.MatterForm)
        d = bound.form.cleaned_data
        app.description = d["description"].strip()
        app.region = d["region"]
        app.facts = bound.form.facts()

    def value(self, app: Application) -> dict[str, Any]:
        return {
            **{name: (app.facts or {}).get(name, "") for name in self.form_class.FACTS},
            "description": app.description,
            "region": app.region_id or "",
        }

    def summary(self, app: Application, *, disclose: str) -> Section:
        form = self.form_class
        facts = app.facts or {}
        rows = [(_label(form, name), _display(form, name, facts.get(name))) for name in form.FACTS]
        rows.append((_label(form, "description"), app.description))
        region = (app.region.full_name or app.region.name) if app.region else ""
        rows.append((_label(form, "region"), region))
        note = ""
        if facts.get("consent") == form_choices.Consent.REFUSES:
            note = _(
                "对方明确拒绝调解的，人民调解委员会不得调解（人民调解法 第十七条）；调解委员会将与您联系。"
            )
        return Section(self.code, str(self.title), rows, note=note)

    def line(self, app: Application) -> str:
        """The facts in one line, for the matter's description (事项描述)."""
        form = self.form_class
        facts = app.facts or {}
        parts = [
            f"{_label(form, name)}：{_display(form, name, facts.get(name))}"
            for name in form.FACTS
            if facts.get(name)
        ]
        return "；".join(parts)


class PartiesStep(Step):
    code = "parties"
    template = "applications/steps/parties.html"
    prefix = "parties"

    def __init__(
        self,
        definition: Definition,
        *,
        role: str,
        title: Promise,
        min_rows: int,
        min_message: Promise | str,
        intro: Promise,
    ) -> None:
        super().__init__(definition)
        self.role = role
        self.title = title
        self.min_rows = min_rows
        self.intro = intro

        self.formset_class = step_forms.row_formset(
            step_forms.PartyForm, min_rows=min_rows, min_message=min_message
        )

    def _rows(self, app: Application) -> list[Party]:
        return [p for p in app.parties.all() if p.role == self.role]

    def bind(self, app: Application, data: Mapping[str, Any] | None = None) -> Bound:
        if data is None:
            initial = [
                {"kind": p.kind, "name": p.name, "phone": p.phone, "address": p.address}
                for p in self._rows(app)
            ]
            return Bound(rows=self.formset_class(initial=initial, prefix=self.prefix))
        return Bound(rows=self.formset_class(data, prefix=self.prefix))

    def form_data(self, app: Application, body: Mapping[str, Any]) -> dict[str, Any]:
        return rows_form_data(self.prefix, body.get(self.prefix))

    def save(self, app: Application, bound: Bound) -> None:
        assert bound.rows is not None
        app.parties.filter(role=self.role).delete()
        Party.objects.bulk_create(
            Party(
                application=app,
                role=self.role,
                kind=row["kind"],
                name=row["name"].strip(),
                phone=row["phone"],
                address=row["address"].strip(),
                order=i,
            )
            for i, row in enumerate(bound.rows.rows())
        )

    def value(self, app: Application) -> dict[str, Any]:
        rows = [
            {"kind": p.kind, "name": p.name, "phone": p.phone, "address": p.address} for p in self._rows(app)
        ]
        return {self.prefix: rows}

    def summary(self, app: Application, *, disclose: str) -> Section:
        rows = self._rows(app)
        return Section(
            self.code,
            str(self.title),
            headers=[_("类型"), _("姓名或者名称"), _("联系电话"), _("住所地或者联系地址")],
            table=[
                [
                    p.get_kind_display(),
                    _shown_name(p.name, disclose) if p.kind == form_choices.PartyKind.PERSON else p.name,
                    _shown_phone(p.phone, disclose),
                    p.address,
                ]
                for p in rows
            ],
            note="" if rows else _("未填写（不清楚的可以不填）。"),
        )


class MeansStep(Step):
    code = "means"
    title = gettext_lazy("家庭经济状况")
    template = "applications/steps/means.html"
    prefix = "members"
    formset_class = step_forms.row_formset(step_forms.MemberForm)
    ALIASES: Mapping[str, str] = {"grounds_32": "exemption_grounds", "grounds_42": "exemption_grounds"}

    @staticmethod
    def means_of(app: Application) -> Means | None:
        try:
            return app.means
        except Means.DoesNotExist:
            return None

    def bind(self, app: Application, data: Mapping[str, Any] | None = None) -> Bound:
        means = self.means_of(app)
        # The first time the step opens, the grounds the applicant's own answers point to come ticked; once the
        # step is saved, what the applicant chose stands.
        grounds = means.exemption_grounds if means else suggested_grounds(app)
        initial = {
            "grounds_32": [g for g in grounds if g in form_choices.ARTICLE_32],
            "grounds_42": [g for g in grounds if g in form_choices.ARTICLE_42],
            "exemption_note": means.exemption_note if means else "",
            "applicant_income": means.applicant_income if means else None,
            "hardship_statement": means.hardship_statement if means else "",
            "pledged": means.pledged if means else False,
        }
        form = step_forms.MeansForm(data, initial=initial, auto_id="means_%s")
        form.suggested = () if means else tuple(str(form_choices.ExemptionGround(g).label) for g in grounds)
        if data is None:
            members = [
                {"name": m.name, "relation": m.relation, "monthly_income": m.monthly_income}
                for m in app.household.all()
            ]
            rows = self.formset_class(initial=members, prefix=self.prefix)
        else:
            rows = self.formset_class(data, prefix=self.prefix)
        return Bound(form, rows, aliases=self.ALIASES)

    def form_data(self, app: Application, body: Mapping[str, Any]) -> dict[str, Any]:
        data = {k: v for k, v in body.items() if k not in ("exemption_grounds", self.prefix)}
        grounds = body.get("exemption_grounds") or []
        if not isinstance(grounds, list):
            raise ValidationError({"exemption_grounds": ValidationError(_("应为列表。"), code="not_a_list")})
        data["grounds_32"] = [g for g in grounds if g in form_choices.ARTICLE_32]
        # Anything not of 第三十二条 goes to the other list, whose check names the unknown codes.
        data["grounds_42"] = [g for g in grounds if g not in form_choices.ARTICLE_32]
        data.update(rows_form_data(self.prefix, body.get(self.prefix)))
        return data

    def save(self, app: Application, bound: Bound) -> None:
        assert bound.form is not None and bound.rows is not None
        d = bound.form.cleaned_data
        Means.objects.update_or_create(
            application=app,
            defaults={
                "exemption_grounds": d["exemption_grounds"],
                "exemption_note": d["exemption_note"].strip(),
                "applicant_income": d["applicant_income"],
                "hardship_statement": d["hardship_statement"].strip(),
                "pledged": bool(d["pledged"]),
            },
        )
        app.household.all().delete()
        HouseholdMember.objects.bulk_create(
            HouseholdMember(
                application=app,
                name=row["name"].strip(),
                relation=row["relation"],
                monthly_income=row["monthly_income"],
                order=i,
            )
            for i, row in enumerate(bound.rows.rows())
        )

    def value(self, app: Application) -> dict[str, Any]:
        means = self.means_of(app)
        members = list(app.household.all())
        return {
            "exemption_grounds": means.exemption_grounds if means else [],
            "exemption_note": means.exemption_note if means else "",
            "applicant_income": str(means.applicant_income)
            if means and means.applicant_income is not None
            else None,
            "hardship_statement": means.hardship_statement if means else "",
            "pledged": bool(means and means.pledged),
            self.prefix: [
                {"name": m.name, "relation": m.relation, "monthly_income": str(m.monthly_income)}
                for m in members
            ],
            "household_size": household_size(members),
            "per_capita_income": str(per_capita_income(means, members) or "") or None,
        }

    def summary(self, app: Application, *, disclose: str) -> Section:
        means = self.means_of(app)
        members = list(app.household.all())
        rows: list[tuple[str, str]] = []
        note = ""
        if means is not None:
            grounds_32 = [
                str(form_choices.ExemptionGround(g).label)
                for g in means.exemption_grounds
                if g in form_choices.ARTICLE_32
            ]
            grounds_42 = [
                str(form_choices.ExemptionGround(g).label)
                for g in means.exemption_grounds
                if g in form_choices.ARTICLE_42
            ]
            if grounds_32:
                rows.append((_("不受经济困难条件限制（第三十二条）"), "；".join(grounds_32)))
            if grounds_42:
                rows.append((_("免予核查经济困难状况（第四十二条）"), "；".join(grounds_42)))
            if means.exemption_note:
                rows.append((_("其他情形或者人员的依据"), means.exemption_note))
            rows.append((_("申请人本人月收入"), money(means.applicant_income)))
            rows.append((_("家庭人口"), _("%(n)d 人") % {"n": household_size(members)}))
            per_capita = per_capita_income(means, members)
            rows.append((_("家庭人均月收入"), money(per_capita)))
            rows.append((_("经济困难状况说明"), means.hardship_statement))
            rows.append((_("个人诚信承诺"), _("已承诺") if means.pledged else _("未承诺")))
            if not means.exemption_grounds:
                # 第三十四条: the standard is the province's; the centre compares, the form does not decide.
                note = _(
                    "经济困难的标准由省级人民政府确定（法律援助法 第三十四条），由法律援助机构审查核实。"
                )
        return Section(
            self.code,
            str(self.title),
            rows,
            headers=[_("家庭成员"), _("与申请人关系"), _("月收入")],
            table=[
                [_shown_name(m.name, disclose), m.get_relation_display(), money(m.monthly_income)]
                for m in members
            ],
            note=note,
        )


def household_size(members: list[HouseholdMember]) -> int:
    return 1 + len(members)


def per_capita_income(means: Means | None, members: list[HouseholdMember]) -> Decimal | None:
    """家庭人均月收入: the applicant's and every member's monthly income over the household size."""
    if means is None or means.applicant_income is None:
        return None
    total = means.applicant_income + sum((m.monthly_income for m in members), Decimal(0))
    return (total / household_size(members)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Slot:
    """A place on the materials step for files of one kind."""

    key: str  # "m<material id>", "exemption_proof", "other"
    name: str
    description: str = ""
    required: bool = False
    covered: str = ""  # how the online form already provides this material
    material: Material | None = None
    files: list[ApplicationFile] = field(default_factory=list)

    @property
    def slot(self) -> str:
        return ApplicationFile.Slot.MATERIAL if self.material else self.key


class MaterialsStep(Step):
    code = "materials"
    title = gettext_lazy("申请材料")
    template = "applications/steps/materials.html"
    saves = False

    def slots(self, app: Application) -> list[Slot]:
        files = list(app.files.all())
        out: list[Slot] = []
        exempt = self.definition.means and claims_exemption(app)
        for material in app.service_item.materials.all():
            covered: Promise | str = self.definition.covered_exempt.get(material.name, "") if exempt else ""
            covered = covered or self.definition.covered.get(material.name, "")
            out.append(
                Slot(
                    f"m{material.pk}",
                    material.name,
                    material.description,
                    required=material.is_required and not covered,
                    covered=str(covered),
                    material=material,
                )
            )
        if self.definition.means and needs_exemption_proof(app):
            out.append(
                Slot(
                    ApplicationFile.Slot.EXEMPTION_PROOF,
                    str(ApplicationFile.Slot.EXEMPTION_PROOF.label),
                    _(
                        "证明属于法律援助法第四十二条所列人员的材料，例如低保证、残疾人证、劳动合同或者工资欠条。"
                    ),
                    required=True,
                )
            )
        out.append(
            Slot(
                ApplicationFile.Slot.OTHER,
                str(ApplicationFile.Slot.OTHER.label),
                _("其他能说明情况的材料，选填。"),
            )
        )
        by_key = {s.key: s for s in out}
        for item in files:
            slot = by_key.get(item.slot_key) or by_key[ApplicationFile.Slot.OTHER]
            slot.files.append(item)
        return out

    def missing(self, app: Application) -> list[str]:
        return [
            _("请上传“%(name)s”。") % {"name": slot.name}
            for slot in self.slots(app)
            if slot.required and not slot.files
        ]

    def summary(self, app: Application, *, disclose: str) -> Section:
        rows = []
        for slot in self.slots(app):
            if slot.files:
                rows.append((slot.name, "、".join(x.original_name for x in slot.files)))
            elif slot.covered:
                rows.append((slot.name, slot.covered))
            elif slot.required:
                rows.append((slot.name, _("未上传")))
        return Section(self.code, str(self.title), rows)


class ConfirmStep(Step):
    code = "confirm"
    title = gettext_lazy("确认提交")
    template = "applications/steps/confirm.html"
    saves = False


# 特殊群体 declared in step 1 that are, by the statute's own words, people of 第四十二条 — for the migrant worker only
# when the application is about pay or an injury (or its category is not chosen yet): "申请支付劳动报酬或者请求工伤
# 事故人身损害赔偿的进城务工人员" (issue 14, item 16). 低保对象/特困人员 receive 社会救助 (社会救助暂行办法 第二章 最低生活保障、第三章 特困人员供养).
SUGGESTED_GROUNDS: Mapping[str, tuple[form_choices.ExemptionGround, frozenset[str] | None]] = {
    SpecialGroup.MIGRANT_WORKER: (
        form_choices.ExemptionGround.MIGRANT_WORKER,
        frozenset({form_choices.LegalAidCategory.LABOUR, form_choices.LegalAidCategory.INJURY}),
    ),
    SpecialGroup.LOW_INCOME: (form_choices.ExemptionGround.ASSISTANCE_RECIPIENT, None),
}


def suggested_grounds(app: Application) -> list[str]:
    """第四十二条 grounds that the applicant's 特殊群体 (step 1) and 案由 (step 2) point to, in the grounds' order."""
    category = (app.facts or {}).get("category")
    found = set()
    for group in app.special_groups or []:
        ground, categories = SUGGESTED_GROUNDS.get(group, (None, None))
        if ground is not None and (categories is None or not category or category in categories):
            found.add(ground.value)
    return [g for g in form_choices.ExemptionGround.values if g in found]


def claims_exemption(app: Application) -> bool:
    means = MeansStep.means_of(app)
    return bool(means and means.exemption_grounds)


def needs_exemption_proof(app: Application) -> bool:
    """第四十二条 waives the check only for an applicant who 有材料证明: claiming such a ground needs a file."""
    means = MeansStep.means_of(app)
    return bool(means and set(means.exemption_grounds) & set(form_choices.ARTICLE_42))


# ------------------------------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class PartySpec:
    role: str
    title: Promise
    min_rows: int
    min_message: Promise | str
    intro: Promise


@dataclass(frozen=True)
class Definition:
    code: str
    matter_form: type[step_forms.MatterForm]
    parties: PartySpec | None = None
    means: bool = False
    address_required: bool = False
    # Catalogue materials that the online form itself provides (by name), and how; and those not needed when a
    # ground waiving the means test is claimed.
    covered: Mapping[str, Promise] = field(default_factory=dict)
    covered_exempt: Mapping[str, Promise] = field(default_factory=dict)

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        steps: list[Step] = [ApplicantStep(self), MatterStep(self)]
        if self.parties is not None:
            p = self.parties
            steps.append(
                PartiesStep(
                    self,
                    role=p.role,
                    title=p.title,
                    min_rows=p.min_rows,
                    min_message=p.min_message,
                    intro=p.intro,
                )
            )
        if self.means:
            steps.append(MeansStep(self))
        steps += [MaterialsStep(self), ConfirmStep(self)]
        return tuple(steps)

    def sections(self, app: Application, *, disclose: str) -> list[Section]:
        """Every step but the confirmation, as read-only sections (``disclose``: OWN, MASKED or FULL)."""
        return [s.summary(app, disclose=disclose) for s in self.steps if s.code != "confirm"]

    def step(self, code: str) -> Step | None:
        return next((s for s in self.steps if s.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [s.code for s in self.steps]

    @property
    def matter_step(self) -> MatterStep:
        step = self.step("matter")
        assert isinstance(step, MatterStep)
        return step

    @property
    def materials_step(self) -> MaterialsStep:
        step = self.step("materials")
        assert isinstance(step, MaterialsStep)
        return step


LEGAL_AID = Definition(
    "legal_aid",
    step_forms.LegalAidMatterForm,
    parties=PartySpec(
        form_choices.PartyRole.OTHER_PARTY,
        gettext_lazy("对方当事人"),
        0,
        "",
        gettext_lazy(
            "与您发生争议的一方，例如拖欠工资的用人单位、交通事故的肇事方；刑事案件可以不填，不清楚的也可以不填。"
        ),
    ),
    means=True,
    address_required=True,
    covered={
        "法律援助申请表": gettext_lazy("在线填写的本申请即为法律援助申请表。"),
        "经济困难状况说明": gettext_lazy(
            "已在“家庭经济状况”一步在线说明并作出个人诚信承诺（法律援助法 第四十一条）。"
        ),
    },
    covered_exempt={
        "经济困难状况说明": gettext_lazy(
            "已选择免予审查经济困难状况的情形（法律援助法 第三十二条、第四十二条），不需要提交。"
        ),
    },
)
MEDIATION = Definition(
    "mediation",
    step_forms.MediationMatterForm,
    parties=PartySpec(
        form_choices.PartyRole.RESPONDENT,
        gettext_lazy("被申请人"),
        1,
        gettext_lazy("请至少填写一位被申请人（纠纷的另一方）。"),
        gettext_lazy("纠纷的另一方当事人；有多位的请逐一填写。人民调解委员会将联系对方了解是否同意调解。"),
    ),
)
NOTARY = Definition("notary", step_forms.NotaryMatterForm, address_required=True)
APPRAISAL = Definition("appraisal", step_forms.AppraisalMatterForm)
LAWYER = Definition("lawyer", step_forms.LawyerMatterForm)
GENERIC = Definition("generic", step_forms.MatterForm)

BY_CODE = {d.code: d for d in (LEGAL_AID, MEDIATION, NOTARY, APPRAISAL, LAWYER)}
BY_LINE = {
    BusinessLine.MEDIATION: MEDIATION,
    BusinessLine.NOTARY: NOTARY,
    BusinessLine.APPRAISAL: APPRAISAL,
    BusinessLine.LAWYER: LAWYER,
}
# Lines not applied for with these forms: a consultation is asked at /me/consult/new/ (在线咨询); a complaint is
# made on the matter it is about (/track/ or 我的事项); a prison remote visit is booked with an appointment slot.
ELSEWHERE = {BusinessLine.CONSULTATION: "me:ask"}
NOT_HERE = frozenset({BusinessLine.COMPLAINT, BusinessLine.REMOTE_VISIT})


def definition_for(item: ServiceItem) -> Definition | None:
    """The form definition of ``item``; None for items applied for elsewhere or not online."""
    if item.business_line in NOT_HERE or item.business_line in ELSEWHERE:
        return None
    return BY_CODE.get(item.code) or BY_LINE.get(item.business_line) or GENERIC  # type: ignore[call-overload]


def online(item: ServiceItem, channel: str = "web") -> bool:
    return item.is_active and item.offers(channel)


def apply_url(item: ServiceItem) -> str | None:
    """Where a citizen applies for ``item`` online (the "在线申请" link), or None when it is not offered on the web."""
    if not online(item):
        return None
    if item.business_line in ELSEWHERE:
        return reverse(ELSEWHERE[item.business_line])  # type: ignore[index]
    if definition_for(item) is None:
        return None
    return reverse("applications:start", args=[item.code])
