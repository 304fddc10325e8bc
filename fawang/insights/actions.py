"""The writers of the supervision app: the loop of a warning (签收 → 交办 → 处置情况 → 办结). Each locks the warning,
checks who acts and where (``access``), changes it and writes an audit row in the same transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.accounts.models import User
from fawang.audit import actions as audit
from fawang.orgs import authority
from fawang.orgs.models import Unit

from .models import Warning

FIELDS = ["status", "assigned_unit", "assigned_to", "action_taken", "acknowledged_at", "closed_at"]
MAX_NOTE = 2000


def _lock(warning_id: int, actor: User) -> Warning:
    warning = Warning.objects.select_for_update().select_related("region").get(pk=warning_id)
    if not authority.has_capability_in_region(actor, "insights.handle_warning", warning.region_id):
        raise PermissionDenied(_("您的岗位无权处置该预警。"))
    return warning


def _require_open(warning: Warning) -> None:
    if not warning.is_open:
        raise ValidationError(_("该预警已办结，不能再处置。"), code="closed")


def _text(value: str, required: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(required, code="required")
    if len(value) > MAX_NOTE:
        raise ValidationError(_("内容不能超过 %(n)d 字。") % {"n": MAX_NOTE}, code="too_long")
    return value


def _record(code: str, warning: Warning, actor: User, before: dict[str, object], note: str = "") -> None:
    audit.record(
        code,
        actor=actor,
        target=warning,
        region=warning.region_id,
        diff=audit.changes(before, audit.snapshot(warning, FIELDS)),
        note=note,
    )


@transaction.atomic
def do_acknowledge(warning_id: int, *, actor: User) -> Warning:
    """签收: the supervisor has seen the warning and takes it on."""
    warning = _lock(warning_id, actor)
    _require_open(warning)
    if warning.status != Warning.Status.OPEN:
        raise ValidationError(_("该预警已签收。"), code="acknowledged")
    before = audit.snapshot(warning, FIELDS)
    warning.status = Warning.Status.ACKNOWLEDGED
    warning.acknowledged_at = timezone.now()
    warning.save(update_fields=["status", "acknowledged_at"])
    _record("insights.acknowledge_warning", warning, actor, before)
    return warning


@transaction.atomic
def do_assign(warning_id: int, *, actor: User, unit: Unit, note: str = "") -> Warning:
    """交办: to a unit the supervisor reaches (a 司法所, a centre ...), with what it is to do."""
    warning = _lock(warning_id, actor)
    _require_open(warning)
    if not authority.reaches(actor, unit):
        raise ValidationError(_("只能交办给您辖区内的单位。"), code="unit_not_reached")
    before = audit.snapshot(warning, FIELDS)
    if warning.acknowledged_at is None:
        warning.acknowledged_at = timezone.now()
    warning.status = Warning.Status.ASSIGNED
    warning.assigned_unit = unit
    warning.save(update_fields=["status", "assigned_unit", "acknowledged_at"])
    _record("insights.assign_warning", warning, actor, before, note=(note or "").strip()[:500])
    return warning


@transaction.atomic
def do_note(warning_id: int, *, actor: User, text: str) -> Warning:
    """处置情况: what was done, added to the warning's record."""
    warning = _lock(warning_id, actor)
    _require_open(warning)
    text = _text(text, _("请填写处置情况。"))
    before = audit.snapshot(warning, FIELDS)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    line = f"{stamp} {actor.display_name or actor.username}：{text}"
    warning.action_taken = f"{warning.action_taken}\n{line}".strip()
    warning.save(update_fields=["action_taken"])
    _record("insights.note_warning", warning, actor, before, note=text[:500])
    return warning


@transaction.atomic
def do_close(warning_id: int, *, actor: User, text: str) -> Warning:
    """办结: closed with the outcome (required, so that a closed warning says what was done)."""
    warning = _lock(warning_id, actor)
    _require_open(warning)
    text = _text(text, _("请填写办结情况。"))
    before = audit.snapshot(warning, FIELDS)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    closed = _("办结")
    warning.action_taken = f"{warning.action_taken}\n{stamp} {closed}：{text}".strip()
    warning.status = Warning.Status.CLOSED
    warning.closed_at = timezone.now()
    warning.save(update_fields=["status", "action_taken", "closed_at"])
    _record("insights.close_warning", warning, actor, before, note=text[:500])
    return warning
