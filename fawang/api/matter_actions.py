"""The staff API's actions on a matter, made from the action registry (fawang.matters.registry): one endpoint
``POST /api/v1/matters/{id}/actions/{code}/`` per registered action, each documented with its own body schema
(made from the action's form), taking its input through the same form the console shows and calling the same
function. Every action the console offers is offered here, business lines' actions included.

The body is validated by the action's form (the same fields, choices and Chinese messages as on the matter page;
a bad field is a 400 ``invalid`` with ``fields``), then the action checks status, role and input again under its
row lock. The answer is the matter's detail after the action, with ``message``, the sentence the console shows.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from fawang.apikit.base import StaffView
from fawang.apikit.errors import ApiError
from fawang.apikit.idempotency import idempotent, idempotent_write
from fawang.matters import registry
from fawang.matters.access import ACTION_RELATED, get_matter_for_user
from fawang.matters.models import Matter
from fawang.matters.registry import ActionDef
from fawang.orgs.web import staff_user

from . import serializers as api_serializers
from .views import matter_out


def _schema_field(field: forms.Field) -> serializers.Field:
    """The JSON shape of one form field, for the documentation (the form itself validates)."""
    help_text = str(field.help_text or field.label or "")
    common: dict[str, Any] = {"required": field.required, "help_text": help_text}
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(default=False, **{**common, "required": False})
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(min_value=1), **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(min_value=1, **{**common, "help_text": help_text + "（编号）"})
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.ListField(child=serializers.CharField(max_length=200), **common)
    if isinstance(field, forms.ChoiceField):
        choices = [value for value, _label in field.choices if value != ""]  # type: ignore[misc,union-attr]
        return serializers.ChoiceField(choices=choices, **common)
    if isinstance(field, forms.CharField):
        return serializers.CharField(max_length=field.max_length, allow_blank=not field.required, **common)
    return serializers.CharField(**common)


def body_serializer(defn: ActionDef) -> type[serializers.Serializer]:
    """A serializer describing ``defn``'s body: one field per field of its form."""
    attrs: dict[str, Any] = {name: _schema_field(f) for name, f in defn.form.base_fields.items()}
    name = "".join(part.title() for part in defn.code.split("_")) + "ActionIn"
    return type(name, (serializers.Serializer,), attrs)


class ActionDoneSerializer(api_serializers.MatterDetailSerializer):
    message = serializers.CharField(help_text="操作成功后的提示，与工作台显示的相同。")

    class Meta(api_serializers.MatterDetailSerializer.Meta):
        fields = [*api_serializers.MatterDetailSerializer.Meta.fields, "message"]


def _perform(request: Request, pk: int, code: str) -> Response:
    defn = registry.get(code)
    if defn is None:
        raise ApiError(404, "not_found", _("没有这个操作。"))
    user = staff_user(request)
    matter = get_matter_for_user(
        user, pk, related=ACTION_RELATED
    )  # 404 before anything else for "missing" and "not yours"
    data = request.data if isinstance(request.data, dict) else {}
    form = registry.form_for(defn, matter, user, data, prefix=False)
    if not form.is_valid():
        raise serializers.ValidationError(
            {("non_field_errors" if k == "__all__" else k): list(v) for k, v in form.errors.items()}
        )
    message = registry.run(defn, matter, user, form)
    try:
        return Response({**matter_out(request, matter.pk), "message": message})
    except Http404:
        # Transferred or re-routed out of the user's reach: done, but the detail is no longer theirs to see.
        return Response({"id": matter.pk, "message": message + _("该事项已不在您的辖区内。")})


def _describe(defn: ActionDef) -> str:
    told = "办理结果告知服务对象（进度查询中可见）。" if defn.public else "仅工作人员可见。"
    statuses = "、".join(str(Matter.Status(api_serializers).label) for api_serializers in defn.from_statuses)
    return " ".join(part for part in (str(defn.help or ""), f"可在以下状态办理：{statuses}。", told) if part)


def _view(defn: ActionDef) -> type[StaffView]:
    class MatterAction(StaffView):
        @idempotent_write(
            tags=["工作人员"],
            summary=str(defn.label),
            description=_describe(defn),
            operation_id=f"matters_action_{defn.code}",
            request=body_serializer(defn),
            responses={200: ActionDoneSerializer},
        )
        def post(self, request: Request, pk: int) -> Response:
            return _perform(request, pk, defn.code)

    MatterAction.__name__ = MatterAction.__qualname__ = "MatterAction" + defn.code.title().replace("_", "")
    return MatterAction


class LateMatterAction(StaffView):
    """An action registered after the URLs were loaded (none in a running site; tests register some)."""

    @extend_schema(exclude=True)
    @idempotent
    def post(self, request: Request, pk: int, slug: str) -> Response:
        return _perform(request, pk, slug.replace("-", "_"))


def urlpatterns() -> list[URLPattern]:
    """One endpoint per registered action, named ``matter_<code>`` in the ``api`` namespace."""
    return [
        *(
            path(f"matters/<int:pk>/actions/{d.slug}/", _view(d).as_view(), name=f"matter_{d.code}")
            for d in registry.all_actions()
        ),
        path("matters/<int:pk>/actions/<slug:slug>/", LateMatterAction.as_view(), name="matter_action"),
    ]
