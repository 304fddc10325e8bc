"""A business line the seam has never heard of, for the registry tests: its AppConfig.ready() registers one
action (登记走访) with its own form, capability and moves, without any edit of fawang.matters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fawang.matters import actions, registry
from fawang.matters.forms import ActionForm
from fawang.matters.models import Matter


class VisitForm(ActionForm):
    place = forms.CharField(
        label=_("走访地点"), max_length=100, error_messages={"required": _("请填写走访地点。")}
    )


def record_visit(matter: Matter, user: Any, form: ActionForm) -> str:
    actions.do_comment(matter.pk, actor=user, text=f"上门走访：{form.cleaned_data['place']}")
    return "已登记走访。"


VISIT = registry.ActionDef(
    "record_visit",
    _("登记走访"),
    ("matters.handle",),
    VisitForm,
    record_visit,
    public=False,
    moves={Matter.Status.ACCEPTED: frozenset(), Matter.Status.IN_PROGRESS: frozenset()},
)


class LineConfig(AppConfig):
    name = "fawang.api.tests.lineapp"
    label = "seam_test_line"

    def ready(self) -> None:
        registry.register(VISIT, before="comment")
