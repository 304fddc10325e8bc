"""Forms of the mediation pages: they check the shape of the input; the rules are the actions'."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fawang.lib.formfields import choice_field, model_choice_field
from fawang.orgs.models import Practitioner, Unit

from .actions import ROUTES_DEFAULT, PartyData
from .choices import (
    CommitteeKind,
    Consent,
    DisputeType,
    Employment,
    PartyRole,
    ReferrerKind,
    RiskLevel,
    RiskReason,
    ScreeningRound,
    WarningKind,
)
from .models import Agreement, FollowUp, Screening

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# Rows for further parties under the first applicant and respondent (a dispute among several members of a family,
# several neighbours, several workers against one employer...). Empty rows are left out.
MORE_PARTIES = 4


class MorePartiesMixin(forms.Form):
    """Up to MORE_PARTIES further parties of either side, each with their own phone and ID number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, MORE_PARTIES + 1):
            names = {"n": number}
            self.fields[f"more{number}_role"] = forms.ChoiceField(
                label=_("其他当事人%(n)s 地位") % names,
                choices=[("", "—"), *PartyRole.choices],
                required=False,
            )
            self.fields[f"more{number}_name"] = forms.CharField(
                label=_("其他当事人%(n)s 姓名或名称") % names, max_length=60, required=False
            )
            self.fields[f"more{number}_phone"] = forms.CharField(
                label=_("其他当事人%(n)s 联系电话") % names, max_length=20, required=False
            )
            self.fields[f"more{number}_id_number"] = forms.CharField(
                label=_("其他当事人%(n)s 身份证号码") % names, max_length=18, required=False
            )

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        for number in range(1, MORE_PARTIES + 1):
            role, name = d.get(f"more{number}_role"), (d.get(f"more{number}_name") or "").strip()
            other = d.get(f"more{number}_phone") or d.get(f"more{number}_id_number")
            if (role or other) and not name:
                self.add_error(f"more{number}_name", _("请填写该当事人的姓名或名称。"))
            if (name or other) and not role:
                self.add_error(f"more{number}_role", _("请选择该当事人是申请人还是被申请人。"))
        return d

    def main_fields(self) -> list[Any]:
        return [field for field in self if not field.name.startswith("more")]

    def more_fields(self) -> list[Any]:
        return [field for field in self if field.name.startswith("more")]

    def more_filled(self) -> bool:
        """Whether the further parties' rows hold something (shown open, so nothing typed is hidden)."""
        return any(field.errors or field.value() for field in self.more_fields())

    def more_parties(self) -> list[PartyData]:
        d = self.cleaned_data
        return [
            PartyData(
                d[f"more{number}_role"],
                d[f"more{number}_name"],
                d[f"more{number}_phone"],
                d[f"more{number}_id_number"],
            )
            for number in range(1, MORE_PARTIES + 1)
            if (d.get(f"more{number}_name") or "").strip()
        ]


class PartiesMixin(MorePartiesMixin):
    """The parties on each side: the first applicant and respondent, and up to MORE_PARTIES more of either side (each
    asked for consent on the case page: 第十七条)."""

    applicant_name = forms.CharField(label=_("申请人姓名或名称"), max_length=60)
    applicant_phone = forms.CharField(label=_("申请人联系电话"), max_length=20, required=False)
    applicant_id_number = forms.CharField(label=_("申请人身份证号码"), max_length=18, required=False)
    applicant_address = forms.CharField(label=_("申请人住所"), max_length=200, required=False)
    respondent_name = forms.CharField(label=_("被申请人姓名或名称"), max_length=60)
    respondent_phone = forms.CharField(label=_("被申请人联系电话"), max_length=20, required=False)
    respondent_id_number = forms.CharField(label=_("被申请人身份证号码"), max_length=18, required=False)
    respondent_address = forms.CharField(label=_("被申请人住所"), max_length=200, required=False)

    def parties(self) -> list[PartyData]:
        d = self.cleaned_data
        rows = [
            PartyData(
                PartyRole.APPLICANT,
                d["applicant_name"],
                d["applicant_phone"],
                d["applicant_id_number"],
                d["applicant_address"],
            ),
            PartyData(
                PartyRole.RESPONDENT,
                d["respondent_name"],
                d["respondent_phone"],
                d["respondent_id_number"],
                d["respondent_address"],
            ),
            *self.more_parties(),
        ]
        # Applicants first, then respondents, in the order typed (the agreement lists them so).
        return sorted(rows, key=lambda party: party.role != PartyRole.APPLICANT)


