"""REST API v1: a prison or detention centre sends a release notice (刑满释放通知) about a month before release,
with its API token (a staff account of the 监所); the Idempotency-Key makes a resend harmless, and the same notice
number sent again answers the notice already received."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from fawang.apikit.base import StaffView
from fawang.apikit.idempotency import idempotent_write
from fawang.apikit.schema import body
from fawang.orgs.web import staff_user

from . import actions


class NoticeIn(serializers.Serializer):
    notice_no = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=32)
    id_number = serializers.CharField(max_length=18)
    residence = serializers.CharField(max_length=12, help_text="户籍地区划代码（乡镇街道或村居）")
    crime = serializers.CharField(max_length=100)
    sentence = serializers.CharField(max_length=50)
    release_on = serializers.DateField()
    is_key = serializers.BooleanField(default=False)
    key_reasons = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class NoticeOut(serializers.Serializer):
    id = serializers.IntegerField()
    notice_no = serializers.CharField()
    office = serializers.CharField()
    status = serializers.CharField()
    created = serializers.BooleanField()


class ReleaseNotices(StaffView):
    @idempotent_write(
        tags=["安置帮教"],
        summary="发送刑满释放通知（监狱、看守所）",
        request=NoticeIn,
        responses={201: NoticeOut, 200: NoticeOut},
        error_codes=(400, 401, 403, 409, 429),
    )
    def post(self, request: Request) -> Response:
        data: dict[str, Any] = body(NoticeIn, request)
        notice, created = actions.do_receive_notice(actions.NoticeData(**data), actor=staff_user(request))
        out = {
            "id": notice.pk,
            "notice_no": notice.notice_no,
            "office": notice.office.name,
            "status": notice.status,
            "created": created,
        }
        return Response(out, status=201 if created else 200)
