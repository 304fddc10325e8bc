"""REST API v1 for appointments: the bookable slots of a point (public), a citizen's bookings (book, cancel,
reschedule, remote-visit booking) and the front desk's (a point's day, check-in, no-show, review).

Every write calls the same action as the HTML pages (fawang.frontdesk.actions); every POST takes an
Idempotency-Key (fawang.apikit.idempotency), and the booking actions get their own idempotency key from it, so
even two resends racing past the stored answer make one booking. Errors come out in the API's one format.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from fawang.accounts.public import citizen_user
from fawang.apikit.base import CitizenView, StaffView
from fawang.apikit.errors import ApiError
from fawang.apikit.idempotency import idempotent_write
from fawang.apikit.schema import body, errors, query
from fawang.apikit.throttles import PublicThrottle
from fawang.catalog.models import BusinessLine, Channel, ServiceItem
from fawang.lib.validators import mask_name
from fawang.orgs.models import Unit
from fawang.orgs.web import staff_user

from . import actions, booking, video
from .access import get_appointment_for_user, get_own_appointment, may_use_desk
from .forms import prisons
from .models import Appointment, RemoteVisit, Schedule, Slot

PUBLIC_TAG = "预约"
STAFF_TAG = "工作人员"
MAX_ID = 2**53
APP_CHANNELS = [(c, Channel(c).label) for c in (Channel.APP, Channel.WECHAT, Channel.WEB)]


def _key(request: Request) -> str:
    raw = f"{request.user.pk}:{request.headers.get('Idempotency-Key', '')}"
    return "api:" + hashlib.sha256(raw.encode()).hexdigest()[:60]


def _id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# ------------------------------------------------------------------------------------------- serializers


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class BookableItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    remote_visit = serializers.BooleanField(
        help_text=gettext_lazy("是否为监所远程探视（用 me/remote-visits/ 预约，须审核）。")
    )


class BookingInfoSerializer(serializers.Serializer):
    unit = RefSerializer()
    items = BookableItemSerializer(many=True)
    prisons = RefSerializer(many=True, help_text=gettext_lazy("可远程探视的监所（预约远程探视时选择）。"))


class SlotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(source="schedule.place_label", help_text=gettext_lazy("窗口或地点。"))
    schedule = serializers.CharField(source="schedule.name")
    places_left = serializers.IntegerField(help_text=gettext_lazy("剩余名额。"))
    service_items = serializers.SerializerMethodField(help_text=gettext_lazy("该时段可预约的服务事项编号。"))

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_service_items(self, slot: Slot) -> list[int]:
        return list(self.context.get("items_of", {}).get(slot.schedule_id, []))


class SlotQuerySerializer(serializers.Serializer):
    item = _id_field(required=False, help_text=gettext_lazy("服务事项编号；不填为全部可预约事项。"))
    date = serializers.DateField(required=False, help_text=gettext_lazy("只看这一天，如 2026-12-03。"))


class SlotRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    label = serializers.CharField()


class VisitOutSerializer(serializers.Serializer):
    prison = RefSerializer()
    inmate_name = serializers.CharField()
    relation = serializers.CharField()
    relation_label = serializers.CharField(source="get_relation_display")
    id_number = serializers.CharField(
        source="id_number_masked", help_text=gettext_lazy("只显示前六位和后四位。")
    )
    review_note = serializers.CharField()


class EventOutSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField(source="get_action_display")
    status = serializers.CharField(source="new_status")
    at = serializers.DateTimeField(source="created_at")
    note = serializers.CharField()


class AppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text=gettext_lazy("预约号。"))
    status = serializers.ChoiceField(choices=Appointment.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    unit = RefSerializer()
    place = serializers.CharField(source="slot.schedule.place_label")
    service_item = RefSerializer()
    slot = SlotRefSerializer()
    reason = serializers.CharField()
    channel = serializers.CharField()
    created_at = serializers.DateTimeField()
    cancel_reason = serializers.CharField()
    can_change = serializers.SerializerMethodField(help_text=gettext_lazy("现在是否还能取消或改约。"))
    tracking_no = serializers.SerializerMethodField(help_text=gettext_lazy("受理后的事项受理编号。"))
    remote_visit = serializers.SerializerMethodField()
    meeting_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("视频咨询的会议链接（预约有效期间）；现场预约为空。")
    )
    events = serializers.SerializerMethodField()

    def get_meeting_url(self, a: Appointment) -> str:
        """The person's link, as a guest under the booking's name (the staff serializer: the consultant's)."""
        if not a.meeting_open:
            return ""
        return video.meeting_url(a.meeting_room, name=a.name)

    def get_can_change(self, a: Appointment) -> bool:
        cutoff = a.slot.starts_at - dt.timedelta(hours=a.slot.schedule.cancel_cutoff_hours)
        return a.is_active and timezone.now() <= cutoff

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_tracking_no(self, a: Appointment) -> str | None:
        return a.matter.tracking_no if a.matter_id and a.matter else None

    @extend_schema_field(VisitOutSerializer(allow_null=True))
    def get_remote_visit(self, a: Appointment) -> dict[str, Any] | None:
        try:
            visit = a.remote_visit
        except RemoteVisit.DoesNotExist:
            return None
        return dict(VisitOutSerializer(visit).data)

    @extend_schema_field(EventOutSerializer(many=True))
    def get_events(self, a: Appointment) -> list[dict[str, Any]]:
        if not self.context.get("events"):
            return []
        return list(EventOutSerializer(a.events.order_by("created_at", "pk"), many=True).data)


class StaffAppointmentSerializer(AppointmentSerializer):
    name = serializers.SerializerMethodField(help_text=gettext_lazy("预约人姓名（部分隐藏）。"))
    phone = serializers.CharField(source="phone_masked", help_text=gettext_lazy("联系电话（部分隐藏）。"))

    def get_name(self, a: Appointment) -> str:
        return mask_name(a.name)

    def get_meeting_url(self, a: Appointment) -> str:
        if not a.meeting_open:
            return ""
        user = getattr(self.context.get("request"), "user", None)
        name = (user.display_name or user.get_username()) if user is not None else ""
        return video.meeting_url(a.meeting_room, name=name, moderator=True)


class BookInSerializer(serializers.Serializer):
    slot = _id_field(help_text=gettext_lazy("预约时段编号（service-points/{id}/slots/）。"))
    service_item = _id_field(help_text=gettext_lazy("服务事项编号。"))
    reason = serializers.CharField(max_length=2000, help_text=gettext_lazy("预约事由。"))
    channel = serializers.ChoiceField(choices=APP_CHANNELS, default=Channel.APP)


class VisitInSerializer(serializers.Serializer):
    slot = _id_field(help_text=gettext_lazy("远程探视时段编号。"))
    reason = serializers.CharField(max_length=2000, help_text=gettext_lazy("探视事由。"))
    prison = _id_field(help_text=gettext_lazy("监所编号（service-points/{id}/booking/ 的 prisons）。"))
    inmate_name = serializers.CharField(max_length=100, help_text=gettext_lazy("被探视人姓名。"))
    relation = serializers.ChoiceField(
        choices=RemoteVisit.Relation.choices, help_text=gettext_lazy("与被探视人关系。")
    )
    id_number = serializers.CharField(max_length=40, help_text=gettext_lazy("探视人（本人）的身份证号码。"))
    channel = serializers.ChoiceField(choices=APP_CHANNELS, default=Channel.APP)


class CancelInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RescheduleInSerializer(serializers.Serializer):
    slot = _id_field(help_text=gettext_lazy("新的预约时段编号。"))


class ReviewInSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text=gettext_lazy("true 通过；false 不通过（须填 note）。"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DayQuerySerializer(serializers.Serializer):
    unit = _id_field(help_text=gettext_lazy("服务点编号。"))
    date = serializers.DateField(required=False, help_text=gettext_lazy("日期，默认今天。"))


def _related(qs: Any) -> Any:
    return qs.select_related(
        "slot__schedule__window", "unit", "service_item", "matter", "remote_visit__prison"
    )


def _out(appointment: Appointment, *, staff: bool = False) -> dict[str, Any]:
    fresh = _related(Appointment.objects.filter(pk=appointment.pk)).get()
    serializer = StaffAppointmentSerializer if staff else AppointmentSerializer
    return dict(serializer(fresh, context={"events": True}).data)


# ------------------------------------------------------------------------------------------- public


@extend_schema(
    tags=[PUBLIC_TAG],
    summary="服务点的可预约事项",
    responses={200: BookingInfoSerializer, **errors(404, 429)},
)
class BookingInfo(generics.GenericAPIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]
    serializer_class = BookingInfoSerializer

    def get(self, request: Request, pk: int) -> Response:
        unit = booking.get_bookable_unit(pk)
        items = booking.items_for(unit)
        visit = any(i.business_line == BusinessLine.REMOTE_VISIT for i in items)
        return Response(
            {
                "unit": {"id": unit.pk, "name": unit.name},
                "items": [
                    {
                        "id": i.pk,
                        "code": i.code,
                        "name": i.name,
                        "remote_visit": i.business_line == BusinessLine.REMOTE_VISIT,
                    }
                    for i in items
                ],
                "prisons": [{"id": p.pk, "name": p.name} for p in prisons()] if visit else [],
            }
        )


@extend_schema(
    tags=[PUBLIC_TAG],
    summary="服务点的可预约时段（有剩余名额的）",
    parameters=[SlotQuerySerializer],
    responses={200: SlotSerializer(many=True), **errors(400, 404, 429)},
)
class SlotList(generics.GenericAPIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]
    serializer_class = SlotSerializer

    def get(self, request: Request, pk: int) -> Response:
        unit = booking.get_bookable_unit(pk)
        params = query(SlotQuerySerializer, request)
        now = timezone.now()
        items = booking.items_for(unit)
        if "item" in params:
            items = [i for i in items if i.pk == params["item"]]
            if not items:
                raise ApiError(400, "item_not_offered", _("本服务点不接受该事项的预约。"))
        found: dict[int, Slot] = {}
        for item in items:
            for slot in booking.open_slots(unit, item, now, day=params.get("date")):
                found.setdefault(slot.pk, slot)
        rows = sorted(found.values(), key=lambda s: (s.starts_at, s.schedule_id))
        page = self.paginate_queryset(rows)
        links = Schedule.service_items.through.objects.filter(
            schedule_id__in={r.schedule_id for r in page or []}
        )
        items_of: dict[int, list[int]] = {}
        for schedule_id, item_id in links.values_list("schedule_id", "serviceitem_id").order_by(
            "serviceitem_id"
        ):
            items_of.setdefault(schedule_id, []).append(item_id)
        data = SlotSerializer(page, many=True, context={"items_of": items_of}).data
        return self.get_paginated_response(data)


# ------------------------------------------------------------------------------------------- citizens


class MyAppointments(CitizenView, generics.GenericAPIView):
    serializer_class = AppointmentSerializer

    @extend_schema(
        tags=[PUBLIC_TAG],
        summary="我的预约",
        responses={200: AppointmentSerializer(many=True), **errors(401, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        qs = _related(Appointment.objects.of_user(citizen_user(request))).order_by("-slot__starts_at", "-pk")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AppointmentSerializer(page, many=True).data)

    @idempotent_write(
        tags=[PUBLIC_TAG],
        summary="预约办理（须已实名）",
        request=BookInSerializer,
        responses={201: AppointmentSerializer},
    )
    def post(self, request: Request) -> Response:
        data = body(BookInSerializer, request)
        item = ServiceItem.objects.filter(pk=data["service_item"]).first()
        if item is None:
            raise serializers.ValidationError({"service_item": [_("没有这个服务事项。")]})
        if item.business_line == BusinessLine.REMOTE_VISIT:
            raise ApiError(400, "use_remote_visits", _("监所远程探视请通过 me/remote-visits/ 预约。"))
        result = actions.do_book(
            actor=citizen_user(request),
            slot_id=data["slot"],
            service_item=item,
            reason=data["reason"],
            channel=data["channel"],
            idempotency_key=_key(request),
        )
        return Response(_out(result.appointment), status=201)


class MyRemoteVisits(CitizenView):
    @idempotent_write(
        tags=[PUBLIC_TAG],
        summary="监所远程探视预约（提交后待审核）",
        request=VisitInSerializer,
        responses={201: AppointmentSerializer},
    )
    def post(self, request: Request) -> Response:
        data = body(VisitInSerializer, request)
        item = (
            ServiceItem.objects.active()
            .filter(business_line=BusinessLine.REMOTE_VISIT)
            .order_by("order", "pk")
            .first()
        )
        if item is None:
            raise ApiError(400, "no_remote_visit_item", _("服务事项目录中没有启用的“监所远程探视”事项。"))
        prison = Unit.objects.filter(pk=data["prison"], kind=Unit.Kind.PRISON).first()
        result = actions.do_book(
            actor=citizen_user(request),
            slot_id=data["slot"],
            service_item=item,
            reason=data["reason"],
            visit=actions.VisitData(
                prison=prison,
                inmate_name=data["inmate_name"],
                relation=data["relation"],
                id_number=data["id_number"],
            ),
            channel=data["channel"],
            idempotency_key=_key(request),
        )
        return Response(_out(result.appointment), status=201)


@extend_schema(
    tags=[PUBLIC_TAG],
    summary="我的一个预约（含预约记录）",
    responses={200: AppointmentSerializer, **errors(401, 404, 429)},
)
class MyAppointment(CitizenView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(_out(get_own_appointment(citizen_user(request), pk)))


class MyCancel(CitizenView):
    @idempotent_write(
        tags=[PUBLIC_TAG],
        summary="取消预约（时段开始前的截止时间之前）",
        request=CancelInSerializer,
        responses={200: AppointmentSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = citizen_user(request)
        appointment = get_own_appointment(user, pk)
        data = body(CancelInSerializer, request)
        actions.do_cancel(appointment.pk, actor=user, reason=data["reason"])
        return Response(_out(appointment))


class MyReschedule(CitizenView):
    @idempotent_write(
        tags=[PUBLIC_TAG],
        summary="改约到同一服务点的其他时段（新名额到手后才释放原名额）",
        request=RescheduleInSerializer,
        responses={200: AppointmentSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = citizen_user(request)
        appointment = get_own_appointment(user, pk)
        data = body(RescheduleInSerializer, request)
        actions.do_reschedule(appointment.pk, actor=user, slot_id=data["slot"])
        return Response(_out(appointment))


# ------------------------------------------------------------------------------------------- staff


@extend_schema(
    tags=[STAFF_TAG],
    summary="服务点某日的预约（本人辖区）",
    parameters=[DayQuerySerializer],
    responses={200: StaffAppointmentSerializer(many=True), **errors(400, 401, 403, 404, 429)},
)
class DeskDay(StaffView, generics.GenericAPIView):
    serializer_class = StaffAppointmentSerializer

    def get(self, request: Request) -> Response:
        user = staff_user(request)
        params = query(DayQuerySerializer, request)
        unit = get_object_or_404(Unit.objects.visible_to(user), pk=params["unit"])
        if not may_use_desk(user, unit):  # as the console's 今日预约: a front-desk role at that point
            raise PermissionDenied(_("您的岗位无权执行此操作。"))
        day = params.get("date") or timezone.localdate()
        qs = _related(Appointment.objects.visible_to(user).filter(unit=unit, slot__date=day)).order_by(
            "slot__starts_at", "pk"
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(StaffAppointmentSerializer(page, many=True).data)


@extend_schema(
    tags=[STAFF_TAG],
    summary="预约详情（工作人员）",
    responses={200: StaffAppointmentSerializer, **errors(401, 404, 429)},
)
class DeskAppointment(StaffView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(_out(get_appointment_for_user(staff_user(request), pk), staff=True))


def _desk_action(
    name: str, summary: str, serializer_class: type[serializers.Serializer] | None, perform: Any
) -> type[StaffView]:
    class DeskAction(StaffView):
        # On the method, not the class: an operation_id on a view class breaks the schema (drf-spectacular W002).
        @idempotent_write(
            tags=[STAFF_TAG],
            summary=summary,
            operation_id=f"frontdesk_appointments_{name.replace('-', '_')}",
            request=serializer_class,
            responses={200: StaffAppointmentSerializer},
        )
        def post(self, request: Request, pk: int) -> Response:
            user = staff_user(request)
            appointment = get_appointment_for_user(user, pk)  # 404 first for "missing" and "not yours"
            data = body(serializer_class, request) if serializer_class else {}
            perform(appointment.pk, user, data)
            return Response(_out(appointment, staff=True))

    DeskAction.__name__ = DeskAction.__qualname__ = "Desk" + name.title().replace("-", "")
    return DeskAction


DESK_ACTIONS = {
    "check-in": _desk_action(
        "check-in", "签到（预约当天）", None, lambda pk, u, d: actions.do_check_in(pk, actor=u)
    ),
    "no-show": _desk_action(
        "no-show", "标记爽约（时段结束后）", None, lambda pk, u, d: actions.do_mark_no_show(pk, actor=u)
    ),
    "review": _desk_action(
        "review",
        "审核监所远程探视预约",
        ReviewInSerializer,
        lambda pk, u, d: actions.do_review(pk, actor=u, approve=d["approve"], note=d["note"]),
    ),
}