class DisputeFields(forms.Form):
    dispute_type = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices)
    summary = forms.CharField(
        label=_("纠纷简要情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    place = forms.CharField(label=_("纠纷发生地"), max_length=120, required=False)
    amount = forms.DecimalField(
        label=_("争议金额（元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )


def _only_choice(field: Any, units: QuerySet[Unit]) -> None:
    """With one unit to choose from, it is chosen (no empty row)."""
    field.queryset = units
    if len(units) == 1:
        field.empty_label = None
        field.initial = units[0].pk


def committees(user: Any) -> QuerySet[Unit]:
    from fawang.orgs.roles import has_capability

    units = (
        Unit.objects.visible_to(user)
        .filter(kind=Unit.Kind.MEDIATION, is_active=True)
        .order_by("region_id", "pk")
    )
    return units.filter(pk__in=[u.pk for u in units if has_capability(user, "mediation.handle", u)])


class OpenCaseForm(PartiesMixin, DisputeFields):
    unit = forms.ModelChoiceField(label=_("人民调解委员会"), queryset=Unit.objects.none())
    source = forms.ChoiceField(
        label=_("案件来源"),
        choices=[
            ("initiative", _("主动调解")),
            ("referral", _("委托移送")),
            ("application", _("当事人申请（窗口、热线）")),
        ],
    )
    referrer_kind = forms.ChoiceField(
        label=_("移送单位类别"), choices=[("", "—"), *ReferrerKind.choices], required=False
    )
    referrer = forms.CharField(label=_("移送单位"), max_length=80, required=False)
    reference_no = forms.CharField(label=_("移送单位案号"), max_length=60, required=False)

    field_order = [
        "unit",
        "source",
        "referrer_kind",
        "referrer",
        "reference_no",
        "dispute_type",
        "summary",
        "place",
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _only_choice(self.fields["unit"], committees(user))

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("source") == "referral":
            for name, message in (
                ("referrer_kind", _("请选择移送单位类别。")),
                ("referrer", _("请填写移送单位。")),
                ("reference_no", _("请填写移送单位的案号。")),
            ):
                if not d.get(name):
                    self.add_error(name, message)
        return d


class OpenFromMatterForm(MorePartiesMixin):
    dispute_type = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices)
    respondent_name = forms.CharField(label=_("被申请人姓名或名称"), max_length=60)
    respondent_phone = forms.CharField(label=_("被申请人联系电话"), max_length=20, required=False)
    place = forms.CharField(label=_("纠纷发生地"), max_length=120, required=False)


class ScreeningCaseForm(PartiesMixin):
    pass


class ConsentForm(forms.Form):
    party = forms.TypedChoiceField(label=_("当事人"), coerce=int, choices=())
    consent = forms.ChoiceField(
        label=_("当事人意见"),
        choices=[(Consent.AGREES, Consent.AGREES.label), (Consent.REFUSES, Consent.REFUSES.label)],
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "party").choices = [
            (p.pk, f"{p.get_role_display()} {p.name}") for p in case.parties.all()
        ]


class AssignForm(forms.Form):
    mediator = forms.ModelChoiceField(label=_("人民调解员"), queryset=Practitioner.objects.none())
    is_lead = forms.BooleanField(label=_("主持调解"), required=False)

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "mediator").queryset = Practitioner.objects.filter(
            kind=Practitioner.Kind.MEDIATOR, unit_id=case.unit_id
        ).order_by("name")


class RecuseForm(forms.Form):
    mediator = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("回避理由"), max_length=200)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("调解日期"), widget=DATE)
    place = forms.CharField(label=_("调解地点"), max_length=120)
    attendees = forms.CharField(label=_("参加人员"), max_length=300)
    content = forms.CharField(label=_("调解情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    agreed = forms.CharField(
        label=_("达成的一致意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


DATES = re.compile(r"[\s,，、；;]+")


class AgreementForm(forms.Form):
    form = forms.ChoiceField(
        label=_("协议形式"), choices=Agreement.Form.choices, initial=Agreement.Form.WRITTEN
    )
    facts = forms.CharField(
        label=_("纠纷的主要事实、争议事项"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    terms = forms.CharField(
        label=_("各方当事人的权利和义务（调解协议内容）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    performance = forms.CharField(
        label=_("履行协议的方式、地点、期限"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    agreed_on = forms.DateField(label=_("达成协议日期"), widget=DATE)
    follow_up_dates = forms.CharField(
        label=_("履行回访日期"),
        required=False,
        max_length=200,
        help_text=_("按约定的履行期限安排回访，多个日期用逗号分隔，例如 2026-12-20, 2027-01-20。"),
    )

    def clean_follow_up_dates(self) -> list[dt.date]:
        out = []
        for part in DATES.split(self.cleaned_data["follow_up_dates"].strip()):
            if not part:
                continue
            try:
                out.append(dt.date.fromisoformat(part))
            except ValueError:
                raise ValidationError(
                    _("回访日期“%(d)s”格式不对，请写成 2026-12-20。") % {"d": part}
                ) from None
        return out


class TerminateForm(forms.Form):
    reason = forms.CharField(
        label=_("终止调解的原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    routes = forms.CharField(
        label=_("已告知当事人的其他途径"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        initial=ROUTES_DEFAULT,
        error_messages={"required": _("请填写已告知当事人的其他解决途径（人民调解法 第二十六条）。")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回情况"), max_length=500)


class SignedForm(forms.Form):
    file = forms.FileField(label=_("签字盖章的协议书（PDF、JPG、PNG）"))
    signed_on = forms.DateField(label=_("各方签名、盖章之日"), widget=DATE)


class ConfirmationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("司法确认情况"),
        choices=[
            (c, c.label)
            for c in (
                Agreement.Confirmation.APPLIED,
                Agreement.Confirmation.CONFIRMED,
                Agreement.Confirmation.REFUSED,
            )
        ],
    )
    court = forms.CharField(label=_("人民法院"), max_length=80)
    on = forms.DateField(label=_("日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class FollowUpForm(forms.Form):
    result = forms.ChoiceField(
        label=_("履行情况"),
        choices=[
            (c, c.label)
            for c in (FollowUp.Result.PERFORMED, FollowUp.Result.PARTLY, FollowUp.Result.NOT_PERFORMED)
        ],
    )
    note = forms.CharField(label=_("回访记录"), max_length=1000)


def screening_units(user: Any) -> QuerySet[Unit]:
    from fawang.orgs.roles import has_capability

    units = (
        Unit.objects.visible_to(user)
        .filter(kind=Unit.Kind.MEDIATION, is_active=True)
        .order_by("region_id", "pk")
    )
    return units.filter(pk__in=[u.pk for u in units if has_capability(user, "mediation.screen", u)])


class ScreeningForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("排查单位"), queryset=Unit.objects.none())
    screened_on = forms.DateField(label=_("排查日期"), widget=DATE)
    round = forms.ChoiceField(label=_("排查类型"), choices=ScreeningRound.choices)
    parties = forms.CharField(label=_("当事人"), max_length=200)
    dispute_type = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices)
    place = forms.CharField(label=_("发生地点"), max_length=120)
    people_count = forms.IntegerField(label=_("涉及人数"), min_value=1, max_value=100000, initial=2)
    amount = forms.DecimalField(
        label=_("涉及金额（元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    summary = forms.CharField(
        label=_("纠纷简要情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    risk_level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices)
    risk_reasons = forms.MultipleChoiceField(
        label=_("风险因素"), choices=RiskReason.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    action_taken = forms.CharField(
        label=_("已采取的措施"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    told_bodies = forms.CharField(
        label=_("已通报的公安机关或其他部门"),
        max_length=200,
        required=False,
        help_text=_("高风险纠纷同时报告司法所、司法局，并通报公安机关等有关部门（人民调解法 第二十五条）。"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _only_choice(self.fields["unit"], screening_units(user))


class MeetingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("召开单位"), queryset=Unit.objects.none())
    held_on = forms.DateField(label=_("召开日期"), widget=DATE)
    attendees = forms.CharField(label=_("参会人员"), max_length=300)
    screenings = forms.ModelMultipleChoiceField(
        label=_("研判的纠纷"), queryset=Screening.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    decisions = forms.CharField(
        label=_("研判意见和工作安排"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from fawang.orgs.roles import has_capability

        units = Unit.objects.visible_to(user).filter(
            kind__in=[Unit.Kind.JUDICIAL_OFFICE, Unit.Kind.MEDIATION], is_active=True
        )
        _only_choice(
            self.fields["unit"],
            units.filter(pk__in=[u.pk for u in units if has_capability(user, "mediation.screen", u)]),
        )
        model_choice_field(self, "screenings").queryset = Screening.objects.visible_to(user).filter(
            status=Screening.Status.OPEN
        )


class RaiseWarningForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("预警单位"),
        queryset=Unit.objects.none(),
        help_text=_("跟踪稳控的单位：纠纷所在的人民调解委员会、司法所或本司法局。"),
    )
    kind = forms.ChoiceField(label=_("预警类型"), choices=WarningKind.choices)
    summary = forms.CharField(
        label=_("预警情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("纠纷双方、起因、可能激化的迹象和信息来源。"),
    )
    told_bodies = forms.CharField(
        label=_("已通报的公安机关或其他部门"),
        max_length=200,
        required=False,
        help_text=_(
            "可能引发治安案件、刑事案件的纠纷，应当及时向当地公安机关或者其他有关部门报告（人民调解法 第二十五条）。"
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from fawang.orgs.roles import has_capability

        from .actions import WARNING_UNIT_KINDS

        units = (
            Unit.objects.visible_to(user)
            .filter(kind__in=WARNING_UNIT_KINDS, is_active=True)
            .order_by("region_id", "pk")
        )
        _only_choice(
            self.fields["unit"],
            units.filter(pk__in=[u.pk for u in units if has_capability(user, "mediation.warn", u)]),
        )


class WarningCaseForm(PartiesMixin):
    committee = forms.ModelChoiceField(
        label=_("受理调解的人民调解委员会"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("不选则由发出预警的调委会受理。"),
    )
    dispute_type = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices)

    field_order = ["committee", "dispute_type"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "committee").queryset = committees(user)


class WarningCheckForm(forms.Form):
    note = forms.CharField(label=_("跟踪情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    told_bodies = forms.CharField(label=_("已通报单位"), max_length=200, required=False)


class LowerForm(forms.Form):
    note = forms.CharField(
        label=_("风险降低的情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class CommitteeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=CommitteeKind.choices)
    field = forms.CharField(
        label=_("专业领域"),
        max_length=40,
        required=False,
        help_text=_("行业性、专业性调委会填写，如医疗、交通、劳动。"),
    )
    time_limit_days = forms.IntegerField(label=_("调解期限（日）"), min_value=1, max_value=90)
    members = forms.IntegerField(
        label=_("委员人数"),
        min_value=3,
        max_value=9,
        required=False,
        help_text=_("三至九人（人民调解法 第八条）。"),
        error_messages={
            "min_value": _("人民调解委员会由委员三至九人组成（人民调解法 第八条）。"),
            "max_value": _("人民调解委员会由委员三至九人组成（人民调解法 第八条）。"),
        },
    )
    full_time_posts = forms.IntegerField(
        label=_("专职人民调解员配备数"), min_value=0, max_value=99, required=False
    )


class MediatorForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=32)
    gender = forms.ChoiceField(
        label=_("性别"), choices=[("", "—"), *Practitioner.Gender.choices], required=False
    )
    employment = forms.ChoiceField(label=_("专兼职"), choices=Employment.choices)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)


class TrainingForm(forms.Form):
    trained_on = forms.DateField(label=_("培训日期"), widget=DATE)
    hours = forms.IntegerField(label=_("学时"), min_value=1, max_value=200)
    subject = forms.CharField(label=_("培训内容"), max_length=120)
