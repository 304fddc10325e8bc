"""The staff's REST API of people's mediation (tag ``mediation``): the cases, screening findings and risk warnings a
staff account reaches (a committee its own, the 司法所 those of its town, the 司法局 those of its region: the same
``visible_to`` as the console), and the key actions of a mobile mediator — the parties' consent (第十七条), a
session record, ending a case without agreement (第二十六条), following a warning up and lowering it. Every write is
the console's action function; bad input gets the one error format with the action's Chinese message.

Personal data stays masked here (phone and ID number); the console's access-logged pages show it in full.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from fawang.accounts.models import User
from fawang.apikit.base import StaffView
from fawang.apikit.idempotency import idempotent_write
from fawang.apikit.schema import body, errors, query
from fawang.orgs.models import Unit
from fawang.orgs.roles import require_capability
from fawang.orgs.web import staff_user

from . import actions
from .access import get_case_for_user, get_warning_for_user
from .choices import Consent, DisputeType, PartyRole, RiskLevel, RiskReason, ScreeningRound, WarningKind
from .models import Agreement, Case, RiskWarning, Screening

TAG = "人民调解"


# ------------------------------------------------------------------------------------------------ output


class PartyOut(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    name = serializers.CharField()
    phone = serializers.CharField(source="phone_masked")
    id_number = serializers.CharField(source="id_number_masked")
    consent = serializers.CharField()
    consent_label = serializers.CharField(source="get_consent_display")


class CaseMediatorOut(serializers.Serializer):
    mediator_id = serializers.IntegerField()
    name = serializers.CharField(source="mediator.name")
    is_lead = serializers.BooleanField()
    recused = serializers.SerializerMethodField()

    def get_recused(self, row: Any) -> bool:
        return row.recused_at is not None


class SessionOut(serializers.Serializer):
    id = serializers.IntegerField()
    held_on = serializers.DateField()
    place = serializers.CharField()
    attendees = serializers.CharField()
    content = serializers.CharField()
    agreed = serializers.CharField()


class AgreementOut(serializers.Serializer):
    id = serializers.IntegerField()
    form = serializers.CharField()
    agreed_on = serializers.DateField()
    effective_on = serializers.DateField(allow_null=True)
    confirmation = serializers.CharField()
    confirmation_label = serializers.CharField(source="get_confirmation_display")
    confirmation_due_on = serializers.DateField(allow_null=True)


class CaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    committee = serializers.CharField(source="unit.name")
    committee_id = serializers.IntegerField(source="unit_id")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    source = serializers.CharField()
    dispute_type = serializers.CharField()
    summary = serializers.CharField()
    opened_at = serializers.DateTimeField()
    due_on = serializers.DateField()
    closed_at = serializers.DateTimeField(allow_null=True)


class CaseDetailOut(CaseOut):
    place = serializers.CharField()
    outcome_note = serializers.CharField()
    routes_told = serializers.CharField()
    parties = PartyOut(many=True)
    mediators = CaseMediatorOut(many=True)
    sessions = SessionOut(many=True)
    agreement = serializers.SerializerMethodField()
    warning_ids = serializers.SerializerMethodField()

    def get_agreement(self, case: Case) -> dict[str, Any] | None:
        agreement = Agreement.objects.filter(case=case).first()
        return None if agreement is None else dict(AgreementOut(agreement).data)

    def get_warning_ids(self, case: Case) -> list[int]:
        return list(case.warnings.order_by("pk").values_list("pk", flat=True))


class ScreeningOut(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.name")
    screened_on = serializers.DateField()
    round = serializers.CharField()
    parties = serializers.CharField()
    dispute_type = serializers.CharField()
    place = serializers.CharField()
    people_count = serializers.IntegerField()
    risk_level = serializers.CharField()
    risk_reasons = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()


class WarningOut(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.name")
    region = serializers.CharField(source="region_id")
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    summary = serializers.CharField()
    told_bodies = serializers.CharField()
    raised_at = serializers.DateTimeField()
    age_days = serializers.IntegerField()
    next_check_on = serializers.DateField()
    status = serializers.CharField()
    screening_id = serializers.IntegerField(allow_null=True)
    case_id = serializers.IntegerField(allow_null=True)
    case_number = serializers.SerializerMethodField()

    def get_case_number(self, warning: RiskWarning) -> str | None:
        return warning.case.number if warning.case is not None else None


# ------------------------------------------------------------------------------------------------- input


class CaseQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=Case.Status.choices, required=False)


class WarningQuery(serializers.Serializer):
    all = serializers.BooleanField(required=False, default=False, help_text="包括已解除的预警")


class ConsentIn(serializers.Serializer):
    party = serializers.IntegerField(help_text="当事人 id（案件详情的 parties[].id）")
    consent = serializers.ChoiceField(choices=[Consent.AGREES, Consent.REFUSES])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class SessionIn(serializers.Serializer):
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=120)
    attendees = serializers.CharField(max_length=300)
    content = serializers.CharField(max_length=4000)
    agreed = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TerminateIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    routes = serializers.CharField(
        max_length=1000, help_text="已告知当事人的其他途径（人民调解法 第二十六条）"
    )


class NoteIn(serializers.Serializer):
    note = serializers.CharField(max_length=1000)


class ScreeningIn(serializers.Serializer):
    unit = serializers.IntegerField(help_text="排查单位（人民调解委员会）id")
    screened_on = serializers.DateField()
    round = serializers.ChoiceField(choices=ScreeningRound.choices)
    parties = serializers.CharField(max_length=200)
    dispute_type = serializers.ChoiceField(choices=DisputeType.choices)
    place = serializers.CharField(max_length=120)
    people_count = serializers.IntegerField(min_value=1, max_value=100000)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    summary = serializers.CharField(max_length=2000)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)
    risk_reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=RiskReason.choices), required=False
    )
    action_taken = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    told_bodies = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ScreeningCreatedOut(ScreeningOut):
    warning_ids = serializers.SerializerMethodField()

    def get_warning_ids(self, screening: Screening) -> list[int]:
        return list(screening.warnings.order_by("pk").values_list("pk", flat=True))


class PartyIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    name = serializers.CharField(max_length=60)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WarningCaseIn(serializers.Serializer):
    committee = serializers.IntegerField(
        required=False, allow_null=True, help_text="受理调解的人民调解委员会 id；不填则由发出预警的调委会受理"
    )
    dispute_type = serializers.ChoiceField(choices=DisputeType.choices)
    parties = PartyIn(many=True, min_length=2, help_text="各方当事人，至少一位申请人和一位被申请人")


class WarningIn(serializers.Serializer):
    unit = serializers.IntegerField(help_text="预警单位（人民调解委员会、司法所或司法局）id")
    kind = serializers.ChoiceField(choices=WarningKind.choices)
    summary = serializers.CharField(max_length=2000)
    told_bodies = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# ------------------------------------------------------------------------------------------------- views


def _case_out(request: Request, pk: int) -> dict[str, Any]:
    case = get_case_for_user(staff_user(request), pk)
    return dict(CaseDetailOut(case).data)


def _handled_case(request: Request, pk: int) -> tuple[User, Case]:
    """The caller and the case: one the caller reaches (404 otherwise) and may handle there (403 otherwise)."""
    user = staff_user(request)
    case = get_case_for_user(user, pk)
    require_capability(user, actions.HANDLE, case.unit)
    return user, case


class Cases(StaffView, generics.GenericAPIView):
    serializer_class = CaseOut

    def get_queryset(self) -> QuerySet[Case]:
        return (
            Case.objects.visible_to(staff_user(self.request))
            .select_related("unit")
            .order_by("-opened_at", "-pk")
        )

    @extend_schema(
        tags=[TAG],
        summary="调解案件列表（本单位及所辖单位）",
        parameters=[CaseQuery],
        responses={200: CaseOut(many=True), **errors(400, 401, 429)},
    )
    def get(self, request: Request) -> Response:
        data = query(CaseQuery, request)
        qs = self.get_queryset()
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(CaseOut(page, many=True).data)


class CaseDetail(StaffView):
    @extend_schema(
        tags=[TAG], summary="调解案件详情", responses={200: CaseDetailOut, **errors(401, 404, 429)}
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_case_out(request, pk))


class CaseConsent(StaffView):
    @idempotent_write(
        tags=[TAG],
        summary="登记当事人是否同意调解（一方明确拒绝的，案件终结：人民调解法 第十七条）",
        request=ConsentIn,
        responses={200: CaseDetailOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        user, case = _handled_case(request, pk)
        data = body(ConsentIn, request)
        actions.record_consent(
            case.pk, actor=user, party_id=data["party"], consent=data["consent"], note=data["note"]
        )
        return Response(_case_out(request, pk))


class CaseSession(StaffView):
    @idempotent_write(
        tags=[TAG], summary="登记一次调解（调解记录）", request=SessionIn, responses={201: SessionOut}
    )
    def post(self, request: Request, pk: int) -> Response:
        user, case = _handled_case(request, pk)
        data = body(SessionIn, request)
        session = actions.log_session(case.pk, actor=user, **data)
        return Response(SessionOut(session).data, status=201)


class CaseTerminate(StaffView):
    @idempotent_write(
        tags=[TAG],
        summary="终止调解，并记录告知当事人的其他途径（人民调解法 第二十六条）",
        request=TerminateIn,
        responses={200: CaseDetailOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        user, case = _handled_case(request, pk)
        data = body(TerminateIn, request)
        actions.terminate(case.pk, actor=user, reason=data["reason"], routes=data["routes"])
        return Response(_case_out(request, pk))


class Screenings(StaffView, generics.GenericAPIView):
    serializer_class = ScreeningOut

    def get_queryset(self) -> QuerySet[Screening]:
        return Screening.objects.visible_to(staff_user(self.request)).select_related("unit")

    @extend_schema(
        tags=[TAG],
        summary="矛盾纠纷排查记录列表",
        responses={200: ScreeningOut(many=True), **errors(401, 429)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ScreeningOut(page, many=True).data)


def _unit_for(request: Request, pk: int, capability: str) -> Unit:
    """The unit named in the body: one the caller reaches (404 otherwise, as for a row) with ``capability`` there."""
    user = staff_user(request)
    unit = get_object_or_404(Unit.objects.visible_to(user), pk=pk)
    require_capability(user, capability, unit)
    return unit


def _create_at_unit(
    request: Request,
    serializer_in: type[serializers.Serializer],
    capability: str,
    action: Callable[..., Any],
    serializer_out: type[serializers.Serializer],
) -> Response:
    """A record made at the unit the body names (``_unit_for``) by ``action`` with the rest of the body: 201."""
    data = body(serializer_in, request)
    unit = _unit_for(request, data.pop("unit"), capability)
    made = action(actor=staff_user(request), unit=unit, **data)
    return Response(serializer_out(made).data, status=201)


class ScreeningRecord(StaffView):
    @idempotent_write(
        tags=[TAG],
        summary="登记一件排查发现的纠纷（高风险的同时发出风险预警）",
        request=ScreeningIn,
        responses={201: ScreeningCreatedOut},
    )
    def post(self, request: Request) -> Response:
        return _create_at_unit(
            request, ScreeningIn, actions.SCREEN, actions.record_screening, ScreeningCreatedOut
        )


class WarningRaise(StaffView):
    @idempotent_write(
        tags=[TAG],
        summary="直接发出风险预警（人民调解法 第二十五条）",
        request=WarningIn,
        responses={201: WarningOut},
    )
    def post(self, request: Request) -> Response:
        return _create_at_unit(request, WarningIn, actions.WARN, actions.raise_warning, WarningOut)


class Warnings(StaffView, generics.GenericAPIView):
    serializer_class = WarningOut

    def get_queryset(self) -> QuerySet[RiskWarning]:
        return (
            RiskWarning.objects.visible_to(staff_user(self.request))
            .select_related("unit", "case")
            .order_by("region_id", "raised_at", "pk")
        )

    @extend_schema(
        tags=[TAG],
        summary="风险预警列表（默认只列预警中的，按区划和时间）",
        parameters=[WarningQuery],
        responses={200: WarningOut(many=True), **errors(400, 401, 429)},
    )
    def get(self, request: Request) -> Response:
        data = query(WarningQuery, request)
        qs = self.get_queryset()
        if not data["all"]:
            qs = qs.filter(status=RiskWarning.Status.OPEN)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(WarningOut(page, many=True).data)


def _warning_out(request: Request, pk: int) -> dict[str, Any]:
    return dict(WarningOut(get_warning_for_user(staff_user(request), pk)).data)


def _warning_for(request: Request, pk: int, capability: str) -> tuple[User, RiskWarning]:
    """The caller and the warning: one the caller reaches (404 otherwise) with ``capability`` at its unit (403)."""
    user = staff_user(request)
    warning = get_warning_for_user(user, pk)
    require_capability(user, capability, warning.unit)
    return user, warning


class WarningDetail(StaffView):
    @extend_schema(tags=[TAG], summary="风险预警详情", responses={200: WarningOut, **errors(401, 404, 429)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_warning_out(request, pk))


class WarningCheck(StaffView):
    @idempotent_write(
        tags=[TAG], summary="记录预警跟踪情况（跟踪稳控）", request=NoteIn, responses={200: WarningOut}
    )
    def post(self, request: Request, pk: int) -> Response:
        user, warning = _warning_for(request, pk, actions.WARN)
        actions.check_warning(warning.pk, actor=user, note=body(NoteIn, request)["note"])
        return Response(_warning_out(request, pk))


class WarningCase(StaffView):
    @idempotent_write(
        tags=[TAG],
        summary="预警转入调解：为预警所涉纠纷立调解案件",
        request=WarningCaseIn,
        responses={201: CaseDetailOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        user, warning = _warning_for(request, pk, actions.HANDLE)
        data = body(WarningCaseIn, request)
        committee = _unit_for(request, data["committee"], actions.HANDLE) if data.get("committee") else None
        case = actions.open_case_from_warning(
            warning.pk,
            actor=user,
            committee=committee,
            dispute_type=data["dispute_type"],
            parties=[actions.PartyData(**party) for party in data["parties"]],
        )
        return Response(_case_out(request, case.pk), status=201)


class WarningLower(StaffView):
    @idempotent_write(
        tags=[TAG], summary="解除预警（风险已降低）", request=NoteIn, responses={200: WarningOut}
    )
    def post(self, request: Request, pk: int) -> Response:
        user, warning = _warning_for(request, pk, actions.WARN)
        actions.lower_warning(warning.pk, actor=user, note=body(NoteIn, request)["note"])
        return Response(_warning_out(request, pk))
