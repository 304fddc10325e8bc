"""系统设置 of a hotline centre (the setup page, console/hotline/setup/): its settings (service hours, IVR texts,
the callback clock and rule), its queues (技能组, with the IVR key and menu text the PBX reads), its telephone
systems (push token, signing secret, click-to-dial URL) and the ticket systems of the outside hotlines it hands
over to (联动). The only writers of those rows; each change leaves an audit row in the same transaction. A token
or secret is returned to be shown once and never stored in the clear (only the token's keyed hash is kept; the
secret is encrypted because the HMAC needs it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.orgs.models import Speciality, Unit
from fawang.orgs.roles import require_capability

from . import cti
from .models import CentreSettings, CtiSystem, Dialect, HotlineQueue

if TYPE_CHECKING:
    from fawang.accounts.models import User

SETTING_FIELDS = [
    "service_hours",
    "ivr_welcome",
    "ivr_after_hours",
    "callback_hours",
    "callback_max_attempts",
]
SYSTEM_FIELDS = ["name", "dial_url", "is_active"]


@transaction.atomic
def do_save_settings(*, actor: User, unit: Unit, data: dict[str, Any]) -> CentreSettings:
    """热线中心设置; only the fields given change. A call that changes nothing writes no audit row."""
    require_capability(actor, "hotline.manage", unit)
    if not 1 <= int(data.get("callback_hours", 1)) <= 72:
        raise ValidationError({"callback_hours": _("回拨时限应为 1 至 72 个工作小时。")}, code="bad_hours")
    if not 1 <= int(data.get("callback_max_attempts", 1)) <= 10:
        raise ValidationError(
            {"callback_max_attempts": _("回拨最多次数应为 1 至 10 次。")}, code="bad_attempts"
        )
    settings, _made = CentreSettings.objects.select_for_update().get_or_create(unit=unit)
    before = audit.snapshot(settings, SETTING_FIELDS)
    for name in SETTING_FIELDS:
        if name in data:
            setattr(settings, name, data[name])
    settings.save()
    diff = audit.changes(before, audit.snapshot(settings, SETTING_FIELDS))
    if diff[1]:
        audit.record("hotline.settings", actor=actor, target=settings, unit=unit, diff=diff)
    return settings


@transaction.atomic
def do_add_queue(
    *,
    actor: User,
    unit: Unit,
    name: str,
    digit: str,
    menu_text: str,
    topics: Sequence[Speciality] = (),
    dialects: Sequence[str] = (),
) -> HotlineQueue:
    """A queue (技能组) with its IVR key: the name is what the PBX posts as ``queue``; one key per active queue."""
    require_capability(actor, "hotline.manage", unit)
    name, menu_text = name.strip()[:40], menu_text.strip()[:200]
    if not name:
        raise ValidationError({"name": _("请填写队列名称。")}, code="no_name")
    if len(digit) != 1 or not digit.isdigit():
        raise ValidationError({"digit": _("IVR 按键应为 0 至 9 中的一个数字。")}, code="bad_digit")
    if set(dialects) - set(Dialect.values):
        raise ValidationError({"dialects": _("未知的方言。")}, code="bad_dialect")
    if HotlineQueue.objects.filter(unit=unit, name=name).exists():
        raise ValidationError({"name": _("本中心已有同名队列。")}, code="duplicate")
    if HotlineQueue.objects.filter(unit=unit, digit=digit, is_active=True).exists():
        raise ValidationError({"digit": _("该按键已被其他启用的队列使用。")}, code="digit_taken")
    queue = HotlineQueue.objects.create(
        unit=unit, name=name, digit=digit, menu_text=menu_text or name, dialects=sorted(set(dialects))
    )
    queue.topics.set(topics)
    audit.record(
        "hotline.add_queue",
        actor=actor,
        target=queue,
        unit=unit,
        diff=audit.created({"name": name, "digit": digit, "menu_text": queue.menu_text}),
    )
    return queue


@transaction.atomic
def do_set_queue_active(queue_id: int, *, actor: User, active: bool) -> HotlineQueue:
    queue = HotlineQueue.objects.select_for_update().select_related("unit").get(pk=queue_id)
    require_capability(actor, "hotline.manage", queue.unit)
    if queue.is_active == active:
        return queue
    if active and HotlineQueue.objects.filter(unit=queue.unit, digit=queue.digit, is_active=True).exists():
        raise ValidationError(_("该按键已被其他启用的队列使用。"), code="digit_taken")
    queue.is_active = active
    queue.save(update_fields=["is_active"])
    audit.record(
        "hotline.queue_active",
        actor=actor,
        target=queue,
        unit=queue.unit,
        diff=({"is_active": not active}, {"is_active": active}),
    )
    return queue


@transaction.atomic
def do_update_system(system_id: int, *, actor: User, data: dict[str, Any]) -> CtiSystem:
    """A system's name, click-to-dial URL and whether it is active (a stopped system's events get 401)."""
    system = CtiSystem.objects.select_for_update().select_related("unit").get(pk=system_id)
    require_capability(actor, "hotline.manage", system.unit)
    url = str(data.get("dial_url", system.dial_url) or "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise ValidationError({"dial_url": _("外呼接口地址应以 http:// 或 https:// 开头。")}, code="bad_url")
    if url and system.purpose != CtiSystem.Purpose.CTI:
        raise ValidationError({"dial_url": _("只有电话系统可以设置外呼接口。")}, code="not_cti")
    before = audit.snapshot(system, SYSTEM_FIELDS)
    system.name = (str(data.get("name", system.name)) or system.name).strip()[:60]
    system.dial_url = url
    system.is_active = bool(data.get("is_active", system.is_active))
    system.save(update_fields=SYSTEM_FIELDS)
    diff = audit.changes(before, audit.snapshot(system, SYSTEM_FIELDS))
    if diff[1]:
        audit.record("hotline.update_system", actor=actor, target=system, unit=system.unit, diff=diff)
    return system


@transaction.atomic
def do_rotate_system(system_id: int, *, actor: User, token: bool, secret: bool) -> tuple[CtiSystem, str, str]:
    """换发令牌 / 密钥: a new push token (the old URL stops working at once) and/or a new signing secret (from
    now on only signatures made with it hold). Returns (system, new token or "", new secret or ""), to be shown
    once; the audit row says what was replaced, never the values."""
    system = CtiSystem.objects.select_for_update().select_related("unit").get(pk=system_id)
    require_capability(actor, "hotline.manage", system.unit)
    if not (token or secret):
        raise ValidationError(_("请选择要更换的令牌或签名密钥。"), code="nothing")
    new_token = cti.new_token() if token else ""
    new_secret = cti.new_token() if secret else ""
    fields = []
    if new_token:
        system.token_hash = cti.token_hash(new_token)
        fields.append("token_hash")
    if new_secret:
        system.secret = new_secret
        fields.append("secret")
    system.save(update_fields=fields)
    replaced = [str(_("推送令牌")) if token else "", str(_("签名密钥")) if secret else ""]
    audit.record(
        "hotline.rotate_system",
        actor=actor,
        target=system,
        unit=system.unit,
        note=_("已更换：%(what)s") % {"what": "、".join(w for w in replaced if w)},
    )
    return system, new_token, new_secret
