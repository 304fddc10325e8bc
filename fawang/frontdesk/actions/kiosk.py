"""The self-service terminal's writers: a matter's look-up by ID card number and tracking number, the QR link
(扫码上传) that lets the person upload materials for it from their own phone, and that upload.

Nothing personal is typed twice or kept on the terminal: the look-up answers once, in the response to its form; the
link is bound to the matter, not to the terminal's session. Each write leaves an audit row in the same transaction;
the upload itself goes through the matters' own actions (supply, or attach), which write the matter's events.

Settings (read at call time):
FRONTDESK_KIOSK_LOOKUPS_PER_HOUR      look-ups that found nothing, from one address at one point, in an hour (10)
FRONTDESK_KIOSK_LOOKUPS_PER_HOUR_ALL  look-ups that found nothing from one address in all, in an hour (30)
FRONTDESK_HANDOFF_MINUTES             how long a QR upload link lives (10)
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.lib.sendlimits import RateLimited, check_send_limits
from fawang.lib.validators import validate_id_number
from fawang.matters import tracking, workflow
from fawang.matters.models import Matter, Person
from fawang.orgs.models import Unit

from ..models import KioskLookup, UploadHandoff

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

# A matter takes materials from the phone while it waits for them (补正) or is still being handled.
UPLOAD_STATUSES = (Matter.Status.AWAITING_MATERIALS, *Matter.RUNNING_STATUSES)


def _setting(name: str, default: int) -> int:
    return max(int(getattr(settings, name, default)), 1)


def handoff_minutes() -> int:
    return _setting("FRONTDESK_HANDOFF_MINUTES", 10)


def _point(unit_id: int) -> Unit:
    unit = Unit.objects.service_points().active().filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError(_("该服务点不设自助终端。"), code="not_a_point")
    return unit


def _check_lookups(unit_id: int, ip: str | None, now: dt.datetime) -> None:
    """Only failed look-ups count: a busy terminal finds matters all day, a script guessing numbers does not."""
    if not ip:
        return
    try:
        check_send_limits(
            KioskLookup.objects.filter(matter__isnull=True),
            Q(unit_id=unit_id, ip=ip),
            ip,
            now,
            interval=dt.timedelta(0),
            per_key=_setting("FRONTDESK_KIOSK_LOOKUPS_PER_HOUR", 10),
            per_ip=_setting("FRONTDESK_KIOSK_LOOKUPS_PER_HOUR_ALL", 30),
        )
    except RateLimited:
        raise RateLimited(
            _("本终端查询未果次数过多，请一小时后再试，或到窗口咨询工作人员。"), code="too_many"
        ) from None


@transaction.atomic
def do_kiosk_lookup(
    unit_id: int, *, id_number: str, tracking_no: str, ip: str | None = None, now: dt.datetime | None = None
) -> Matter | None:
    """The matter with ``tracking_no`` whose person holds ``id_number``, or None: one answer for "no such number"
    and "not this person's". Every look-up is logged (KioskLookup and an audit row), found or not; malformed input
    is refused before anything is written."""
    now = workflow.now(now)
    unit = _point(unit_id)
    _check_lookups(unit.pk, ip, now)
    errors: dict[str, str] = {}
    id_number = Person.normalize_id_number(id_number or "")
    if not id_number:
        errors["id_number"] = _("请输入身份证号码。")
    else:
        try:
            validate_id_number(id_number)
        except ValidationError as error:
            errors["id_number"] = error.messages[0]
    number = tracking.normalize(tracking_no or "")
    if not number:
        errors["tracking_no"] = _("请输入受理编号。")
    elif not tracking.is_valid(number):
        errors["tracking_no"] = _("受理编号格式不正确，请核对回执上的编号。")
    if errors:
        raise ValidationError(errors)
    matter = (
        Matter.objects.select_related("service_item", "unit")
        .filter(tracking_no=number, person__id_number_hash=Person.hash_id_number(id_number))
        .first()
    )
    lookup = KioskLookup.objects.create(unit=unit, matter=matter, ip=ip, created_at=now)
    audit.record(
        "frontdesk.kiosk_lookup",
        actor=None,
        target=lookup,
        unit=unit.pk,
        diff=audit.created({"found": matter is not None}),
        note=tracking.display(number),
        ip=ip,
        now=now,
    )
    return matter


@transaction.atomic
def do_open_handoff(
    matter_id: int, *, unit_id: int, ip: str | None = None, now: dt.datetime | None = None
) -> UploadHandoff:
    """The QR link for uploading to ``matter_id`` from the person's phone, made at the terminal of ``unit_id``
    right after the person proved the matter theirs (do_kiosk_lookup)."""
    now = workflow.now(now)
    unit = _point(unit_id)
    matter = Matter.objects.filter(pk=matter_id).first()
    if matter is None or matter.status not in UPLOAD_STATUSES:
        raise ValidationError(_("该事项当前不需要提交材料。"), code="no_upload")
    handoff = UploadHandoff.objects.create(
        token=secrets.token_urlsafe(32),
        matter=matter,
        unit=unit,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=handoff_minutes()),
    )
    audit.record(
        "frontdesk.open_handoff",
        actor=None,
        target=handoff,
        unit=unit.pk,
        diff=audit.created({"matter": matter.tracking_no, "expires_at": handoff.expires_at}),
        ip=ip,
        now=now,
    )
    return handoff


def live_handoff(token: str, now: dt.datetime | None = None) -> UploadHandoff | None:
    """The link ``token`` while it can still take an upload (not used, not expired), else None."""
    now = workflow.now(now)
    return (
        UploadHandoff.objects.select_related("matter__service_item", "unit")
        .filter(token=token, used_at__isnull=True, expires_at__gt=now)
        .first()
    )


@transaction.atomic
def do_handoff_upload(
    token: str, *, uploads: Sequence[UploadedFile], note: str = "", now: dt.datetime | None = None
) -> UploadHandoff:
    """The phone's upload: the matter's own actions store the files (checked by type and size, all or none) and
    write its events; the link is spent in the same transaction, so a second upload by it is refused."""
    now = workflow.now(now)
    handoff = UploadHandoff.objects.select_for_update().filter(token=token).first()
    if handoff is None or handoff.used_at is not None or handoff.expires_at <= now:
        raise ValidationError(
            _("二维码已失效（每个二维码只能上传一次，%(n)s 分钟内有效），请在终端上重新查询生成。")
            % {"n": handoff_minutes()},
            code="handoff_spent",
        )
    if not uploads:
        raise ValidationError(_("请选择要上传的材料文件。"), code="no_files")
    from fawang.matters.actions import add_attachment
    from fawang.matters.actions.public_tracking import do_supply_materials_online
    from fawang.matters.uploads import check_uploads

    matter = Matter.objects.get(pk=handoff.matter_id)
    if matter.status == Matter.Status.AWAITING_MATERIALS:
        do_supply_materials_online(matter.pk, actor=None, uploads=uploads, note=note, now=now)
    elif matter.status in Matter.RUNNING_STATUSES:
        check_uploads(uploads)  # every file before the first is stored, as the supply action does
        for upload in uploads:
            add_attachment(matter.pk, actor=None, upload=upload)
    else:
        raise ValidationError(_("该事项当前不需要提交材料。"), code="no_upload")
    handoff.used_at = now
    handoff.files = len(uploads)
    handoff.save(update_fields=["used_at", "files"])
    audit.record(
        "frontdesk.handoff_upload",
        actor=None,
        target=handoff,
        unit=handoff.unit_id,
        diff=({"files": 0}, {"files": handoff.files}),
        now=now,
    )
    return handoff
