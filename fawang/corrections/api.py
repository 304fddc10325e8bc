"""REST API v1 of community corrections: the telephone system (or the officer's softphone) records a 周听声 call
with the corrections officer's API token, and the electronic monitoring platform sends a device's positions — kept
only under a 第二十九条 approval covering that day, refused otherwise. The call is named by the telephone system's call id, so the same call
sent again answers the item it already completed; the Idempotency-Key makes a resend harmless too. The hotline's
own CTI webhook is not used: corrections keeps its calls in its own records, through its own action."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from fawang.apikit.base import StaffView
from fawang.apikit.idempotency import idempotent_write
from fawang.apikit.schema import body
from fawang.orgs.web import staff_user

from . import access, actions


class CallIn(serializers.Serializer):
    subject = serializers.IntegerField(help_text="社区矫正档案的 id")
    call_id = serializers.CharField(max_length=64, help_text="电话系统中的通话编号（callId）")
    started_at = serializers.DateTimeField(help_text="通话开始时间（ISO 8601）")
    seconds = serializers.IntegerField(min_value=0, max_value=86400, help_text="通话时长（秒）")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CallOut(serializers.Serializer):
    item = serializers.IntegerField()
    period_start = serializers.DateField()
    status = serializers.CharField()
    call_id = serializers.CharField()
    created = serializers.BooleanField()


class VoiceCalls(StaffView):
    @idempotent_write(
        tags=["社区矫正"],
        summary="登记周听声通话（电话系统）",
        request=CallIn,
        responses={201: CallOut, 200: CallOut},
    )
    def post(self, request: Request) -> Response:
        data: dict[str, Any] = body(CallIn, request)
        user = staff_user(request)
        subject = access.get_subject_for_user(user, data.pop("subject"))
        item, created = actions.do_record_call(subject.pk, actor=user, **data)
        out = {
            "item": item.pk,
            "period_start": item.period_start,
            "status": item.status,
            "call_id": item.call_id,
            "created": created,
        }
        return Response(out, status=201 if created else 200)


class DeviceLocationIn(serializers.Serializer):
    subject = serializers.IntegerField(help_text="社区矫正档案的 id")
    recorded_at = serializers.DateTimeField(help_text="定位时间（ISO 8601）")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180)


class DeviceLocationOut(serializers.Serializer):
    id = serializers.IntegerField()
    approval = serializers.IntegerField()
    approval_ends_on = serializers.DateField()


class DeviceLocations(StaffView):
    @idempotent_write(
        tags=["社区矫正"],
        summary="记录电子定位装置的定位数据（须有第二十九条批准）",
        request=DeviceLocationIn,
        responses={201: DeviceLocationOut},
    )
    def post(self, request: Request) -> Response:
        data: dict[str, Any] = body(DeviceLocationIn, request)
        user = staff_user(request)
        subject = access.get_subject_for_user(user, data.pop("subject"))
        location = actions.do_record_device_location(subject.pk, actor=user, **data)
        out = {
            "id": location.pk,
            "approval": location.approval_id,
            "approval_ends_on": location.approval.ends_on,
        }
        return Response(out, status=201)
