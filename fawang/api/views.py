"""REST API v1. Public endpoints (catalogue, service points, units, law search, tracking by number and code) and
staff endpoints (matters, scoped like the console). Every write calls the same action as the HTML page."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from fawang.apikit.base import PublicListView, PublicView, StaffView
from fawang.apikit.errors import ApiError
from fawang.apikit.idempotency import IDEMPOTENCY_KEY, idempotent, idempotent_write
from fawang.apikit.schema import ErrorSerializer, body, errors, query
from fawang.apikit.throttles import TrackThrottle
from fawang.catalog.models import ServiceItem
from fawang.knowledge import answers, searching
from fawang.lib.http import client_ip
from fawang.matters import actions
from fawang.matters.access import get_matter_for_user
from fawang.matters.actions import public_tracking
from fawang.matters.listing import filter_matters
from fawang.matters.models import Matter, unit_ids_of
from fawang.matters.timeline import timeline as public_timeline
from fawang.orgs.models import Function, Unit
from fawang.orgs.roles import has_capability
from fawang.orgs.web import staff_user
from fawang.portal import points
from fawang.regions.models import Region

from . import serializers as api_serializers

# ------------------------------------------------------------------------------------------- catalogue


def _items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.active().order_by("order", "code")


@extend_schema(
    tags=["公开信息"],
    summary="服务事项目录",
    responses={200: api_serializers.ServiceItemSerializer(many=True)},
)
class CatalogueList(PublicListView):
    serializer_class = api_serializers.ServiceItemSerializer

    def get_queryset(self) -> QuerySet[ServiceItem]:
        return _items()


@extend_schema(
    tags=["公开信息"],
    summary="办事指南：一个服务事项",
    responses={200: api_serializers.ServiceItemDetailSerializer, **errors(404)},
)
class CatalogueDetail(PublicView):
    def get(self, request: Request, pk: int) -> Response:
        item = get_object_or_404(_items().prefetch_related("materials"), pk=pk)
        return Response(api_serializers.ServiceItemDetailSerializer(item).data)


# ------------------------------------------------------------------------------------------- service points


class PointQuerySerializer(serializers.Serializer):
    region = serializers.CharField(required=False, max_length=12, help_text="区划代码，如 350203。")
    kind = serializers.ChoiceField(
        choices=[(k, Unit.Kind(k).label) for k in points.FINDER_KINDS], required=False
    )
    function = serializers.CharField(required=False, max_length=32, help_text="服务职能代码。")


@extend_schema(
    tags=["公开信息"],
    summary="服务点查找",
    parameters=[PointQuerySerializer],
    responses={200: api_serializers.UnitSerializer(many=True), **errors(400)},
)
class ServicePointList(PublicListView):
    serializer_class = api_serializers.UnitSerializer

    def get_queryset(self) -> QuerySet[Unit]:
        data = query(PointQuerySerializer, self.request)
        region = None
        if data.get("region"):
            region = Region.objects.filter(code=data["region"]).first()
            if region is None:
                raise ApiError(400, "bad_region", _("没有这个区划代码。"))
        function = None
        if data.get("function"):
            function = Function.objects.exclude(code="corrections").filter(code=data["function"]).first()
            if function is None:
                raise ApiError(400, "bad_function", _("没有这个服务职能。"))
        return points.points_serving(region, kind=data.get("kind", ""), function=function)


@extend_schema(
    tags=["公开信息"],
    summary="服务机构详情",
    responses={200: api_serializers.UnitDetailSerializer, **errors(404)},
)
class UnitDetail(PublicView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(api_serializers.UnitDetailSerializer(points.get_public_unit(pk)).data)


# ------------------------------------------------------------------------------------------- laws


class LawQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text="检索词或一句话的问题。")


@extend_schema(
    tags=["公开信息"],
    summary="法律法规条文检索（现行有效）",
    parameters=[LawQuerySerializer],
    responses={
        200: api_serializers.ArticleResultSerializer(many=True),
        503: OpenApiResponse(ErrorSerializer),
        **errors(400),
    },
)
class LawSearch(PublicListView):
    serializer_class = api_serializers.ArticleResultSerializer

    def get_queryset(self) -> Any:
        question = query(LawQuerySerializer, self.request)["q"]
        found = searching.articles_for_question(question, k=100)
        if found is None:
            raise ApiError(503, "search_index_missing", _("法规检索索引尚未建立，暂时无法检索，请稍后再试。"))
        return found


@extend_schema(
    tags=["公开信息"],
    summary="推荐解答：能回答这个问题的办事指南、常见问题或以案释法案例",
    description=(
        "条目须同时满足：与问题的用语匹配（日常用语会对应到法律用语），并且引用了同一问题条文检索结果前 5 条中的"
        "某一条；没有这样的条目时 answer 为 null。网页检索结果上方的“这篇解答可能正是您要找的”与此相同。"
    ),
    parameters=[LawQuerySerializer],
    responses={
        200: api_serializers.LawAnswerSerializer,
        503: OpenApiResponse(ErrorSerializer),
        **errors(400),
    },
)
class LawAnswer(PublicView):
    def get(self, request: Request) -> Response:
        question = query(LawQuerySerializer, request)["q"]
        if searching.get_index() is None:
            raise ApiError(503, "search_index_missing", _("法规检索索引尚未建立，暂时无法检索，请稍后再试。"))
        return Response(api_serializers.LawAnswerSerializer({"answer": answers.answer_for(question)}).data)


# ------------------------------------------------------------------------------------------- tracking

TRACK_SALT = "fawang.api.track"
TRACK_HEADER = "X-Tracking-Token"


@extend_schema(
    tags=["进度查询"],
    summary="获取查询验证码（发送到事项登记的手机）",
    parameters=[IDEMPOTENCY_KEY],
    request=api_serializers.TrackCodeInSerializer,
    responses={200: api_serializers.TrackCodeOutSerializer, **errors(400, 409, 429)},
)
class TrackCode(PublicView):
    throttle_classes = [TrackThrottle]

    @idempotent
    def post(self, request: Request) -> Response:
        data = body(api_serializers.TrackCodeInSerializer, request)
        sent = public_tracking.request_tracking_code(data["tracking_no"], ip=client_ip(request))
        out: dict[str, Any] = {
            "tracking_no": sent.tracking_no,
            # The same answer whether the number exists or not (see public_tracking).
            "message": _("如该受理编号存在且登记了手机号码，验证码已发送至登记手机号。"),
            "expires_in": public_tracking.code_minutes() * 60,
        }
        if sent.code and public_tracking.show_codes():
            out["code"] = sent.code
        return Response(out)


@extend_schema(
    tags=["进度查询"],
    summary="校验验证码，换取查询令牌",
    request=api_serializers.TrackVerifyInSerializer,
    responses={200: api_serializers.TrackTokenSerializer, **errors(400, 429)},
)
class TrackVerify(PublicView):
    """Not a create: no Idempotency-Key (a code is good once; a lost answer means asking for a new code)."""

    throttle_classes = [TrackThrottle]

    def post(self, request: Request) -> Response:
        data = body(api_serializers.TrackVerifyInSerializer, request)
        matter = public_tracking.verify_tracking_code(data["tracking_no"], data["code"])
        token = signing.dumps({"no": matter.tracking_no, "m": matter.pk}, salt=TRACK_SALT)
        return Response({"token": token, "expires_in": public_tracking.grant_minutes() * 60})


@extend_schema(
    tags=["进度查询"],
    summary="查询办理进度（凭查询令牌）",
    parameters=[
        OpenApiParameter(TRACK_HEADER, str, OpenApiParameter.HEADER, required=True, description="查询令牌。")
    ],
    responses={200: api_serializers.TrackedMatterSerializer, **errors(401, 404)},
)
class TrackMatter(PublicView):
    def get(self, request: Request) -> Response:
        raw = request.headers.get(TRACK_HEADER, "")
        try:
            grant = signing.loads(raw, salt=TRACK_SALT, max_age=public_tracking.grant_minutes() * 60)
        except signing.BadSignature:
            raise ApiError(401, "bad_tracking_token", _("查询令牌无效或已过期，请重新获取验证码。")) from None
        matter = get_object_or_404(
            Matter.objects.select_related("service_item", "unit"), pk=grant["m"], tracking_no=grant["no"]
        )
        matter.api_timeline = public_timeline(matter)  # type: ignore[attr-defined]
        return Response(api_serializers.TrackedMatterSerializer(matter).data)


# ------------------------------------------------------------------------------------------- staff


def matter_out(request: Request, pk: int, *, revealed: Any = None) -> dict[str, Any]:
    matter = get_matter_for_user(staff_user(request), pk)
    matter.api_events = list(  # type: ignore[attr-defined]
        matter.events.select_related("actor").order_by("created_at", "pk")
    )
    ser = api_serializers.MatterDetailSerializer(
        matter, context={"now": timezone.now(), "revealed": revealed}
    )
    return dict(ser.data)


@extend_schema(tags=["工作人员"], summary="事项列表（本人辖区）")
class MatterList(StaffView, generics.GenericAPIView):
    serializer_class = api_serializers.MatterSerializer
    capped_count = True

    def get_queryset(self) -> QuerySet[Matter]:
        return Matter.objects.visible_to(staff_user(self.request))

    @extend_schema(
        description="有监督权限的，列出辖区内全部事项（与工作台“全部事项”相同）；其他工作人员列出本人所在单位的事项和本人承办、首问的事项。",
        parameters=[api_serializers.MatterListQuerySerializer],
        responses={200: api_serializers.MatterSerializer(many=True), **errors(400, 401, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        user, now = staff_user(request), timezone.now()
        data = query(api_serializers.MatterListQuerySerializer, request)
        qs = self.get_queryset()
        if data.pop("mine"):
            qs = qs.filter(handler=user) | qs.filter(first_responder=user)
        elif not has_capability(user, "matters.supervise"):
            # Everything visible is the console's 全部事项, for supervisors only; other staff get what the
            # console's queues show them: their units' matters and their own.
            qs = qs.filter(Q(unit_id__in=unit_ids_of(user)) | Q(handler=user) | Q(first_responder=user))
        qs, _error = filter_matters(qs, data, now)
        qs = qs.select_related("person", "handler", "service_item", "unit").defer(
            "description", "result", "person__id_number", "person__address", "handler__password"
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(
            api_serializers.MatterSerializer(page, many=True, context={"now": now}).data
        )

    @idempotent_write(
        summary="前台统一受理：登记新事项",
        request=api_serializers.IntakeSerializer,
        responses={201: api_serializers.SubmittedSerializer},
    )
    def post(self, request: Request) -> Response:
        user = staff_user(request)
        data = body(api_serializers.IntakeSerializer, request)
        intake_unit = Unit.objects.filter(pk=data["intake_unit"]).first()
        if intake_unit is None:
            raise serializers.ValidationError({"intake_unit": [_("没有这个受理机构。")]})
        requests = []
        for i, req in enumerate(data["requests"]):
            item = ServiceItem.objects.active().filter(pk=req["service_item"]).first()
            region = Region.objects.filter(code=req["region"]).first()
            if item is None:
                raise serializers.ValidationError({f"requests[{i}].service_item": [_("没有这个服务事项。")]})
            if region is None:
                raise serializers.ValidationError({f"requests[{i}].region": [_("没有这个区划代码。")]})
            requests.append(
                actions.MatterRequest(
                    service_item=item, description=req["description"], region=region, answer=req["answer"]
                )
            )
        key = request.headers.get("Idempotency-Key", "")
        result = actions.do_submit(
            actor=user,
            person=actions.PersonData(**data["person"]),
            requests=requests,
            channel=data["channel"],
            intake_unit=intake_unit,
            # The action's own idempotency (a unique column): safe even if two resends race past ours.
            idempotency_key="api:" + hashlib.sha256(f"{user.pk}:{key}".encode()).hexdigest()[:60],
        )
        out = api_serializers.MatterSerializer(
            Matter.objects.filter(pk__in=[m.pk for m in result.matters]).select_related(
                "person", "handler", "service_item", "unit"
            ),
            many=True,
            context={"now": timezone.now()},
        ).data
        return Response({"created": result.created, "matters": out}, status=status.HTTP_201_CREATED)


@extend_schema(tags=["工作人员"])
class MatterDetail(StaffView):
    @extend_schema(
        summary="事项详情（含全部办理记录）",
        parameters=[api_serializers.MatterDetailQuerySerializer],
        responses={200: api_serializers.MatterDetailSerializer, **errors(400, 401, 403, 404, 429)},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = staff_user(request)
        matter = get_matter_for_user(user, pk)
        data = query(api_serializers.MatterDetailQuerySerializer, request)
        revealed = None
        if data["reveal"]:
            # The same door as the HTML "查看完整信息": role check, then the access log.
            revealed = actions.reveal_person(
                matter.person_id, actor=user, purpose=data["purpose"], matter=matter, ip=client_ip(request)
            )
        response = Response(matter_out(request, pk, revealed=revealed))
        if revealed is not None:
            response["Cache-Control"] = "no-store"
        return response
