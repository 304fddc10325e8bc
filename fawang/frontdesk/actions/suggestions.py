"""便民箱: taking a suggestion (online, anonymous allowed; or a paper slip entered by staff) and answering it.

A room's suggestions go to its town station (the room's parent 工作站), which answers within
FRONTDESK_SUGGESTION_WORKDAYS working days (10); other points answer their own. Each write leaves an audit row
in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.calendar import workdays
from fawang.lib.validators import normalize_mobile, validate_mobile
from fawang.matters import workflow
from fawang.orgs.models import Unit
from fawang.orgs.roles import require_capability

from .. import limits
from ..models import Suggestion

if TYPE_CHECKING:
    from fawang.accounts.models import User

BODY_MAX = 2000


def answer_workdays() -> int:
    return max(int(getattr(settings, "FRONTDESK_SUGGESTION_WORKDAYS", 10)), 1)


def handling_unit(point: Unit) -> Unit:
    """A 工作室's suggestions are answered by its town's 工作站; every other point answers its own."""
    if point.kind == Unit.Kind.ROOM and point.parent is not None and point.parent.kind == Unit.Kind.STATION:
        return point.parent
    return point


@transaction.atomic
def do_suggest(
    point_id: int,
    *,
    body: str,
    name: str = "",
    phone: str = "",
    may_publish: bool = False,
    actor: User | None = None,
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> Suggestion:
    """A suggestion online (``actor`` None or a member of the public) or from a paper slip (``actor`` staff of
    the point, who must hold the desk capability there). Online, the client address ``ip`` is rate-limited
    (fawang.frontdesk.limits)."""
    now = workflow.now(now)
    point = Unit.objects.select_related("parent").filter(pk=point_id).first()
    paper = actor is not None and not workflow.is_public(actor) and actor.is_authenticated
    if paper:
        if point is None:
            raise ValidationError(_("服务点不存在。"), code="no_point")
        require_capability(actor, "frontdesk.desk", point)
    if point is None or not point.is_active or point.kind not in Unit.SERVICE_POINT_KINDS:
        raise ValidationError(_("该服务点不设便民箱。"), code="not_a_point")
    if not paper:
        limits.check_suggestion(point.pk, ip, now)
    errors: dict[str, str] = {}
    body = (body or "").strip()
    if not body:
        errors["body"] = _("请填写意见或建议。")
    elif len(body) > BODY_MAX:
        errors["body"] = _("意见内容不超过 %(n)s 字。") % {"n": BODY_MAX}
    phone = normalize_mobile(phone or "")
    if phone:
        try:
            validate_mobile(phone)
        except ValidationError as e:
            errors["phone"] = e.messages[0]
    if errors:
        raise ValidationError(errors)
    suggestion = Suggestion.objects.create(
        point=point,
        unit=handling_unit(point),
        source=Suggestion.Source.PAPER if paper else Suggestion.Source.ONLINE,
        body=body,
        name=(name or "").strip()[:32],
        phone=phone,
        may_publish=may_publish,
        due_at=workdays.add_workdays(now, answer_workdays()),
        entered_by=actor if paper else None,
        created_at=now,
        ip=None if paper else ip,
    )
    audit.record(
        "frontdesk.suggest",
        actor=actor if paper else None,
        target=suggestion,
        unit=suggestion.unit_id,
        diff=audit.created({"point": point.name, "source": suggestion.source, "may_publish": may_publish}),
        now=now,
    )
    return suggestion


@transaction.atomic
def do_answer_suggestion(
    suggestion_id: int, *, actor: User, answer: str, now: dt.datetime | None = None
) -> Suggestion:
    """答复: by staff of the handling unit; shown on the point's page if the author agreed."""
    now = workflow.now(now)
    suggestion = workflow.lock(
        Suggestion.objects.select_related("unit", "point"), suggestion_id, _("意见不存在。"), "no_suggestion"
    )
    require_capability(actor, "frontdesk.desk", suggestion.unit)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("请填写答复内容。")})
    if len(answer) > BODY_MAX:
        raise ValidationError({"answer": _("答复不超过 %(n)s 字。") % {"n": BODY_MAX}})
    if suggestion.status == Suggestion.Status.ANSWERED:
        raise ValidationError(_("该意见已答复。"), code="answered")
    suggestion.answer = answer
    suggestion.status = Suggestion.Status.ANSWERED
    suggestion.answered_by = actor
    suggestion.answered_at = now
    suggestion.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    audit.record(
        "frontdesk.answer_suggestion",
        actor=actor,
        target=suggestion,
        unit=suggestion.unit_id,
        diff=({"status": Suggestion.Status.OPEN}, {"status": Suggestion.Status.ANSWERED}),
        now=now,
    )
    if suggestion.phone:
        # The box promises a reply to whoever left a number: the answer by SMS, once.
        from fawang.notify.actions import enqueue

        enqueue(
            channel="sms",
            kind="suggestion.answered",
            body=_("您对%(point)s的意见已由%(unit)s答复：%(answer)s")
            % {"point": suggestion.point.name, "unit": suggestion.unit.name, "answer": answer[:300]},
            phone=suggestion.phone,
            related=suggestion,
            region_code=suggestion.point.region_id,
            dedupe_key=f"suggestion:{suggestion.pk}:answered:sms",
        )
    return suggestion
