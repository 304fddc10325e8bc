"""REST API v1 for the public information pages: 办事指南, the directory with 信用信息公开, and 普法.

The same doors as the HTML pages (guides, directory, publicity), so the app shows exactly what the site shows:
only active items, only public practitioners and public credit records, only published articles.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from fawang.apikit.base import PublicListView, PublicView
from fawang.apikit.errors import ApiError
from fawang.apikit.schema import errors, query
from fawang.catalog.models import BusinessLine, ServiceItem
from fawang.catalog.serializers import MaterialSerializer
from fawang.knowledge.models import KnowledgeEntry
from fawang.orgs.models import Practitioner, Speciality, Unit
from fawang.orgs.serializers import CreditRecordSerializer, UnitRefSerializer
from fawang.regions.models import Region

from . import directory, guides, publicity

TAG = "公开信息"

# ------------------------------------------------------------------------------------------- serializers


class GuideSummarySerializer(serializers.ModelSerializer):
    business_line_label = serializers.CharField(source="get_business_line_display", read_only=True)
    unit_kind_label = serializers.CharField(source="get_unit_kind_display", read_only=True)
    url = serializers.SerializerMethodField(help_text=gettext_lazy("网页版办事指南的地址。"))

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "code",
            "name",
            "business_line",
            "business_line_label",
            "summary",
            "unit_kind_label",
            "url",
        ]

    def get_url(self, item: ServiceItem) -> str:
        return reverse("info:guide", args=[item.code])


class TimedStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["accept", "assign", "complete"])
    label = serializers.CharField()
    amount = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=["workdays", "workhours", "days"])
    unit_label = serializers.CharField(help_text=gettext_lazy("工作日、工作小时或自然日。"))
    basis = serializers.CharField(help_text=gettext_lazy("法律依据或服务承诺。"))


class EntryRefSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = KnowledgeEntry
        fields = ["id", "kind", "kind_label", "title", "url"]


class GuideSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="item.pk")
    code = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.name")
    business_line = serializers.CharField(source="item.business_line")
    business_line_label = serializers.CharField(source="item.get_business_line_display")
    summary = serializers.CharField(source="item.summary")
    unit_kind = serializers.CharField(source="item.unit_kind")
    unit_kind_label = serializers.CharField()
    unit_level_label = serializers.CharField(help_text=gettext_lazy("办理机构所在区划的最低层级。"))
    handled_at_intake = serializers.BooleanField(source="item.handled_at_intake")
    conditions = serializers.CharField(source="item.guide_conditions")
    procedure = serializers.CharField(source="item.guide_procedure")
    fees = serializers.CharField(source="item.guide_fees")
    legal_basis = serializers.CharField(source="item.legal_basis")
    requires_id_number = serializers.BooleanField(source="item.requires_id_number")
    supply_limit_workdays = serializers.IntegerField(source="item.supply_limit_workdays")
    channels = serializers.ListField(child=serializers.CharField(), source="item.channels")
    channel_labels = serializers.ListField(child=serializers.CharField())
    time_limits = TimedStepSerializer(many=True, source="steps")
    materials = MaterialSerializer(many=True, source="item.materials.all")
    entries = EntryRefSerializer(many=True, help_text=gettext_lazy("关联到本事项的已发布指南与问答。"))
    apply_url = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("在线申请/预约页面；为空表示请到窗口或拨打 12348 办理。")
    )


class PractitionerSerializer(serializers.ModelSerializer):
    """The directory's public fields only (directory.PUBLIC_FIELDS): never the phone, gender or account."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    licence_status_label = serializers.CharField(source="get_licence_status_display", read_only=True)
    unit = serializers.SerializerMethodField()
    specialities = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    rewards = serializers.IntegerField(read_only=True, help_text=gettext_lazy("公开的表彰奖励记录数。"))
    penalties = serializers.IntegerField(read_only=True, help_text=gettext_lazy("公开的处罚惩戒记录数。"))

    class Meta:
        model = Practitioner
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "licence_no",
            "licence_status",
            "licence_status_label",
            "licensed_on",
            "unit",
            "specialities",
            "rewards",
            "penalties",
        ]

    @extend_schema_field(UnitRefSerializer(allow_null=True))
    def get_unit(self, p: Practitioner) -> dict[str, Any] | None:
        return None if p.unit is None else {"id": p.unit.pk, "name": p.unit.name}


class PractitionerDetailSerializer(PractitionerSerializer):
    credit_records = CreditRecordSerializer(
        many=True, source="public_records", help_text=gettext_lazy("公开的奖惩记录（信用信息公开）。")
    )

    class Meta(PractitionerSerializer.Meta):
        fields = [*PractitionerSerializer.Meta.fields, "credit_records"]


class DirectoryUnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.full_name", read_only=True)
    public_practitioners = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("公开的执业人员数。")
    )
    rewards = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("机构本身公开的表彰奖励记录数。")
    )
    penalties = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("机构本身公开的处罚惩戒记录数。")
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "region",
            "region_name",
            "address",
            "phone",
            "opening_hours",
            "public_practitioners",
            "rewards",
            "penalties",
        ]


class ArticleSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    category = serializers.CharField(source="topic.code", allow_null=True, default=None, read_only=True)
    category_name = serializers.CharField(source="topic.name", allow_null=True, default=None, read_only=True)
    unit = serializers.CharField(source="unit.name", read_only=True)
    excerpt = serializers.SerializerMethodField()

    class Meta:
        model = KnowledgeEntry
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "category",
            "category_name",
            "unit",
            "published_at",
            "excerpt",
        ]

    def get_excerpt(self, entry: KnowledgeEntry) -> str:
        body = " ".join(entry.body.split())
        return body if len(body) <= 100 else body[:99] + "…"


