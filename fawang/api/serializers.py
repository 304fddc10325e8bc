"""What the API reads and writes. Output serializers show only what the matching HTML page shows; input
serializers only check types and shapes: the rules (and their Chinese messages) live in the actions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from fawang.catalog.models import Channel, ServiceItem
from fawang.catalog.serializers import MaterialSerializer
from fawang.knowledge.answers import Answer, CitedResult
from fawang.knowledge.results import Result
from fawang.lib.validators import mask_name
from fawang.matters.models import Matter, MatterEvent, Person
from fawang.orgs.models import Function, Unit
from fawang.orgs.serializers import CreditRecordSerializer, UnitRefSerializer

# ------------------------------------------------------------------------------------------- catalogue


class TimeLimitsSerializer(serializers.Serializer):
    accept = serializers.CharField(help_text=_("受理时限，如“7 工作日”；空为不计时。"))
    assign = serializers.CharField(help_text=_("指派时限。"))
    complete = serializers.CharField(help_text=_("办结时限。"))


class ServiceItemSerializer(serializers.ModelSerializer):
    business_line_label = serializers.CharField(source="get_business_line_display", read_only=True)
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices), read_only=True)
    channel_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    time_limits = serializers.SerializerMethodField()

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "code",
            "name",
            "business_line",
            "business_line_label",
            "summary",
            "channels",
            "channel_labels",
            "time_limits",
        ]

    @extend_schema_field(TimeLimitsSerializer)
    def get_time_limits(self, item: ServiceItem) -> dict[str, str]:
        return {step: item.limit_display(step) for step in ("accept", "assign", "complete")}


class ServiceItemDetailSerializer(ServiceItemSerializer):
    materials = MaterialSerializer(many=True, read_only=True)

    class Meta(ServiceItemSerializer.Meta):
        fields = [
            *ServiceItemSerializer.Meta.fields,
            "guide_conditions",
            "guide_procedure",
            "guide_fees",
            "legal_basis",
            "requires_id_number",
            "supply_limit_workdays",
            "materials",
        ]


# ------------------------------------------------------------------------------------------- units


class FunctionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Function
        fields = ["code", "name", "is_basic"]


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.full_name", read_only=True)
    functions = FunctionSerializer(many=True, read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_label",
            "region",
            "region_name",
            "address",
            "phone",
            "opening_hours",
            "functions",
        ]


class UnitDetailSerializer(UnitSerializer):
    parent = serializers.SerializerMethodField()
    credit_records = serializers.SerializerMethodField(
        help_text=_("机构本身公开的奖惩记录（信用信息公开）；不设信用记录的机构类型为空列表。")
    )

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "description", "parent", "credit_records"]

    @extend_schema_field(CreditRecordSerializer(many=True))
    def get_credit_records(self, unit: Unit) -> list[dict[str, Any]]:
        from fawang.info.directory import unit_credit

        return list(CreditRecordSerializer(unit_credit(unit), many=True).data)

    @extend_schema_field(UnitRefSerializer(allow_null=True))
    def get_parent(self, unit: Unit) -> dict[str, Any] | None:
        from fawang.portal.points import public_parent

        parent = public_parent(unit)
        return None if parent is None else {"id": parent.pk, "name": parent.name}


# ------------------------------------------------------------------------------------------- laws


class ArticleResultSerializer(serializers.Serializer):
    law_id = serializers.IntegerField(source="article.law_id")
    law_title = serializers.CharField(source="article.law.title")
    law_status = serializers.CharField(source="article.law.status")
    article_id = serializers.IntegerField(source="article.pk")
    label = serializers.CharField(source="article.label")
    text = serializers.CharField(source="article.text")
    snippet = serializers.CharField(help_text=_("已转义的摘录，命中词以 <mark> 标出。"))
    score = serializers.FloatField()
    why = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("匹配原因：日常用语对应的法律用语（如“工钱 → 劳动报酬”）和问题中命中的词。"),
    )
    url = serializers.SerializerMethodField()

    def get_url(self, result: Result) -> str:
        return result.article.get_absolute_url()


class CitedResultSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text=_("该条文在同一问题的条文检索结果中的名次（从 1 开始）。"))
    law_title = serializers.CharField(source="article.law.full_title")
    label = serializers.CharField(source="article.label")
    article_id = serializers.IntegerField(source="article.pk")
    url = serializers.SerializerMethodField()

    def get_url(self, cited: CitedResult) -> str:
        return cited.article.get_absolute_url()


class EntryAnswerSerializer(serializers.Serializer):
    entry_id = serializers.IntegerField(source="entry.pk")
    kind = serializers.CharField(
        source="entry.kind", help_text=_("guide 办事指南、faq 常见问题、case 以案释法。")
    )
    kind_label = serializers.CharField(source="entry.get_kind_display")
    title = serializers.CharField(source="entry.title")
    unit = serializers.CharField(source="entry.unit.name", help_text=_("编写单位。"))
    summary = serializers.CharField(help_text=_("条目开头一段原文（纯文本，显示时需转义）。"))
    why = serializers.ListField(
        child=serializers.CharField(), help_text=_("推荐原因：引用了哪些排在前面的条文，以及匹配的词。")
    )
    cites = CitedResultSerializer(source="cited", many=True)
    url = serializers.SerializerMethodField()

    def get_url(self, answer: Answer) -> str:
        return answer.entry.get_absolute_url()


class LawAnswerSerializer(serializers.Serializer):
    answer = EntryAnswerSerializer(
        allow_null=True, help_text=_("没有条目同时匹配问题并引用排在前面的条文时为 null。")
    )


# ------------------------------------------------------------------------------------------- tracking


class TrackCodeInSerializer(serializers.Serializer):
    tracking_no = serializers.CharField(max_length=40, help_text=_("受理编号，以 FW 开头，共 16 位。"))


class TrackCodeOutSerializer(serializers.Serializer):
    tracking_no = serializers.CharField()
    message = serializers.CharField()
    expires_in = serializers.IntegerField(help_text=_("验证码有效秒数。"))
    code = serializers.CharField(required=False, help_text=_("仅开发环境返回（没有短信网关时）。"))


class TrackVerifyInSerializer(serializers.Serializer):
    tracking_no = serializers.CharField(max_length=40)
    code = serializers.CharField(max_length=20, help_text=_("短信中的 6 位数字验证码。"))


class TrackTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("放在 X-Tracking-Token 请求头中查询办理进度。"))
    expires_in = serializers.IntegerField(help_text=_("有效秒数。"))


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    summary = serializers.CharField()
    who = serializers.CharField()


class TrackedMatterSerializer(serializers.Serializer):
    tracking_no = serializers.CharField()
    service_item = serializers.CharField(source="service_item.name")
    status = serializers.ChoiceField(choices=Matter.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    unit = serializers.CharField(source="unit.name")
    submitted_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    result = serializers.SerializerMethodField()
    timeline = TimelineEntrySerializer(many=True, source="api_timeline")

    def get_result(self, matter: Matter) -> str:
        return matter.result if matter.status in Matter.DONE_STATUSES else ""


# ------------------------------------------------------------------------------------------- matters


class PersonMaskedSerializer(serializers.Serializer):
    """In lists, as the workbench queue: masked name and phone (the ID number is not even read)."""

    name = serializers.SerializerMethodField()
    phone = serializers.CharField(source="phone_masked")

    def get_name(self, person: Person) -> str:
        return mask_name(person.name)


class PersonDetailMaskedSerializer(PersonMaskedSerializer):
    id_number = serializers.CharField(source="id_number_masked")


class PersonFullSerializer(serializers.ModelSerializer):
    special_groups = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Person
        fields = ["name", "phone", "id_number", "special_groups", "address"]


class ItemRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceItem
        fields = ["id", "code", "name"]


class MatterSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    service_item = ItemRefSerializer(read_only=True)
    unit = UnitRefSerializer(read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    person = PersonMaskedSerializer(read_only=True)
    handler = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Matter
        fields = [
            "id",
            "tracking_no",
            "service_item",
            "channel",
            "status",
            "status_label",
            "unit",
            "region",
            "person",
            "handler",
            "submitted_at",
            "due_at",
            "overdue",
        ]

    def get_handler(self, matter: Matter) -> str:
        handler = matter.handler
        return (handler.display_name or handler.username) if handler is not None else ""

    def get_overdue(self, matter: Matter) -> bool:
        now = self.context["now"]
        return bool(
            matter.status in Matter.RUNNING_STATUSES
            and matter.clock_paused_at is None
            and matter.due_at is not None
            and matter.due_at < now
        )


class EventSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    actor = serializers.SerializerMethodField()

    class Meta:
        model = MatterEvent
        fields = [
            "id",
            "action",
            "action_label",
            "old_status",
            "new_status",
            "actor",
            "note",
            "visible_to_person",
            "payload",
            "created_at",
        ]

    def get_actor(self, event: MatterEvent) -> str:
        actor = event.actor
        return (actor.display_name or actor.username) if actor is not None else str(_("系统"))


class MatterDetailSerializer(MatterSerializer):
    events = EventSerializer(many=True, read_only=True, source="api_events")
    personal_data_revealed = serializers.SerializerMethodField()
    person = serializers.SerializerMethodField()

    class Meta(MatterSerializer.Meta):
        fields = [
            *MatterSerializer.Meta.fields,
            "description",
            "result",
            "accepted_at",
            "completed_at",
            "personal_data_revealed",
            "events",
        ]

    def get_personal_data_revealed(self, matter: Matter) -> bool:
        return self.context.get("revealed") is not None

    # The person as it is answered: masked (name, phone and ID number masked) unless revealed with ``reveal``,
    # then in full (issue 14, item 25: a client generated from the schema must parse both).
    @extend_schema_field(
        PolymorphicProxySerializer(
            component_name="MatterPerson",
            serializers=[PersonDetailMaskedSerializer, PersonFullSerializer],
            resource_type_field_name=None,
        )
    )
    def get_person(self, matter: Matter) -> dict[str, Any]:
        revealed = self.context.get("revealed")
        if revealed is not None:
            return dict(PersonFullSerializer(revealed).data)
        return dict(PersonDetailMaskedSerializer(matter.person).data)


class MatterListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[("open", _("办理中（全部未结）")), *Matter.Status.choices], required=False
    )
    item = serializers.IntegerField(required=False, min_value=1, help_text=_("服务事项编号。"))
    overdue = serializers.BooleanField(required=False, default=False, help_text=_("只看已超期的。"))
    due_soon = serializers.BooleanField(required=False, default=False, help_text=_("只看临近时限的。"))
    mine = serializers.BooleanField(required=False, default=False, help_text=_("只看我承办或首问的。"))


class MatterDetailQuerySerializer(serializers.Serializer):
    reveal = serializers.BooleanField(
        required=False, default=False, help_text=_("显示完整身份证号码和电话（须有权限，并记入查看日志）。")
    )
    purpose = serializers.ChoiceField(
        choices=["办理事项", "联系服务对象", "核实身份", "回访"], required=False, default="办理事项"
    )


class PersonInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=32)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    special_groups = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, default=list, max_length=20
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RequestInSerializer(serializers.Serializer):
    service_item = serializers.IntegerField(min_value=1, help_text=_("服务事项编号。"))
    description = serializers.CharField(max_length=5000)
    region = serializers.CharField(max_length=12, help_text=_("事项发生地或服务对象所在地的区划代码。"))
    answer = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "当场答复办结：窗口、热线或上门受理的一般咨询（受理机构直接办理的事项）当场解答的答复内容；"
            "填写则事项受理并办结，答复为办理结果，本人为承办人。"
        ),
    )


class IntakeSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    intake_unit = serializers.IntegerField(min_value=1, help_text=_("受理机构编号（您所在的单位）。"))
    person = PersonInSerializer()
    requests = RequestInSerializer(many=True, min_length=1, max_length=10)


class SubmittedSerializer(serializers.Serializer):
    created = serializers.BooleanField(help_text=_("为 false 时是重发，返回的是第一次建立的事项。"))
    matters = MatterSerializer(many=True)
