"""便民箱: taking a suggestion (online, anonymous allowed; or a paper slip entered by staff) and answering it.

A room's suggestions go to its town station (the room's parent 工作站), which answers within
FRONTDESK_SUGGESTION_WORKDAYS working days (10); other points answer their own. One still open past that limit is
reminded once to the handling unit's desk staff (``remind_overdue``, run by the scheduler). Each write leaves an
audit row in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.calendar import workdays
from fawang.lib.validators import normalize_mobile, validate_mobile
from fawang.matters import workflow
from fawang.orgs.models import Membership, Unit
from fawang.orgs.roles import CAPABILITIES, require_capability

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


# --- the reminder of overdue suggestions --------------------------------------------------------------------

# Who answers the box at a unit: its desk staff (the system administrator holds the capability everywhere and is
# nobody's responsible person). With none there (an unstaffed station), the unit above it: its desk staff and
# supervisors (the 司法所 or 司法局 the station reports to).
REMIND_ROLES = CAPABILITIES["frontdesk.desk"] - {Membership.Role.SYSTEM_ADMIN}
ESCALATE_ROLES = REMIND_ROLES | {Membership.Role.SUPERVISOR}
REMIND_BATCH = 500  # per pass; the rest wait for the next pass


def responsible_staff(unit: Unit) -> list[User]:
    """The active staff told of an overdue suggestion handled by ``unit`` (see REMIND_ROLES)."""
    from fawang.accounts.models import User

    for target, roles in ((unit.pk, REMIND_ROLES), (unit.parent_id, ESCALATE_ROLES)):
        if target is None:
            continue
        members = Membership.objects.active().filter(unit_id=target, role__in=roles).values("user_id")
        users = list(User.objects.filter(pk__in=members, is_active=True).order_by("pk")[:20])
        if users:
            return users
    return []


def remind_overdue(now: dt.datetime | None = None) -> list[int]:
    """Remind the handling unit's staff (in-app, through the outbox) of each suggestion still open past its
    limit, once. Each row is claimed with a conditional UPDATE of ``reminded_at`` in its own transaction, with its
    audit row and messages: two workers running at once never both remind it, and one answered meanwhile is not
    reminded. The messages' dedupe keys name the suggestion, so even a replayed claim sends nothing twice."""
    from fawang.notify.actions import enqueue

    now = workflow.now(now)
    due = list(
        Suggestion.objects.filter(status=Suggestion.Status.OPEN, reminded_at__isnull=True, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:REMIND_BATCH]
    )
    reminded = []
    for pk in due:
        with transaction.atomic():
            claimed = Suggestion.objects.filter(
                pk=pk, status=Suggestion.Status.OPEN, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed != 1:
                continue
            suggestion = Suggestion.objects.select_related("point", "unit").get(pk=pk)
            staff = responsible_staff(suggestion.unit)
            audit.record(
                "frontdesk.remind_suggestion",
                actor=None,
                target=suggestion,
                unit=suggestion.unit_id,
                diff=({"reminded_at": None}, {"reminded_at": now.isoformat()}),
                note=_("已提醒 %(n)s 名工作人员") % {"n": len(staff)},
                now=now,
            )
            body = _(
                "便民箱意见超期未答复：%(point)s %(date)s 收到的意见，答复期限 %(due)s 已过，请尽快答复。"
            ) % {
                "point": suggestion.point.name,
                "date": f"{timezone.localtime(suggestion.created_at):%Y-%m-%d}",
                "due": f"{timezone.localtime(suggestion.due_at):%Y-%m-%d}",
            }
            for user in staff:
                enqueue(
                    channel="inapp",
                    kind="suggestion.overdue",
                    body=body,
                    user=user,
                    related=suggestion,
                    region_code=suggestion.point.region_id,
                    dedupe_key=f"suggestion:{pk}:overdue:user{user.pk}",
                )
        reminded.append(pk)
    return reminded