class ArticleDetailSerializer(ArticleSerializer):
    body = serializers.CharField(read_only=True, help_text=gettext_lazy("纯文本，空一行分段。"))

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "needs_review"]


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


# ------------------------------------------------------------------------------------------- queries


class GuideQuerySerializer(serializers.Serializer):
    business_line = serializers.ChoiceField(choices=BusinessLine.choices, required=False)


class DirectoryQuerySerializer(serializers.Serializer):
    region = serializers.CharField(required=False, max_length=12, help_text="区划代码，如 350203。")
    kind = serializers.ChoiceField(
        choices=[(k, Unit.Kind(k).label) for k in directory.DIRECTORY_KINDS], required=False
    )
    speciality = serializers.CharField(required=False, max_length=32, help_text="业务专长代码，如 family。")


class PractitionerQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=40, help_text="姓名、执业证号或执业机构。")
    region = serializers.CharField(required=False, max_length=12, help_text="执业机构所在区划代码。")
    kind = serializers.ChoiceField(choices=Practitioner.Kind.choices, required=False)
    speciality = serializers.CharField(required=False, max_length=32, help_text="业务专长代码。")
    status = serializers.ChoiceField(choices=Practitioner.LicenceStatus.choices, required=False)


class CategoryQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(k, KnowledgeEntry.Kind(k).label) for k in publicity.PUBLICITY_KINDS], required=False
    )


class ArticleQuerySerializer(CategoryQuerySerializer):
    category = serializers.CharField(required=False, max_length=32, help_text="分类（业务领域）代码。")


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ApiError(400, "bad_region", _("没有这个区划代码。"))
    return region


def _speciality(code: str | None) -> Speciality | None:
    if not code:
        return None
    found = Speciality.objects.filter(code=code).first()
    if found is None:
        raise ApiError(400, "bad_speciality", _("没有这个业务领域。"))
    return found


# ------------------------------------------------------------------------------------------- views


@extend_schema(
    tags=[TAG],
    summary="办事指南列表（按业务条线）",
    parameters=[GuideQuerySerializer],
    responses={200: GuideSummarySerializer(many=True), **errors(400)},
)
class GuideList(PublicListView):
    serializer_class = GuideSummarySerializer

    def get_queryset(self) -> QuerySet[ServiceItem]:
        data = query(GuideQuerySerializer, self.request)
        qs = guides.guide_items()
        return qs.filter(business_line=data["business_line"]) if data.get("business_line") else qs


@extend_schema(
    tags=[TAG], summary="办事指南：一个服务事项的全部信息", responses={200: GuideSerializer, **errors(404)}
)
class GuideDetail(PublicView):
    def get(self, request: Request, code: str) -> Response:
        return Response(GuideSerializer(guides.get_guide(code)).data)


@extend_schema(
    tags=[TAG],
    summary="机构名录",
    parameters=[DirectoryQuerySerializer],
    responses={200: DirectoryUnitSerializer(many=True), **errors(400)},
)
class DirectoryUnitList(PublicListView):
    serializer_class = DirectoryUnitSerializer

    def get_queryset(self) -> QuerySet[Unit]:
        data = query(DirectoryQuerySerializer, self.request)
        return directory.directory_units(
            _region(data.get("region")), data.get("kind", ""), _speciality(data.get("speciality"))
        )


@extend_schema(
    tags=[TAG],
    summary="法律服务人员名录与信用信息",
    parameters=[PractitionerQuerySerializer],
    responses={200: PractitionerSerializer(many=True), **errors(400)},
)
class PractitionerList(PublicListView):
    serializer_class = PractitionerSerializer

    def get_queryset(self) -> QuerySet[Practitioner]:
        data = query(PractitionerQuerySerializer, self.request)
        return directory.filter_practitioners(
            region=_region(data.get("region")),
            kind=data.get("kind", ""),
            speciality=_speciality(data.get("speciality")),
            status=data.get("status", ""),
            q=" ".join(data.get("q", "").split()),
        )


@extend_schema(
    tags=[TAG],
    summary="法律服务人员：执业信息与公开的奖惩记录",
    responses={200: PractitionerDetailSerializer, **errors(404)},
)
class PractitionerDetail(PublicView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(PractitionerDetailSerializer(directory.get_public_practitioner(pk)).data)


@extend_schema(
    tags=[TAG],
    summary="普法文章与以案释法案例",
    parameters=[ArticleQuerySerializer],
    responses={200: ArticleSerializer(many=True), **errors(400)},
)
class ArticleList(PublicListView):
    serializer_class = ArticleSerializer

    def get_queryset(self) -> QuerySet[KnowledgeEntry]:
        data = query(ArticleQuerySerializer, self.request)
        category = data.get("category")
        topic = None
        if category:
            topic = Speciality.objects.filter(code=category).first()
            if topic is None:
                raise ApiError(400, "bad_category", _("没有这个分类。"))
        return publicity.filter_articles(data.get("kind", ""), topic)


@extend_schema(
    tags=[TAG],
    summary="普法分类（含文章数）",
    parameters=[CategoryQuerySerializer],
    responses={200: CategorySerializer(many=True), **errors(400)},
)
class ArticleCategories(PublicView):
    def get(self, request: Request) -> Response:
        data = query(CategoryQuerySerializer, request)
        rows = publicity.categories(data.get("kind", ""))
        return Response(CategorySerializer([asdict(c) for c in rows], many=True).data)


@extend_schema(tags=[TAG], summary="普法文章全文", responses={200: ArticleDetailSerializer, **errors(404)})
class ArticleDetail(PublicView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(ArticleDetailSerializer(publicity.get_article(pk)).data)
