"""The referral API (诉调对接、警调对接、访调对接): a court, police station or petition office refers a dispute to the
人民调解委员会 of the town it concerns, with its own reference number, and reads the outcome back; the outcome is also
posted to its callback address when the case ends (tasks.report_outcome).

Requests are signed, not token-authenticated: the partner's key id, a timestamp and an HMAC-SHA256 signature of
``timestamp + "\\n" + body`` with its secret (fawang/lib/signing.py; fawang/apikit/signed.py checks a request). A
referral resent with the same reference number returns the first case (200) instead of opening another (201).
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
from fawang.apikit.base import PublicView
from fawang.apikit.errors import ApiError

from . import actions
from .choices import DisputeType, PartyRole
from .models import Referral, ReferralPartner

TAG = "人民调解对接"
SIGNED = signed.headers("对接单位接入标识")


class PartySerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    name = serializers.CharField(max_length=60)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")


class ReferralIn(serializers.Serializer):
    reference_no = serializers.CharField(max_length=60, help_text=gettext_lazy("移送单位的案号"))
    region = serializers.RegexField(
        r"^\d{6,12}$", help_text=gettext_lazy("纠纷所在的区划代码（乡镇街道为 9 位）")
    )
    dispute_type = serializers.ChoiceField(choices=DisputeType.choices)
    summary = serializers.CharField(max_length=2000)
    parties = PartySerializer(many=True, min_length=2)


class OutcomeOut(serializers.Serializer):
    reference_no = serializers.CharField()
    case_number = serializers.CharField()
    committee = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    closed = serializers.BooleanField()
    closed_at = serializers.CharField(allow_null=True)
    outcome = serializers.CharField()
    routes_told = serializers.CharField()
    agreement = serializers.DictField(allow_null=True)


def _partner(key: str) -> ReferralPartner | None:
    return ReferralPartner.objects.filter(key_id=key, is_active=True).first()


def _out(referral: Referral) -> dict[str, Any]:
    return {"reference_no": referral.reference_no, **actions.outcome_of(referral.case)}


class Referrals(PublicView):
    @extend_schema(
        tags=[TAG], parameters=SIGNED, request=ReferralIn, responses={201: OutcomeOut, 200: OutcomeOut}
    )
    def post(self, request: Request) -> Response:
        """移送一件纠纷：转入纠纷所在乡镇（街道）的人民调解委员会立案；同一案号重复提交返回原案件。"""
        partner, d = signed.signed_body(request, _partner, ReferralIn)
        case, created = actions.receive_referral(
            partner=partner,
            reference_no=d["reference_no"],
            region_id=d["region"],
            dispute_type=d["dispute_type"],
            summary=d["summary"],
            parties=[
                actions.PartyData(p["role"], p["name"], p["phone"], p["id_number"]) for p in d["parties"]
            ],
        )
        return Response(_out(case.referral), status=201 if created else 200)


class ReferralOutcome(PublicView):
    @extend_schema(tags=[TAG], parameters=SIGNED, responses={200: OutcomeOut})
    def get(self, request: Request, reference: str) -> Response:
        """一件移送纠纷的调解结果（只能查询本单位移送的）。"""
        partner = signed.partner_of(request, b"", _partner)
        referral = (
            Referral.objects.filter(partner=partner, reference_no=reference)
            .select_related("case__unit")
            .first()
        )
        if referral is None:
            raise ApiError(404, "not_found", _("未找到该案号的移送记录。"))
        return Response(_out(referral))
