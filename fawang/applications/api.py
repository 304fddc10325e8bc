"""REST API v1 of online applications, for the mobile app and the WeChat mini-program: under
``/api/v1/me/applications/`` with the citizen's token (``CitizenView``), calling the same actions as the pages at
/me/applications/ — so a draft begun in the browser resumes in the app and the other way round.

- ``GET me/applications/``: my applications (drafts and submitted); ``POST``: start one (or get my draft of that
  item back), with ``Idempotency-Key``.
- ``GET me/applications/{id}/``: the draft with every step's saved data, the material slots and what is still
  missing; ``DELETE``: discard a draft.
- ``PUT me/applications/{id}/{applicant|matter|parties|means}/``: save one step; the body has the step's fields
  (lists for the rows of parties and household members); errors name the fields (``parties[0].name``).
- ``POST me/applications/{id}/materials/`` (multipart, ``Idempotency-Key``): upload a file to a slot;
  ``DELETE me/applications/{id}/materials/{file_id}/``: remove it.
- ``POST me/applications/{id}/submit/`` (``Idempotency-Key``): submit on the APP or 微信 channel; a resend answers
  with the same matter.

Input bodies are checked by the step forms inside the actions; the request serializers below only document
their shape (they are built from those forms, so the document follows the rules).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from fawang.accounts.public import citizen_user
from fawang.apikit.base import CitizenView
from fawang.apikit.errors import ApiError
from fawang.apikit.idempotency import idempotent_write
from fawang.apikit.schema import errors
from fawang.catalog.models import Channel, ServiceItem
from fawang.matters import tracking
from fawang.matters.models import Matter
from fawang.regions.forms import RegionField

from . import actions
from . import choices as form_choices
from . import forms as step_forms
from .access import get_own_application
from .definitions import BY_CODE, GENERIC, Definition, MaterialsStep, definition_for
from .models import Application, ApplicationFile

TAG = "网上申请"
EDITABLE_STEPS = ("applicant", "matter", "parties", "means")


def _object(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise ApiError(400, "invalid", _("请求内容应为 JSON 对象。"))
    return dict(request.data)


# ------------------------------------------------------------------------------------------- output


def file_data(row: ApplicationFile) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.original_name,
        "size": row.size,
        "content_type": row.content_type,
        "created_at": row.created_at,
    }


def matter_data(app: Application) -> dict[str, Any] | None:
    matter = app.matter
    if matter is None:
        return None
    return {
        "id": matter.pk,
        "tracking_no": matter.tracking_no,
        "tracking_display": tracking.display(matter.tracking_no),
        "status": matter.status,
        "status_label": matter.get_status_display(),
        "unit": matter.unit.name,
    }


def summary_data(app: Application, definition: Definition | None) -> dict[str, Any]:
    steps = [s for s in definition.steps if s.saves] if definition else []
    return {
        "id": app.pk,
        "service_item": {
            "id": app.service_item_id,
            "code": app.service_item.code,
            "name": app.service_item.name,
        },
        "status": app.status,
        "status_label": app.get_status_display(),
        "progress": {"done": sum(1 for s in steps if s.code in (app.steps_done or [])), "total": len(steps)},
        "created_at": app.created_at,
        "updated_at": app.updated_at,
        "submitted_at": app.submitted_at,
        "matter": matter_data(app),
    }


def detail_data(app: Application) -> dict[str, Any]:
    definition = definition_for(app.service_item)
    out = summary_data(app, definition)
    if definition is None:
        return {**out, "steps": [], "next_step": None, "data": {}, "materials": [], "missing": []}
    done = set(app.steps_done or [])
    materials = definition.materials_step
    out["steps"] = [
        {
            "code": s.code,
            "title": str(s.title),
            "done": s.code in done if s.saves else (isinstance(s, MaterialsStep) and not s.missing(app)),
        }
        for s in definition.steps
    ]
    out["next_step"] = next((s.code for s in definition.steps if s.saves and s.code not in done), "confirm")
    out["data"] = {s.code: s.value(app) for s in definition.steps if s.saves}
    out["materials"] = [
        {
            "slot": slot.key,
            "name": slot.name,
            "description": slot.description,
            "required": slot.required,
            "covered": slot.covered,
            "files": [file_data(x) for x in slot.files],
        }
        for slot in materials.slots(app)
    ]
    out["missing"] = actions.incomplete(app) if app.is_draft else []
    return out


class ApplicationItemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ApplicationProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text=gettext_lazy("已保存的填写步骤数。"))
    total = serializers.IntegerField(help_text=gettext_lazy("需要填写的步骤数（不含申请材料和确认提交）。"))


class ApplicationMatterRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tracking_no = serializers.CharField(help_text=gettext_lazy("受理编号。"))
    tracking_display = serializers.CharField(help_text=gettext_lazy("分组显示的受理编号。"))
    status = serializers.ChoiceField(choices=Matter.Status.choices)
    status_label = serializers.CharField()
    unit = serializers.CharField(help_text=gettext_lazy("办理机构。"))


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service_item = ApplicationItemRefSerializer()
    status = serializers.ChoiceField(choices=Application.Status.choices)
    status_label = serializers.CharField()
    progress = ApplicationProgressSerializer()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    matter = ApplicationMatterRefSerializer(
        allow_null=True, help_text=gettext_lazy("提交后生成的事项；草稿为空。")
    )


class ApplicationStepRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    done = serializers.BooleanField()


class ApplicationFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    created_at = serializers.DateTimeField()


class ApplicationSlotSerializer(serializers.Serializer):
    slot = serializers.CharField(
        help_text=gettext_lazy("上传材料时使用的栏目代码，如 m12、exemption_proof、other。")
    )
    name = serializers.CharField()
    description = serializers.CharField()
    required = serializers.BooleanField(help_text=gettext_lazy("提交前必须上传。"))
    covered = serializers.CharField(help_text=gettext_lazy("在线填写的内容已提供该材料时的说明；否则为空。"))
    files = ApplicationFileSerializer(many=True)


class ApplicationDetailSerializer(ApplicationSerializer):
    steps = ApplicationStepRefSerializer(many=True)
    next_step = serializers.CharField(allow_null=True, help_text=gettext_lazy("下一个需要填写的步骤。"))
    data = serializers.DictField(
        child=serializers.DictField(),
        help_text=gettext_lazy("各步骤已保存的内容，键为步骤代码，格式与保存该步骤时的请求内容相同。"),
    )
    materials = ApplicationSlotSerializer(many=True)
    missing = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("提交前还需完成的事项；为空即可提交。")
    )


class ApplicationSubmittedSerializer(serializers.Serializer):
    created = serializers.BooleanField(help_text=gettext_lazy("false 表示该申请此前已经提交，返回原事项。"))
    application = ApplicationDetailSerializer()
    matter = ApplicationMatterRefSerializer()


# ------------------------------------------------------------------------------------------- input (documentation)


def _doc_field(field: forms.Field) -> serializers.Field:
    label, help_text = str(field.label or ""), str(field.help_text or "")
    text = (
        # Translators: a form field's label and its help text, in the API documentation.
        _("%(label)s。%(help)s") % {"label": label, "help": help_text}
        if label and help_text
        else label or help_text
    )
    required = field.required
    if isinstance(field, RegionField):
        return serializers.CharField(
            required=required, help_text=text + gettext_lazy("（区划代码，如 350203001）")
        )
    if isinstance(field, forms.MultipleChoiceField):
        choices: list[Any] = list(getattr(field, "choices", []))
        return serializers.MultipleChoiceField(choices=choices, required=False, help_text=text)
    if isinstance(field, forms.ChoiceField):
        choices = [(k, v) for k, v in getattr(field, "choices", []) if k != ""]
        return serializers.ChoiceField(choices=choices, required=required, help_text=text)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(required=False, help_text=text)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            required=False,
            allow_null=True,
            coerce_to_string=False,
            help_text=text,
        )
    max_length = getattr(field, "max_length", None)
    return serializers.CharField(
        required=required, allow_blank=not required, max_length=max_length, help_text=text
    )


def documented(
    form_class: type[forms.Form], name: str, *, exclude: tuple[str, ...] = (), **extra: serializers.Field
) -> type[serializers.Serializer]:
    fields: dict[str, Any] = {k: _doc_field(v) for k, v in form_class.base_fields.items() if k not in exclude}
    fields.update(extra)
    return type(name, (serializers.Serializer,), fields)


ApplicantIn = documented(step_forms.ApplicantForm, "ApplicationApplicantIn")
PartyIn = documented(step_forms.PartyForm, "ApplicationPartyIn")
MemberIn = documented(step_forms.MemberForm, "ApplicationMemberIn")
PartiesIn = type(
    "ApplicationPartiesIn",
    (serializers.Serializer,),
    {"parties": PartyIn(many=True, help_text=gettext_lazy("对方当事人或者被申请人，每人一项。"))},
)
MeansIn = documented(
    step_forms.MeansForm,
    "ApplicationMeansIn",
    exclude=("grounds_32", "grounds_42"),
    exemption_grounds=serializers.MultipleChoiceField(
        choices=form_choices.ExemptionGround.choices,
        required=False,
        help_text=gettext_lazy("法律援助法第三十二条、第四十二条规定的情形代码；为空表示因经济困难申请。"),
    ),
    members=MemberIn(many=True, required=False, help_text=gettext_lazy("共同生活的家庭成员及其月收入。")),
)
MATTER_BODIES = {
    d.code: documented(d.matter_form, f"ApplicationMatter{d.code.title().replace('_', '')}In")
    for d in (*BY_CODE.values(), GENERIC)
}
MatterIn = PolymorphicProxySerializer(
    component_name="ApplicationMatterIn",
    serializers=list(MATTER_BODIES.values()),
    resource_type_field_name=None,
)
STEP_BODIES: dict[str, Any] = {
    "applicant": ApplicantIn,
    "matter": MatterIn,
    "parties": PartiesIn,
    "means": MeansIn,
}
STEP_SUMMARIES = {
    "applicant": "保存“申请人信息”（姓名和身份证号码取自实名信息）",
    "matter": "保存“事项情况”（各事项字段不同：法律援助、人民调解、公证、司法鉴定、律师服务或通用）",
    "parties": "保存“对方当事人”或“被申请人”（法律援助、人民调解）",
    "means": "保存“家庭经济状况”或免予审查的情形（法律援助法 第三十二条、第四十一条、第四十二条）",
}


class ApplicationStartInSerializer(serializers.Serializer):
    service_item = serializers.IntegerField(help_text=gettext_lazy("服务事项 id（见公开的服务事项目录）。"))


class ApplicationUploadInSerializer(serializers.Serializer):
    slot = serializers.CharField(
        max_length=20, help_text=gettext_lazy("材料栏目代码（见申请详情的 materials）。")
    )
    file = serializers.FileField(help_text=gettext_lazy("PDF、JPG、PNG 或 Word（.docx），不超过 10 MB。"))


class ApplicationSubmitInSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=[(Channel.APP, Channel.APP.label), (Channel.WECHAT, Channel.WECHAT.label)],
        required=False,
        help_text=gettext_lazy("提交渠道，默认 app。"),
    )
    pledge = serializers.BooleanField(
        help_text=gettext_lazy("本人承诺所填写的信息和提交的材料真实、完整；须为 true。")
    )


# ------------------------------------------------------------------------------------------- views


class ApplicationList(CitizenView, generics.GenericAPIView):
    @extend_schema(
        tags=[TAG],
        summary="我的申请（草稿和已提交）",
        responses={200: ApplicationSerializer(many=True), **errors(401, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        rows = (
            Application.objects.of_user(citizen_user(request))
            .select_related("service_item", "matter__unit")
            .order_by("-updated_at", "-pk")
        )
        page = self.paginate_queryset(rows)
        data = [summary_data(app, definition_for(app.service_item)) for app in page or []]
        return self.get_paginated_response(data)

    @idempotent_write(
        tags=[TAG],
        summary="开始一份网上申请（已有该事项的草稿时返回该草稿）",
        request=ApplicationStartInSerializer,
        responses={201: ApplicationDetailSerializer, 200: ApplicationDetailSerializer},
        error_codes=(400, 401, 404, 409, 429),
    )
    def post(self, request: Request) -> Response:
        body = _object(request)
        raw = body.get("service_item")
        item = (
            ServiceItem.objects.active().filter(pk=raw).first()
            if isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw < 2**31
            else None
        )
        if item is None:
            raise serializers.ValidationError({"service_item": [_("没有这个服务事项。")]})
        started = actions.start_application(actor=citizen_user(request), item=item)
        app = get_own_application(citizen_user(request), started.application.pk)
        return Response(
            detail_data(app), status=status.HTTP_201_CREATED if started.created else status.HTTP_200_OK
        )


class ApplicationDetail(CitizenView):
    @extend_schema(
        tags=[TAG],
        summary="一份申请：各步骤内容、材料栏目和尚缺事项",
        responses={200: ApplicationDetailSerializer, **errors(401, 404, 429)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(detail_data(get_own_application(citizen_user(request), pk)))

    @extend_schema(tags=[TAG], summary="删除申请草稿", responses={204: None, **errors(400, 401, 404, 429)})
    def delete(self, request: Request, pk: int) -> Response:
        app = get_own_application(citizen_user(request), pk)
        actions.do_discard(app.pk, actor=citizen_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _step_view(code: str) -> type[CitizenView]:
    class ApplicationStep(CitizenView):
        @extend_schema(
            tags=[TAG],
            summary=STEP_SUMMARIES[code],
            operation_id=f"me_applications_step_{code}",
            request=STEP_BODIES[code],
            responses={200: ApplicationDetailSerializer, **errors(400, 401, 404, 429)},
        )
        def put(self, request: Request, pk: int) -> Response:
            user = citizen_user(request)
            app = get_own_application(user, pk)
            definition = definition_for(app.service_item)
            step = definition.step(code) if definition else None
            if step is None:
                raise ApiError(404, "no_step", _("该事项的申请没有这一步。"))
            data = step.form_data(app, _object(request))
            actions.do_save_step(app.pk, actor=user, step=code, data=data)
            return Response(detail_data(get_own_application(user, pk)))

    ApplicationStep.__name__ = ApplicationStep.__qualname__ = f"ApplicationStep{code.title()}"
    return ApplicationStep


class MaterialUpload(CitizenView):
    parser_classes = [MultiPartParser, FormParser]

    @idempotent_write(
        tags=[TAG],
        summary="上传一份申请材料（multipart/form-data）",
        request={"multipart/form-data": ApplicationUploadInSerializer},
        responses={201: ApplicationFileSerializer},
        error_codes=(400, 401, 404, 409, 429),
    )
    def post(self, request: Request, pk: int) -> Response:
        user = citizen_user(request)
        app = get_own_application(user, pk)
        slot = request.data.get("slot")
        upload = request.FILES.get("file")
        if not isinstance(slot, str) or not slot:
            raise serializers.ValidationError({"slot": [_("请选择要上传到哪一项材料。")]})
        if upload is None:
            raise serializers.ValidationError({"file": [_("请选择要上传的文件。")]})
        row = actions.do_upload_material(app.pk, actor=user, slot=slot, upload=upload)
        return Response(file_data(row), status=status.HTTP_201_CREATED)


class MaterialDelete(CitizenView):
    @extend_schema(
        tags=[TAG], summary="删除一份已上传的申请材料", responses={204: None, **errors(400, 401, 404, 429)}
    )
    def delete(self, request: Request, pk: int, file_id: int) -> Response:
        user = citizen_user(request)
        app = get_own_application(user, pk)
        actions.do_remove_material(app.pk, file_id, actor=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class Submit(CitizenView):
    @idempotent_write(
        tags=[TAG],
        summary="提交申请（重复提交返回原事项）",
        request=ApplicationSubmitInSerializer,
        responses={201: ApplicationSubmittedSerializer, 200: ApplicationSubmittedSerializer},
        error_codes=(400, 401, 404, 409, 429),
    )
    def post(self, request: Request, pk: int) -> Response:
        user = citizen_user(request)
        app = get_own_application(user, pk)
        body = _object(request)
        channel = body.get("channel") or Channel.APP
        if channel not in (Channel.APP, Channel.WECHAT):
            raise serializers.ValidationError({"channel": [_("提交渠道应为 app 或 wechat。")]})
        result = actions.do_submit_application(
            app.pk, actor=user, channel=channel, pledge=body.get("pledge") is True
        )
        app = get_own_application(user, pk)
        out = {"created": result.created, "application": detail_data(app), "matter": matter_data(app)}
        return Response(out, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


# One endpoint class per editable step (api_urls.py routes them).
STEP_VIEWS = {code: _step_view(code) for code in EDITABLE_STEPS}
