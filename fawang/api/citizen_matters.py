"""REST API v1 for citizens, continued: "我的事项" and "我的咨询" (list and detail with the person's timeline, the
answers, the legal basis and the result), the online consultation (ask, follow up, 已解决), 好差评, complaints,
supplying requested materials, the result notice PDF, and the in-app inbox.

Every endpoint is a ``CitizenView`` (a public account's token, or the /me/ session) and sees only the person's
own matters (``Matter.objects.of_public_user``): another person's matter is the same 404 as a missing one. The
views call the same actions as the pages at /me/ and /track/ (citizens.actions, matters.actions), so the rules
and the Chinese messages are the same on both.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from fawang.accounts.models import User
from fawang.accounts.public import citizen_user
from fawang.apikit.base import CitizenView
from fawang.apikit.errors import ApiError
from fawang.apikit.idempotency import HEADER, IDEMPOTENCY_KEY, idempotent, idempotent_write
from fawang.apikit.schema import body, errors, query
from fawang.apikit.throttles import PublicThrottle
from fawang.catalog.models import Channel
from fawang.citizens import actions as citizens
from fawang.citizens import my_matters
from fawang.consult import threads
from fawang.consult.actions import do_resolve
from fawang.lib import codes
from fawang.matters import pdf
from fawang.matters.actions import do_complain, do_rate
from fawang.matters.actions.public_tracking import do_supply_materials_online
from fawang.matters.models import Evaluation, Matter
from fawang.matters.public_forms import MAX_FILES
from fawang.matters.timeline import STATUS_HINTS
from fawang.matters.timeline import timeline as person_timeline
from fawang.notify import actions as notify
from fawang.notify.models import Message
from fawang.orgs.models import Speciality
from fawang.regions.forms import RegionField
from fawang.regions.models import Region

from . import serializers as api_serializers

TAG = "公众用户"
# Named in the schema by SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (AppChannelEnum, MatterKindEnum).
APP_CHANNELS = [(Channel.APP.value, Channel.APP.label), (Channel.WECHAT.value, Channel.WECHAT.label)]
MATTER_KINDS = [("consultation", gettext_lazy("咨询")), ("matter", gettext_lazy("事项"))]
ROLE_LABELS = {
    "question": gettext_lazy("咨询"),
    "follow_up": gettext_lazy("追问"),
    "answer": gettext_lazy("答复"),
}


def _key_hash(request: Request) -> str:
    """The action's own idempotency key from the request's Idempotency-Key (checked by ``@idempotent``)."""
    return hashlib.sha256((request.headers.get(HEADER) or "").strip().encode()).hexdigest()[:32]


def own_matter(user: User, pk: int) -> Matter:
    """The person's own matter; another person's and a missing one are the same 404."""
    return get_object_or_404(
        Matter.objects.of_public_user(user).select_related(
            "service_item", "unit", "region", "topic", "person"
        ),
        pk=pk,
    )


# ------------------------------------------------------------------------------------------- serializers


class OwnMatterQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            (my_matters.CONSULTATIONS, gettext_lazy("只看咨询")),
            (my_matters.MATTERS, gettext_lazy("只看咨询以外的事项")),
        ],
        required=False,
        help_text=gettext_lazy("consultations：我的咨询；matters：其他事项；不填为全部。"),
    )
    status = serializers.ChoiceField(
        choices=my_matters.STATUS_CHOICES,
        required=False,
        help_text=gettext_lazy("open 办理中、done 已办结、ended 已结束，或某一个状态。"),
    )


class OwnMatterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tracking_no = serializers.CharField(help_text=gettext_lazy("受理编号。"))
    kind = serializers.ChoiceField(
        choices=MATTER_KINDS,
        help_text=gettext_lazy("consultation 为法律咨询（有答复线程），matter 为其他事项。"),
    )
    service_item = api_serializers.ItemRefSerializer()
    status = serializers.ChoiceField(choices=Matter.Status.choices)
    status_label = serializers.CharField()
    status_hint = serializers.CharField(help_text=gettext_lazy("给本人的状态说明。"))
    unit = api_serializers.UnitRefSerializer(help_text=gettext_lazy("办理机构。"))
    region = serializers.CharField(help_text=gettext_lazy("所涉区划代码。"))
    region_name = serializers.CharField()
    topic = serializers.CharField(help_text=gettext_lazy("问题类别；未归类为空。"))
    excerpt = serializers.CharField(help_text=gettext_lazy("事项描述的开头。"))
    submitted_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    thread_state = serializers.ChoiceField(
        choices=threads.ThreadState.choices,
        allow_null=True,
        help_text=gettext_lazy("咨询的答复状态：待答复、已答复、已解决、已结束；其他事项为空。"),
    )
    thread_state_label = serializers.CharField()
    answers_unread = serializers.IntegerField(help_text=gettext_lazy("未读的答复条数。"))


class MaterialsRequestSerializer(serializers.Serializer):
    missing = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("需补正的材料清单。")
    )
    note = serializers.CharField(help_text=gettext_lazy("办理机构的说明。"))
    due_at = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy("补正期限，逾期未补正的视为撤回申请。")
    )


class LegalBasisSerializer(serializers.Serializer):
    article_id = serializers.IntegerField()
    law_id = serializers.IntegerField()
    law_title = serializers.CharField()
    label = serializers.CharField(help_text=gettext_lazy("条文序号，如“第四十四条”。"))
    url = serializers.CharField(help_text=gettext_lazy("条文在法规页面上的地址。"))


class EvaluationOutSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    level_label = serializers.CharField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class ThreadEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    role = serializers.ChoiceField(choices=list(ROLE_LABELS.items()))
    role_label = serializers.CharField()
    who = serializers.CharField(help_text=gettext_lazy("“本人”或答复的机构。"))
    text = serializers.CharField()


class OwnMatterDetailSerializer(OwnMatterSerializer):
    description = serializers.CharField()
    result = serializers.CharField(help_text=gettext_lazy("办理结果（办结后）。"))
    accepted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy("本环节办理期限（计时中时）。")
    )
    materials_request = MaterialsRequestSerializer(
        allow_null=True, help_text=gettext_lazy("待补正时，一次性告知的材料清单。")
    )
    legal_basis = LegalBasisSerializer(many=True, help_text=gettext_lazy("办理机构引用的法律依据。"))
    evaluation = EvaluationOutSerializer(allow_null=True)
    can_follow_up = serializers.BooleanField()
    can_resolve = serializers.BooleanField(help_text=gettext_lazy("可以确认“问题已解决”。"))
    can_rate = serializers.BooleanField()
    can_complain = serializers.BooleanField()
    can_supply = serializers.BooleanField(help_text=gettext_lazy("可以在线补正材料。"))
    result_pdf = serializers.CharField(allow_null=True, help_text=gettext_lazy("办结告知书（PDF）的地址。"))
    thread = ThreadEntrySerializer(many=True, help_text=gettext_lazy("咨询、追问和答复，按时间先后。"))
    timeline = api_serializers.TimelineEntrySerializer(
        many=True, help_text=gettext_lazy("本人可见的全部办理记录。")
    )


def _row(matter: Matter, state: threads.ThreadState | None, unread: int) -> dict[str, Any]:
    return {
        "id": matter.pk,
        "tracking_no": matter.tracking_no,
        "kind": "consultation" if threads.is_consultation(matter) else "matter",
        "service_item": matter.service_item,
        "status": matter.status,
        "status_label": matter.get_status_display(),
        "status_hint": str(STATUS_HINTS.get(matter.status, "")),
        "unit": matter.unit,
        "region": matter.region_id,
        "region_name": matter.region.full_name or matter.region.name,
        "topic": matter.topic.name if matter.topic else "",
        "excerpt": Truncator(matter.description).chars(60),
        "submitted_at": matter.submitted_at,
        "completed_at": matter.completed_at if matter.status in Matter.DONE_STATUSES else None,
        "thread_state": state.value if state else None,
        "thread_state_label": str(state.label) if state else "",
        "answers_unread": unread,
    }


def matter_detail(request: Request, matter: Matter) -> dict[str, Any]:
    """What the /me/ matter page shows, as data."""
    user = citizen_user(request)
    evaluation = Evaluation.objects.filter(matter=matter).first()
    thread = threads.thread(matter)
    consultation = threads.is_consultation(matter)
    state = thread.state if consultation else None
    out = _row(matter, state, my_matters.unread_answers(user, [matter.pk]).get(matter.pk, 0))
    done = matter.status in Matter.DONE_STATUSES
    if evaluation is not None:
        out["status_hint"] = _("已办结，感谢您的评价。")
    materials = None
    if matter.status == Matter.Status.AWAITING_MATERIALS:
        event = pdf.materials_request(matter)
        materials = {
            "missing": list((event.payload or {}).get("missing", [])) if event else [],
            "note": event.note if event else "",
            "due_at": matter.materials_due_at,
        }
    out.update(
        description=matter.description,
        result=matter.result if done else "",
        accepted_at=matter.accepted_at,
        due_at=matter.due_at if matter.status in Matter.RUNNING_STATUSES else None,
        materials_request=materials,
        legal_basis=[
            {
                "article_id": a.pk,
                "law_id": a.law_id,
                "law_title": a.law.title,
                "label": a.label,
                "url": request.build_absolute_uri(a.get_absolute_url()),
            }
            for a in matter.legal_basis()
        ],
        evaluation=None
        if evaluation is None
        else {
            "level": evaluation.level,
            "level_label": evaluation.get_level_display(),
            "comment": evaluation.comment,
            "created_at": evaluation.created_at,
        },
        can_follow_up=matter.status != Matter.Status.MERGED and state != threads.ThreadState.RESOLVED,
        can_resolve=thread.can_resolve,
        can_rate=done and evaluation is None,
        can_complain=matter.status != Matter.Status.MERGED,
        can_supply=matter.status == Matter.Status.AWAITING_MATERIALS,
        result_pdf=request.build_absolute_uri(reverse("api:me_matter_result_pdf", args=[matter.pk]))
        if pdf.has_result(matter)
        else None,
        thread=[
            {
                "at": e.at,
                "role": e.role,
                "role_label": str(ROLE_LABELS[e.role]),
                "who": e.unit or (_("本人") if e.role != "answer" else _("工作人员")),
                "text": e.text,
            }
            for e in thread.entries
        ]
        if consultation
        else [],
        timeline=person_timeline(matter),
    )
    return out


def _detail_response(request: Request, pk: int, *, code: int = 200) -> Response:
    matter = own_matter(citizen_user(request), pk)
    return Response(OwnMatterDetailSerializer(matter_detail(request, matter)).data, status=code)


# ------------------------------------------------------------------------------------------- my matters


@extend_schema(tags=[TAG])
class OwnMatterList(CitizenView, generics.GenericAPIView):
    @extend_schema(
        summary="我的事项与我的咨询（列表）",
        parameters=[OwnMatterQuerySerializer],
        responses={200: OwnMatterSerializer(many=True), **errors(400, 401, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        user = citizen_user(request)
        data = query(OwnMatterQuerySerializer, request)
        qs = my_matters.own_matters(
            user, kind=data.get("kind", ""), status=data.get("status", "")
        ).select_related("service_item", "unit", "region", "topic")
        page = self.paginate_queryset(qs) or []
        states = threads.states(page)
        unread = my_matters.unread_answers(user, states)
        rows = [_row(m, states.get(m.pk), unread.get(m.pk, 0)) for m in page]
        return self.get_paginated_response(OwnMatterSerializer(rows, many=True).data)


@extend_schema(tags=[TAG])
class OwnMatterDetail(CitizenView):
    @extend_schema(
        summary="我的事项详情：办理记录、答复、法律依据和办理结果（打开即将答复标为已读）",
        responses={200: OwnMatterDetailSerializer, **errors(401, 404, 429)},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = citizen_user(request)
        matter = own_matter(user, pk)
        # As on the page: opening the matter reads its answers (the inbox shows them read too).
        my_matters.read_answers(user, matter)
        return Response(OwnMatterDetailSerializer(matter_detail(request, matter)).data)


# ------------------------------------------------------------------------------------------- consultation


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speciality
        fields = ["id", "code", "name"]


class AskInSerializer(serializers.Serializer):
    question = serializers.CharField(
        max_length=2000, help_text=gettext_lazy("您的问题：事情经过、涉及的人和您想知道什么。")
    )
    region = serializers.CharField(
        max_length=12, help_text=gettext_lazy("所在地或事情发生地的区划代码，至少到县（市、区）一级。")
    )
    topic = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=gettext_lazy("问题类别编号；不确定可不填。")
    )
    channel = serializers.ChoiceField(
        choices=APP_CHANNELS, required=False, default=Channel.APP, help_text=gettext_lazy("提交渠道。")
    )


def _region(code: str) -> Region:
    field = RegionField(min_level=Region.Level.COUNTY, error_messages={"required": _("请选择所在地区。")})
    try:
        region = field.clean(code)
    except ValidationError as error:
        raise serializers.ValidationError({"region": list(error.messages)}) from None
    assert isinstance(region, Region)
    return region


class Ask(CitizenView):
    @idempotent_write(
        tags=[TAG],
        summary="在线咨询：提出问题（须先实名）",
        request=AskInSerializer,
        responses={
            201: OwnMatterDetailSerializer,
            200: OpenApiResponse(
                OwnMatterDetailSerializer, description="同一问题已提交过（表单重发）：返回第一次的咨询。"
            ),
        },
        error_codes=(400, 401, 404, 409, 429),
    )
    def post(self, request: Request) -> Response:
        data = body(AskInSerializer, request)
        topic = None
        if data.get("topic") is not None:
            topic = Speciality.objects.filter(pk=data["topic"]).first()
            if topic is None:
                raise serializers.ValidationError({"topic": [_("没有这个问题类别。")]})
        result = citizens.do_ask(
            actor=citizen_user(request),
            question=data["question"],
            region=_region(data["region"]),
            topic=topic,
            key=_key_hash(request),
            channel=data["channel"],
        )
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return _detail_response(request, result.matters[0].pk, code=code)


@extend_schema(
    tags=[TAG],
    summary="在线咨询的问题类别",
    responses={200: TopicSerializer(many=True), **errors(401, 404, 429)},
)
class TopicList(CitizenView, generics.ListAPIView):
    serializer_class = TopicSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Speciality]:
        return Speciality.objects.order_by("order", "code")


class TextInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000, help_text=gettext_lazy("追问或补充的内容。"))


class FollowUp(CitizenView):
    @idempotent_write(
        tags=[TAG],
        summary="追问或补充（办理机构将在本事项中答复）",
        request=TextInSerializer,
        responses={200: OwnMatterDetailSerializer},
        error_codes=(400, 401, 404, 409, 429),
    )
    def post(self, request: Request, pk: int) -> Response:
        user = citizen_user(request)
        matter = own_matter(user, pk)
        citizens.do_follow_up(matter.pk, actor=user, text=body(TextInSerializer, request)["text"])
        return _detail_response(request, matter.pk)


class Resolve(CitizenView):
    @idempotent_write(
        tags=[TAG],
        summary="确认咨询的问题已解决（咨询办结，之后可以评价）",
        request=None,
        responses={200: OwnMatterDetailSerializer},
        error_codes=(400, 401, 404, 409, 429),
    )
    def post(self, request: Request, pk: int) -> Response:
        user = citizen_user(request)
        matter = own_matter(user, pk)
        do_resolve(matter.pk, actor=user)
        return _detail_response(request, matter.pk)


# ------------------------------------------------------------------------------------------- feedback


class RateInSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=Evaluation.Level.choices,
        help_text=gettext_lazy("5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意。"),
        error_messages={"invalid_choice": gettext_lazy("请选择评价等级。")},
    )
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class Rate(CitizenView):
    @idempotent_write(
        tags=[TAG],
        summary="好差评：评价已办结的事项（每个事项一次）",
        request=RateInSerializer,
        responses={200: OwnMatterDetailSerializer},
        error_codes=(400, 401, 404, 409, 429),
    )
    def post(self, request: Request, pk: int) -> Response:
        user = citizen_user(request)
        matter = own_matter(user, pk)
        data = body(RateInSerializer, request)
        do_rate(matter.pk, actor=user, level=int(data["level"]), comment=data["comment"])
        return _detail_response(request, matter.pk)


class ComplaintInSerializer(serializers.Serializer):
    description = serializers.CharField(
        max_length=2000, help_text=gettext_lazy("投诉的事实和诉求。投诉由办理机构的主管司法局受理。")
    )
    channel = serializers.ChoiceField(
        choices=APP_CHANNELS, required=False, default=Channel.APP, help_text=gettext_lazy("提交渠道。")
    )


class Complain(CitizenView):
    @idempotent_write(
        tags=[TAG],
        summary="投诉本事项的办理或服务（新建一个投诉事项）",
        request=ComplaintInSerializer,
        responses={201: OwnMatterDetailSerializer},
        error_codes=(400, 401, 404, 409, 429),
    )
    def post(self, request: Request, pk: int) -> Response:
        user = citizen_user(request)
        matter = own_matter(user, pk)
        data = body(ComplaintInSerializer, request)
        complaint = do_complain(
            actor=user,
            person=matter.person,
            description=data["description"],
            channel=data["channel"],
            about_matter=matter,
            # Scoped to the account and the matter: a resend (even racing past the Idempotency-Key) is one complaint.
            idempotency_key=f"me:{user.pk}:complaint:{matter.pk}:{_key_hash(request)}",
        )
        return _detail_response(request, complaint.pk, code=status.HTTP_201_CREATED)


# ------------------------------------------------------------------------------------------- materials, PDF


class SupplyInSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        max_length=MAX_FILES,
        help_text=gettext_lazy("补正材料文件，可多个；PDF、JPG、PNG 或 Word（.docx），每个不超过 10 MB。"),
        error_messages={"max_length": gettext_lazy("一次最多上传 10 个文件。")},
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


@extend_schema(
    tags=[TAG],
    summary="在线补正材料（上传一次性告知的材料）",
    parameters=[IDEMPOTENCY_KEY],
    request={"multipart/form-data": SupplyInSerializer},
    responses={200: OwnMatterDetailSerializer, **errors(400, 401, 404, 409, 429)},
)
class Supply(CitizenView):
    parser_classes = [MultiPartParser]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(
            request, *args, **kwargs
        )  # sign-in, permission and throttle first: a stranger gets 404
        if request.method == "POST" and not (request.content_type or "").startswith("multipart/form-data"):
            raise ApiError(
                415, "unsupported_media_type", _("补正材料请以 multipart/form-data 格式上传文件。")
            )

    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = citizen_user(request)
        matter = own_matter(user, pk)
        data = body(SupplyInSerializer, request)
        # One transaction: a file refused for its type or size leaves nothing stored and the status unchanged.
        do_supply_materials_online(matter.pk, actor=user, uploads=data["files"], note=data["note"])
        return _detail_response(request, matter.pk)


@extend_schema(
    tags=[TAG],
    summary="下载办结告知书（PDF）",
    responses={(200, "application/pdf"): OpenApiTypes.BINARY, **errors(401, 404, 429)},
)
class ResultPdf(CitizenView):
    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # Errors are JSON whatever the Accept header asks for; the PDF itself is written directly.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request: Request, pk: int) -> HttpResponse:
        matter = own_matter(citizen_user(request), pk)
        if not pdf.has_result(matter):
            raise Http404  # as the page: no notice before the matter is completed
        return pdf.pdf_response(pdf.result_pdf(matter, request._request), f"result-{matter.tracking_no}.pdf")


# ------------------------------------------------------------------------------------------- messages


class MessageQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False, help_text=gettext_lazy("只看未读。"))


class MessageSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    read = serializers.SerializerMethodField()
    matter = serializers.SerializerMethodField(help_text=gettext_lazy("所关联的本人事项编号。"))

    class Meta:
        model = Message
        fields = ["id", "kind", "kind_label", "channel", "channel_label", "subject", "body", "created_at"]
        fields += ["read_at", "read", "matter"]

    def get_read(self, message: Message) -> bool:
        return message.read_at is not None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_matter(self, message: Message) -> int | None:
        if message.related_type_id != self.context["matter_type"] or not message.related_id.isdigit():
            return None
        return int(message.related_id)


class MessagePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    count_capped = serializers.BooleanField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    unread = serializers.IntegerField(help_text=gettext_lazy("未读消息总数。"))
    results = MessageSerializer(many=True)


def _matter_type() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Matter).pk


@extend_schema(tags=[TAG])
class MessageList(CitizenView, generics.GenericAPIView):
    @extend_schema(
        summary="我的消息（站内信和短信）",
        parameters=[MessageQuerySerializer],
        responses={200: MessagePageSerializer, **errors(400, 401, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        user = citizen_user(request)
        rows = Message.objects.inbox_of(user)
        unread = rows.filter(read_at__isnull=True).count()
        if query(MessageQuerySerializer, request)["unread"]:
            rows = rows.filter(read_at__isnull=True)
        page = self.paginate_queryset(rows.order_by("-created_at", "-pk")) or []
        data = MessageSerializer(page, many=True, context={"matter_type": _matter_type()}).data
        response = self.get_paginated_response(data)
        response.data["unread"] = unread
        return response


@extend_schema(
    tags=[TAG],
    summary="将一条消息标为已读",
    request=None,
    responses={200: MessageSerializer, **errors(401, 404, 429)},
)
class MessageRead(CitizenView):
    def post(self, request: Request, pk: int) -> Response:
        message = notify.mark_read(pk, actor=citizen_user(request))
        return Response(MessageSerializer(message, context={"matter_type": _matter_type()}).data)


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=gettext_lazy("本次标为已读的条数。"))


@extend_schema(
    tags=[TAG],
    summary="将全部消息标为已读",
    request=None,
    responses={200: ReadAllSerializer, **errors(401, 404, 429)},
)
class MessageReadAll(CitizenView):
    def post(self, request: Request) -> Response:
        return Response({"marked": notify.mark_all_read(actor=citizen_user(request))})


# ------------------------------------------------------------------------------------------- regions


class RegionQuerySerializer(serializers.Serializer):
    parent = serializers.CharField(
        required=False,
        max_length=12,
        help_text=format_lazy("{}{}", gettext_lazy("上级区划代码；不填为省级。"), codes.CODE_FORMS),
    )

    def validate_parent(self, value: str) -> str:
        code = codes.canonical(value)
        if code and (not code.isdigit() or len(code) not in codes.CODE_LENGTHS):
            raise serializers.ValidationError(_("区划代码格式不正确。") + str(codes.CODE_FORMS))
        return code


class RegionOutSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    has_children = serializers.BooleanField(read_only=True, help_text=gettext_lazy("是否还有下级区划。"))

    class Meta:
        model = Region
        fields = ["code", "name", "full_name", "level", "level_label", "has_children"]


@extend_schema(
    tags=["公开信息"],
    summary="行政区划：某一区划的下级（选择所在地区用）",
    parameters=[RegionQuerySerializer],
    responses={200: RegionOutSerializer(many=True), **errors(400, 404, 429)},
)
class RegionList(generics.ListAPIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]
    serializer_class = RegionOutSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Region]:
        parent = query(RegionQuerySerializer, self.request).get("parent")
        qs = Region.objects.all()
        if parent:
            if not Region.objects.filter(code=parent).exists():
                raise ApiError(
                    404,
                    "not_found",
                    _("没有代码为 %(code)s 的区划（本平台收录的区划）。") % {"code": parent}
                    + codes.CODE_FORMS,
                )
            qs = qs.filter(parent_id=parent)
        else:
            qs = qs.filter(level=Region.Level.PROVINCE)
        return qs.annotate(has_children=Exists(Region.objects.filter(parent=OuterRef("pk")))).order_by("code")
