"""Legal aid in REST API v1.

- Staff (API token of a centre's handler): 指派 and 先行提供 on an application, through the same forms and actions
  as the legal-aid panel of the matter page (``legalaid/matters/{id}/assign/``, ``.../advance/``).
- Courts, procuratorates and police (通知辩护、通知代理, 法律援助法 第二十五条、第二十八条、第三十六条): a signed
  request, not an account — the partner's key id, a timestamp and an HMAC-SHA256 signature of
  ``timestamp + "\\n" + body`` (the same scheme as the mediation referrals). The same document number sent again
  answers the notification already received (200) instead of opening another (201); the organ reads back whom
  the centre assigned.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from fawang.apikit import signed
from fawang.apikit.base import PublicView, StaffView
from fawang.apikit.errors import ApiError
from fawang.apikit.idempotency import idempotent_write
from fawang.apikit.schema import errors
from fawang.matters.access import get_matter_for_user
from fawang.orgs.authority import has_capability
from fawang.orgs.web import staff_user

from . import actions
from .forms import AdvanceForm, AssignForm
from .models import Assignment, Notification, NotifyingPartner

STAFF_TAG = "法律援助"
PARTNER_TAG = "通知辩护对接"
SIGNED = signed.headers("通知机关接入标识")


# ----------------------------------------------------------------------------------------------- staff


class AssignIn(serializers.Serializer):
    lawyer = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="名册中的法律援助人员编号；不填按轮流指派"
    )
    case_type = serializers.ChoiceField(choices=Assignment.CaseType.choices)
    serious = serializers.BooleanField(default=False, help_text="可能被判处无期徒刑、死刑（第二十六条）")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AdvanceIn(serializers.Serializer):
    lawyer = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    case_type = serializers.ChoiceField(choices=Assignment.CaseType.choices)
    reason = serializers.ChoiceField(
        choices=actions.AdvanceReason.CHOICES, help_text="先行提供的情形（第四十四条）"
    )
    materials_owed = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AssignmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="指派通知书编号")
    matter = serializers.IntegerField()
    lawyer = serializers.CharField()
    licence_no = serializers.CharField()
    firm = serializers.CharField()
    case_type = serializers.CharField()
    serious = serializers.BooleanField()
    advance = serializers.BooleanField()
    rotation_note = serializers.CharField(help_text="指派依据")
    status = serializers.CharField()
    message = serializers.CharField()


def _assignment_out(assignment: Assignment, message: str) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "number": assignment.number,
        "matter": assignment.matter_id,
        "lawyer": assignment.lawyer.practitioner.name,
        "licence_no": assignment.lawyer.practitioner.licence_no,
        "firm": assignment.firm.name,
        "case_type": assignment.case_type,
        "serious": assignment.serious,
        "advance": assignment.advance,
        "rotation_note": assignment.rotation_note,
        "status": assignment.status,
        "message": message,
    }


def _matter_form(request: Request, pk: int, form_class: Any) -> tuple[Any, Any]:
    """The matter (404 when missing or not the user's), the role (403), then the body through the panel's form."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    if not has_capability(user, actions.DECIDE, matter.unit):
        raise ApiError(403, "forbidden", _("您的岗位无权执行此操作。"))
    data = request.data if isinstance(request.data, dict) else {}
    form = form_class(data, matter=matter, user=user)
    if not form.is_valid():
        raise serializers.ValidationError(
            {("non_field_errors" if k == "__all__" else k): list(v) for k, v in form.errors.items()}
        )
    return matter, form.cleaned_data


class Assign(StaffView):
    @idempotent_write(
        tags=[STAFF_TAG],
        summary="指派法律援助人员（第四十三条、第二十六条）",
        description="给予法律援助后指派名册中的律师或基层法律服务工作者；不指定人员时按轮流指派。",
        request=AssignIn,
        responses={201: AssignmentOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        matter, cleaned = _matter_form(request, pk, AssignForm)
        assignment = actions.do_assign(
            matter.pk,
            actor=staff_user(request),
            lawyer=cleaned["lawyer"],
            case_type=cleaned["case_type"],
            serious=cleaned["serious"],
            note=cleaned["note"],
        )
        return Response(_assignment_out(assignment, _("已指派，指派通知书已发送承办机构。")), status=201)


class Advance(StaffView):
    @idempotent_write(
        tags=[STAFF_TAG],
        summary="先行提供法律援助（第四十四条）",
        description="时效或期限届满不足七日、需要立即申请保全或先予执行时，先行指派，审查后补作决定。",
        request=AdvanceIn,
        responses={201: AssignmentOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        matter, cleaned = _matter_form(request, pk, AdvanceForm)
        assignment = actions.do_advance(
            matter.pk,
            actor=staff_user(request),
            reason=cleaned["reason"],
            materials_owed=cleaned["materials_owed"],
            lawyer=cleaned["lawyer"],
            case_type=cleaned["case_type"],
        )
        return Response(_assignment_out(assignment, _("已先行提供法律援助，审查后补作决定。")), status=201)


# ---------------------------------------------------------------------------------------- the organs


class NotificationIn(serializers.Serializer):
    reference_no = serializers.CharField(max_length=60, help_text=gettext_lazy("通知机关的文书编号"))
    ground = serializers.ChoiceField(choices=Notification.Ground.choices)
    person_name = serializers.CharField(max_length=32)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    charge = serializers.CharField(max_length=100, help_text=gettext_lazy("涉嫌罪名或案由"))
    custody = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    facts = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NotificationOut(serializers.Serializer):
    reference_no = serializers.CharField()
    centre = serializers.CharField()
    received_at = serializers.CharField()
    due_at = serializers.CharField(help_text="指派期限（收到通知后三日内，第三十六条）")
    assigned = serializers.BooleanField()
    assignment_number = serializers.CharField()
    lawyer = serializers.CharField()
    licence_no = serializers.CharField()
    firm = serializers.CharField()
    assigned_at = serializers.CharField(allow_null=True)


def _partner(key: str) -> NotifyingPartner | None:
    return NotifyingPartner.objects.filter(key_id=key, is_active=True).select_related("centre").first()


class Notifications(PublicView):
    @extend_schema(
        tags=[PARTNER_TAG],
        parameters=SIGNED,
        request=NotificationIn,
        responses={201: NotificationOut, 200: NotificationOut, **errors(400, 401)},
    )
    def post(self, request: Request) -> Response:
        """通知法律援助机构指派律师（第二十五条、第二十八条）；同一文书编号重复提交返回原通知。"""
        partner, given = signed.signed_body(request, _partner, NotificationIn)
        row, created = actions.do_receive_notification(
            actions.NotificationData(organ_kind=partner.kind, organ_name=partner.name, **given),
            centre=partner.centre,
            actor=None,
            partner=partner,
        )
        return Response(actions.notification_outcome(row), status=201 if created else 200)


class NotificationOutcome(PublicView):
    @extend_schema(
        tags=[PARTNER_TAG], parameters=SIGNED, responses={200: NotificationOut, **errors(401, 404)}
    )
    def get(self, request: Request, reference: str) -> Response:
        """一件通知的指派情况（只能查询本机关发出的）。"""
        partner = signed.partner_of(request, b"", _partner)
        row = (
            Notification.objects.filter(partner=partner, reference_no=reference)
            .select_related("centre")
            .first()
        )
        if row is None:
            raise ApiError(404, "not_found", _("未找到该文书编号的通知。"))
        return Response(actions.notification_outcome(row))
