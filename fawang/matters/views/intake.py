"""受理登记 at a window or on the hotline (一窗办多事) and the receipt of what was just taken in."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fawang.accounts.models import User
from fawang.catalog import cache as catalog_cache
from fawang.lib.errors import put_errors as _put_errors
from fawang.orgs.models import Membership, Unit
from fawang.orgs.roles import has_capability
from fawang.orgs.web import current_membership, staff_required, staff_user

from .. import actions, lines, tracking
from ..forms import (
    IntakeForm,
    RequestFormSet,
)
from ..listing import (
    decorate_rows,
)
from ..models import (
    Matter,
)
from ..routing import NoRoute
from .common import (
    _messages_of,
    _quiet,
    _receipt_pdf_url,
)


def _default_channel(membership: Membership | None) -> str:
    role = membership.role if membership else ""
    presets: dict[str, str] = {
        Membership.Role.HOTLINE_AGENT: "hotline",
        Membership.Role.LEGAL_ADVISOR: "visit",
    }
    return presets.get(role, "window")


def _intake_root(unit: Unit) -> str:
    """The picker starts at the intake unit's city: a window takes requests about anywhere in its city."""
    code = unit.region_id
    return code[:4] if len(code) >= 4 else code


def _intake_key(user: User, key: str) -> str:
    # Namespaced by user, so a key typed into the hidden field can never fetch someone else's submission.
    return f"intake:{user.pk}:{key}"


KEY_RE = re.compile(r"^[0-9a-f]{32}$")


@never_cache
@staff_required
def intake(request: HttpRequest) -> HttpResponse:
    """受理登记 at a window or on the hotline: one person, one or more requests (一窗办多事)."""
    user = staff_user(request)
    membership = current_membership(request)
    unit = membership.unit if membership else None
    if unit is None or not has_capability(user, "matters.intake", unit):
        raise PermissionDenied(_("当前机构不能受理事项，请切换到您受理事项的窗口或热线所在机构。"))
    root = _intake_root(unit)
    if request.method != "POST":
        form = IntakeForm(
            initial={
                "idempotency_key": uuid.uuid4().hex,
                "channel": _default_channel(membership),
                "region": unit.region_id if len(unit.region_id) >= 6 else None,
            },
            region_root=root,
        )
        formset = RequestFormSet(prefix="req", user=user)  # type: ignore[call-arg]
        _attach_item_forms(formset, None)
        return _render_intake(request, form, formset, unit)

    posted = request.POST
    # "add_row" (再加一项) and "refresh_item" (a service item chosen: show its own fields) only re-render.
    adding = "add_row" in posted or "refresh_item" in posted
    removing = posted.get("remove_row", "")
    # A copy only where rows are counted or moved anew: a submission is read as posted.
    data: QueryDict = posted.copy() if adding or removing else posted
    total_key = "req-TOTAL_FORMS"
    total = int(data.get(total_key) or 1) if str(data.get(total_key) or "1").isdigit() else 1
    if adding:
        data[total_key] = str(min(total + 1, 10))
    form = IntakeForm(data, region_root=root)
    formset = RequestFormSet(data, prefix="req", user=user)  # type: ignore[call-arg]
    if removing.isdigit() and total > 1:
        _drop_row(data, int(removing), total)
        form = IntakeForm(data, region_root=root)
        formset = RequestFormSet(data, prefix="req", user=user)  # type: ignore[call-arg]
        adding = True
    # A row's service item asks fields of its own that were not on the page yet: show them, do not submit.
    new_fields = _attach_item_forms(formset, data)
    if adding or new_fields or form.cascading:
        _quiet(form, *formset.forms, *[f.item_form for f in formset.forms if f.item_form is not None])
        formset._errors = []  # type: ignore[attr-defined]
        formset._non_form_errors = formset.error_class()  # type: ignore[attr-defined]
        notice = _("所选服务事项需要填写补充信息，请填写后再提交。") if new_fields and not adding else ""
        return _render_intake(request, form, formset, unit, notice=notice)
    item_forms_valid = all(f.item_form.is_valid() for f in formset.forms if f.item_form is not None)
    if not (form.is_valid() and formset.is_valid() and item_forms_valid):
        return _render_intake(request, form, formset, unit, status=400)
    d = form.cleaned_data
    key = d["idempotency_key"]
    if not KEY_RE.match(key):
        form.add_error(None, _("表单已失效，请刷新页面后重新填写。"))
        return _render_intake(request, form, formset, unit, status=400)
    requests = [
        replace(
            f.matter_request(d["region"]),
            answer=f.cleaned_data.get("answer", ""),
            item_data=None if f.item_form is None else {bf.name: bf.data for bf in f.item_form},
        )
        for f in formset.forms
    ]
    try:
        actions.do_submit(
            actor=user,
            person=form.person(),
            requests=requests,
            channel=d["channel"],
            intake_unit=unit,
            idempotency_key=_intake_key(user, key),
        )
    except ValidationError as exc:
        _put_errors(form, exc)
    except (NoRoute, PermissionDenied) as exc:
        form.add_error(None, _messages_of(exc))
    else:
        return redirect(reverse("matters:intake_receipt") + f"?key={key}")
    return _render_intake(request, form, formset, unit, status=400)


