"""REST API v1 for citizens (the mobile app and the WeChat mini-program): sign-in by mobile number and a
one-time code, which gives the app a token acting as the person's public account, and the real-name details.

Every endpoint under ``/api/v1/me/`` (but the two sign-in steps) needs that token (``IsPublicUser``); the views
call the same actions as the pages at ``/me/`` (fawang.citizens.actions), so the limits on codes and the checks
of ID numbers are the same on both.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fawang.accounts.models import User
from fawang.accounts.public import citizen_user
from fawang.apikit.base import CitizenView
from fawang.apikit.idempotency import IDEMPOTENCY_KEY, idempotent
from fawang.apikit.models import ApiToken
from fawang.apikit.schema import body, errors
from fawang.apikit.throttles import SignInThrottle
from fawang.citizens import actions as citizens
from fawang.citizens.models import Profile
from fawang.lib.http import client_ip
from fawang.lib.validators import mask_phone
from fawang.matters.actions.public_tracking import show_codes

TAG = "公众用户"


# ------------------------------------------------------------------------------------------- serializers


class PhoneInSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20, help_text=gettext_lazy("11 位手机号码。"))


class CodeSentSerializer(serializers.Serializer):
    phone = serializers.CharField(help_text=gettext_lazy("已发送的手机号码（部分隐藏）。"))
    message = serializers.CharField()
    expires_in = serializers.IntegerField(help_text=gettext_lazy("验证码有效秒数。"))
    code = serializers.CharField(required=False, help_text=gettext_lazy("仅开发环境返回（没有短信网关时）。"))


class TokenInSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    code = serializers.CharField(max_length=20, help_text=gettext_lazy("短信中的 6 位数字验证码。"))
    device = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("设备或应用名称，如“微信小程序”，便于日后在账号中辨认和注销。"),
    )


class ProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    phone = serializers.CharField(help_text=gettext_lazy("登录手机号码。"))
    name = serializers.CharField(help_text=gettext_lazy("实名登记的姓名；未实名为空。"))
    id_number = serializers.CharField(
        help_text=gettext_lazy("身份证号码（只显示前六位和后四位）；未实名为空。")
    )
    real_name = serializers.BooleanField(help_text=gettext_lazy("是否已完成实名登记（姓名和身份证号码）。"))
    claimed = serializers.BooleanField(
        help_text=gettext_lazy(
            "该身份证号码的服务档案是否已关联本账号（经登记手机号码验证码或窗口工作人员核实）。"
            "未关联时，本账号的申请登记在本账号自己的档案下。"
        )
    )


class TokenOutSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=gettext_lazy("访问令牌：放在 Authorization 请求头中，格式“Token 令牌”；只返回这一次。")
    )
    created = serializers.BooleanField(help_text=gettext_lazy("是否为首次登录新建的账号。"))
    user = ProfileSerializer()


class ProfileInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=32, help_text=gettext_lazy("真实姓名。"))
    id_number = serializers.CharField(max_length=30, help_text=gettext_lazy("18 位居民身份证号码。"))


def profile_data(user: User) -> dict[str, Any]:
    profile = Profile.objects.filter(user=user).first()
    masked = profile.id_number_masked if profile and profile.id_number_hash else ""
    return {
        "id": user.pk,
        "phone": user.phone,
        "name": user.display_name,
        "id_number": masked,
        "real_name": bool(user.display_name and masked),
        "claimed": citizens.claimed_person(user) is not None,
    }


class ClaimSentSerializer(serializers.Serializer):
    message = serializers.CharField(
        help_text=gettext_lazy("无论该身份证号码是否登记过，回答都相同（不透露号码是否已登记）。")
    )
    expires_in = serializers.IntegerField(help_text=gettext_lazy("验证码有效秒数。"))


class ClaimInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, help_text=gettext_lazy("短信中的 6 位数字验证码。"))


# ------------------------------------------------------------------------------------------- views


@extend_schema(
    tags=[TAG],
    summary="获取登录验证码（新号码首次登录即注册）",
    parameters=[IDEMPOTENCY_KEY],
    request=PhoneInSerializer,
    responses={200: CodeSentSerializer, **errors(400, 409, 429)},
)
class SignInCode(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [SignInThrottle]

    @idempotent
    def post(self, request: Request) -> Response:
        data = body(PhoneInSerializer, request)
        sent = citizens.request_sign_in_code(data["phone"], ip=client_ip(request))
        out: dict[str, Any] = {
            "phone": mask_phone(sent.phone),
            "message": _("验证码已发送到您的手机。"),
            "expires_in": citizens.code_minutes() * 60,
        }
        if show_codes():
            out["code"] = sent.code
        return Response(out)


@extend_schema(
    tags=[TAG],
    summary="用验证码换取访问令牌",
    request=TokenInSerializer,
    responses={200: TokenOutSerializer, **errors(400, 429)},
)
class SignInToken(APIView):
    """Not under Idempotency-Key: a code is good once, and a stored answer would keep a live token in the
    database. A lost answer means asking for a new code."""

    permission_classes = [AllowAny]
    throttle_classes = [SignInThrottle]

    def post(self, request: Request) -> Response:
        data = body(TokenInSerializer, request)
        signed_in = citizens.verify_sign_in_code(data["phone"], data["code"])
        name = (data["device"] or "").strip() or _("公众用户应用")
        _token, raw = ApiToken.issue(signed_in.user, name)
        return Response({"token": raw, "created": signed_in.created, "user": profile_data(signed_in.user)})


@extend_schema(
    tags=[TAG], summary="退出登录（注销本令牌）", request=None, responses={204: None, **errors(401, 404)}
)
class SignOut(CitizenView):
    def post(self, request: Request) -> Response:
        token = request.auth
        if isinstance(token, ApiToken):
            ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        return Response(status=204)


@extend_schema(
    tags=[TAG],
    summary="关联已登记的档案：向该身份证号码登记的手机号码发送验证码",
    request=None,
    responses={200: ClaimSentSerializer, **errors(400, 401, 404, 429)},
)
class ClaimCode(CitizenView):
    """The same answer whether or not a record with the account's ID number exists (fawang.citizens.actions
    .request_claim_code)."""

    def post(self, request: Request) -> Response:
        citizens.request_claim_code(citizen_user(request).pk, ip=client_ip(request))
        return Response(
            {
                "message": _(
                    "如该身份证号码在本平台登记过手机号码，验证码已发送至该号码（%(minutes)s 分钟内有效）。"
                    "没有收到时，请携带身份证件到任一公共法律服务窗口，由工作人员核实后关联。"
                )
                % {"minutes": citizens.code_minutes()},
                "expires_in": citizens.code_minutes() * 60,
            }
        )


@extend_schema(
    tags=[TAG],
    summary="关联已登记的档案：提交验证码",
    request=ClaimInSerializer,
    responses={200: ProfileSerializer, **errors(400, 401, 404)},
)
class ClaimVerify(CitizenView):
    def post(self, request: Request) -> Response:
        data = body(ClaimInSerializer, request)
        user = citizen_user(request)
        citizens.verify_claim_code(user.pk, data["code"])
        return Response(profile_data(user))


class Me(CitizenView):
    @extend_schema(
        tags=[TAG], summary="我的账号与实名信息", responses={200: ProfileSerializer, **errors(401, 404)}
    )
    def get(self, request: Request) -> Response:
        return Response(profile_data(citizen_user(request)))

    @extend_schema(
        tags=[TAG],
        summary="填写或修改实名信息",
        request=ProfileInSerializer,
        responses={200: ProfileSerializer, **errors(400, 401, 404)},
    )
    def put(self, request: Request) -> Response:
        data = body(ProfileInSerializer, request)
        user = citizens.do_update_profile(
            citizen_user(request).pk, name=data["name"], id_number=data["id_number"]
        )
        return Response(profile_data(user))