def _attach_item_forms(formset: Any, data: Any) -> bool:
    """Give each request row ``item_form``: the extra fields its chosen service item's line asks
    (lines.item_form), bound to ``data`` when the page showed them for that item. True when some row's item asks
    fields that were not on the page (the item was just chosen): the page is shown again with them."""
    missing = False
    refresh = lines.any_item_data()  # no line asks fields of its own: choosing an item re-renders nothing
    for i, row in enumerate(formset.forms):
        prefix = f"req-{i}-item"
        picked = str(data.get(f"req-{i}-service_item") or "") if data is not None else ""
        # Only when some line asks fields of its own: otherwise no row has an item form. The item comes from the
        # process's copy of the catalogue, which the row's own field also reads (fawang/catalog/cache.py): no
        # query per row on every intake POST (bench/bench_matters.py).
        item = catalog_cache.service_item(picked) if refresh and picked.isdigit() else None
        shown = data is not None and data.get(f"{prefix}-for") == (item.code if item else None)
        row.item_form = lines.item_form(item.code, data if shown else None, prefix=prefix) if item else None
        row.item_code = item.code if item else ""
        if row.item_form is not None and not shown:
            missing = True
    return missing


def _drop_row(data: Any, index: int, total: int) -> None:
    """Remove request row ``index`` from POSTed formset data, moving the rows after it up."""
    fields = ("service_item", "topic", "description", "unit", "unit_reason", "answer")
    for i in range(index, total - 1):
        for name in fields:
            data[f"req-{i}-{name}"] = data.get(f"req-{i + 1}-{name}", "")
    for name in fields:
        data.pop(f"req-{total - 1}-{name}", None)
    # The rows' own item fields (req-N-item-...) move up with them.
    for i in range(index, total):
        for key in [k for k in data if k.startswith(f"req-{i}-item-")]:
            data.pop(key)
        if i + 1 < total:
            for key in [k for k in data if k.startswith(f"req-{i + 1}-item-")]:
                data.setlist(f"req-{i}-item-" + key[len(f"req-{i + 1}-item-") :], data.getlist(key))
    data["req-TOTAL_FORMS"] = str(total - 1)


def _refresh_on_item_change(formset: Any) -> None:
    """When some line asks fields of its own, choosing a row's service item asks the page again for that row's
    item box (htmx). Set when the page is shown, not on every POST: a submission that goes through shows none."""
    if not lines.any_item_data():
        return
    url = reverse("matters:intake")
    for i, row in enumerate(formset.forms):
        row.fields["service_item"].widget.attrs.update(
            {
                "hx-post": url,
                "hx-trigger": "change",
                "hx-vals": '{"refresh_item": "1"}',
                # Only the row's item box is swapped: the rest of the form keeps what the clerk typed while the
                # answer was on its way.
                "hx-select": f"#request-{i}-item",
                "hx-target": f"#request-{i}-item",
                "hx-swap": "outerHTML",
            }
        )


def _render_intake(
    request: HttpRequest, form: IntakeForm, formset: Any, unit: Unit, *, status: int = 200, notice: str = ""
) -> HttpResponse:
    _refresh_on_item_change(formset)
    return render(
        request,
        "matters/intake.html",
        {"form": form, "formset": formset, "unit": unit, "max_rows": 10, "notice": notice},
        status=status,
    )


@never_cache
@staff_required
def intake_receipt(request: HttpRequest) -> HttpResponse:
    """What was just taken in (``?key=`` of the intake form): each matter's tracking number and where it was
    routed; without a key, everything this user took in today.

    Scoped to matters this user took in (first_responder) rather than by visible_to: a window may take in a
    request about another district, which it then cannot see, but the person in front of it still needs the
    numbers. The key is namespaced by user (_intake_key)."""
    user = staff_user(request)
    key = request.GET.get("key", "")
    qs = Matter.objects.filter(first_responder=user)
    if key:
        if not KEY_RE.match(key):
            raise Http404
        full = _intake_key(user, key)
        qs = qs.filter(Q(idempotency_key=full) | Q(idempotency_key__startswith=full + "#"))
    else:
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        qs = qs.filter(submitted_at__gte=today)
    matters = decorate_rows(
        qs.select_related("service_item", "unit", "person", "region").order_by("-submitted_at", "-pk")[:100],
        timezone.now(),
    )
    if key and not matters:
        raise Http404
    rows = (
        [
            (row, _receipt_pdf_url(row.matter), tracking.display(row.matter.tracking_no))
            for row in reversed(matters)
        ]
        if key
        else [
            (row, _receipt_pdf_url(row.matter), tracking.display(row.matter.tracking_no)) for row in matters
        ]
    )
    return render(
        request,
        "matters/intake_receipt.html",
        {
            "rows": rows,
            "single": bool(key),
            "person_masked_name": matters[0].person_masked if key else "",
        },
    )
