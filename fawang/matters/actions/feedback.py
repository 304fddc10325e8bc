"""好差评, callbacks (回访), rectifications (整改), and the scheduled rating invitations and callback sampling."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fawang.calendar.workdays import add_workdays
from fawang.orgs.models import Membership

from .. import conf, notices
from ..models import (
    Callback,
    Evaluation,
    Matter,
    MatterEvent,
    Rectification,
)
from ..routing import supervising_unit
from .base import _event, _lock, _now, _require, _required_text, _staff, check_transition, close_locked

if TYPE_CHECKING:
    from fawang.accounts.models import User


def _open_callback(matter: Matter, reason: str, now: dt.datetime) -> Callback:
    unit = supervising_unit(matter.unit) or matter.unit
    callback = Callback.objects.create(
        matter=matter,
        reason=reason,
        unit=unit,
        due_at=add_workdays(now, conf.callback_limit_workdays()),
        created_at=now,
    )
    event = _event(
        matter,
        MatterEvent.Action.CALLBACK,
        actor=None,
        now=now,
        note=_("已生成%(reason)s任务，由%(unit)s负责。")
        % {"reason": Callback.Reason(reason).label, "unit": unit.name},
        payload={"callback": callback.pk, "opened": True},
    )
    users = notices.unit_staff(
        unit.pk, roles=[Membership.Role.SUPERVISOR, Membership.Role.HOTLINE_AGENT]
    ) or notices.unit_staff(unit.pk)
    notices.to_staff(
        users,
        matter,
        "matter.callback",
        _("请在 %(due)s 前完成%(reason)s：%(ref)s。")
        % {
            "due": notices._when(callback.due_at),
            "reason": callback.get_reason_display(),
            "ref": notices.staff_ref(matter),
        },
        key=f"matter:{matter.pk}:callback:{event.pk}",
    )
    return callback


@transaction.atomic
def do_rate(
    matter_id: int, *, actor: User | None, level: int, comment: str = "", now: dt.datetime | None = None
) -> Evaluation:
    """好差评 by the person (online, or recorded by staff from a call or a window rating device). A good rating
    closes the matter; 不满意 or 非常不满意 opens a callback (回访) by the supervising bureau and a
    rectification (整改) by the handling unit, each with its own time limit."""
    now = _now(now)
    if level not in Evaluation.Level.values:
        raise ValidationError(_("请选择评价等级。"), code="bad_level")
    matter = _lock(matter_id)
    _require(actor, ("matters.intake", "matters.callback"), matter, person_matter=matter)
    if actor is not None and matter.handler_id == actor.pk:
        raise PermissionDenied(_("承办人不能代为评价本人办理的事项。"))
    check_transition(matter, None, _("评价"), action="rate")
    if Evaluation.objects.filter(matter=matter).exists():
        raise ValidationError(_("该事项已经评价过，每个事项只能评价一次。"), code="already_rated")
    evaluation = Evaluation.objects.create(
        matter=matter,
        person=matter.person,
        level=level,
        comment=comment.strip(),
        recorded_by=_staff(actor),
        created_at=now,
    )
    _event(
        matter,
        MatterEvent.Action.RATE,
        actor=actor,
        now=now,
        note=comment.strip(),
        visible=True,
        payload={"level": level, "level_label": str(Evaluation.Level(level).label)},
    )
    if evaluation.is_bad:
        _open_callback(matter, Callback.Reason.BAD_RATING, now)
        rectification = Rectification.objects.create(
            matter=matter,
            evaluation=evaluation,
            unit=matter.unit,
            reason=_("服务对象评价为“%(level)s”：%(comment)s")
            % {"level": Evaluation.Level(level).label, "comment": comment.strip() or _("（未填写意见）")},
            due_at=add_workdays(now, conf.rectification_limit_workdays()),
            created_at=now,
        )
        event = _event(
            matter,
            MatterEvent.Action.RECTIFY,
            actor=None,
            now=now,
            note=_("已生成整改任务，请于 %(due)s 前完成。") % {"due": notices._when(rectification.due_at)},
            payload={"rectification": rectification.pk, "opened": True},
        )
        notices.to_staff(
            notices.unit_staff(
                matter.unit_id,
                roles=[Membership.Role.UNIT_ADMIN, Membership.Role.SUPERVISOR, Membership.Role.HANDLER],
            ),
            matter,
            "matter.rectification",
            _("%(ref)s收到差评，请于 %(due)s 前完成整改。")
            % {"ref": notices.staff_ref(matter), "due": notices._when(rectification.due_at)},
            key=f"matter:{matter.pk}:rectification:{event.pk}",
        )
    elif matter.status == Matter.Status.COMPLETED:
        close_locked(matter, actor=None, now=now, note=_("服务对象已评价，事项关闭。"))
    return evaluation


@transaction.atomic
def do_complete_callback(
    callback_id: int,
    *,
    actor: User | None,
    outcome: str,
    satisfied: bool | None = None,
    now: dt.datetime | None = None,
) -> Callback:
    """Record a callback's outcome. After a bad rating, the matter closes when no callback is left open."""
    now = _now(now)
    outcome = _required_text(outcome, _("请填写回访情况。"), "no_outcome")
    try:
        callback = Callback.objects.select_for_update(of=("self",)).select_related("unit").get(pk=callback_id)
    except Callback.DoesNotExist:
        raise ValidationError(_("回访任务不存在。"), code="no_callback") from None
    _require(actor, "matters.callback", callback.unit)
    if callback.done_at is not None:
        raise ValidationError(_("该回访任务已经完成。"), code="callback_done")
    callback.outcome = outcome
    callback.satisfied = satisfied
    callback.done_at = now
    callback.done_by = _staff(actor)
    callback.save()
    matter = _lock(callback.matter_id)
    _event(
        matter,
        MatterEvent.Action.CALLBACK,
        actor=actor,
        now=now,
        note=outcome,
        payload={"callback": callback.pk, "satisfied": satisfied, "done": True},
    )
    if (
        matter.status == Matter.Status.COMPLETED
        and not Callback.objects.open().filter(matter=matter).exists()
    ):
        close_locked(matter, actor=actor, now=now, note=_("回访已完成，事项关闭。"))
    return callback


@transaction.atomic
def do_complete_rectification(
    rectification_id: int, *, actor: User | None, measures: str, now: dt.datetime | None = None
) -> Rectification:
    now = _now(now)
    measures = _required_text(measures, _("请填写整改措施。"), "no_measures")
    try:
        item = (
            Rectification.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=rectification_id)
        )
    except Rectification.DoesNotExist:
        raise ValidationError(_("整改任务不存在。"), code="no_rectification") from None
    _require(actor, "matters.rectify", item.unit)
    if item.done_at is not None:
        raise ValidationError(_("该整改任务已经完成。"), code="rectification_done")
    item.measures = measures
    item.done_at = now
    item.done_by = _staff(actor)
    item.save()
    matter = Matter.objects.select_related("unit").get(pk=item.matter_id)
    _event(
        matter,
        MatterEvent.Action.RECTIFY,
        actor=actor,
        now=now,
        note=measures,
        payload={"rectification": item.pk, "done": True},
    )
    return item


def _rating_candidates(now: dt.datetime) -> list[int]:
    before = now - dt.timedelta(days=conf.rating_invite_days())
    return list(
        Matter.objects.filter(
            status=Matter.Status.COMPLETED,
            completed_at__lte=before,
            rating_invited_at__isnull=True,
            evaluation__isnull=True,
        )
        .order_by("completed_at")
        .values_list("pk", flat=True)[:500]
    )


def invite_ratings(now: dt.datetime | None = None) -> int:
    """Scheduled: invite the person to rate each matter completed ``MATTERS_RATING_INVITE_DAYS`` ago and
    still unrated. Claims each row with a conditional UPDATE, so concurrent runs invite once."""
    now = _now(now)
    invited = 0
    for pk in _rating_candidates(now):
        with transaction.atomic():
            if not Matter.objects.filter(
                pk=pk, rating_invited_at__isnull=True, status=Matter.Status.COMPLETED
            ).update(rating_invited_at=now):
                continue
            matter = Matter.objects.select_related("service_item", "unit", "person").get(pk=pk)
            event = _event(matter, MatterEvent.Action.INVITE_RATING, actor=None, now=now)
            notices.to_person(matter, "matter.rate_invite", event)
            invited += 1
    return invited


def sampled_for_callback(tracking_no: str, share: float) -> bool:
    """Whether a matter falls in the callback sample: a keyed hash of its tracking number, so the choice is
    uniform, reproducible and not predictable by staff who might prefer to pick the easy ones."""
    if share <= 0:
        return False
    if share >= 1:
        return True
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"callback-sample:{tracking_no}".encode(), hashlib.sha256
    ).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def sample_callbacks(now: dt.datetime | None = None) -> int:
    """Scheduled: each completed matter takes part in the callback sample once; a sampled one without an open
    callback gets one (抽样回访). Returns how many callbacks were opened."""
    now = _now(now)
    share = conf.callback_sample_share()
    opened = 0
    candidates = list(
        Matter.objects.filter(status__in=Matter.DONE_STATUSES, sampled_at__isnull=True)
        .order_by("completed_at")
        .values_list("pk", "tracking_no")[:500]
    )
    for pk, tracking_no in candidates:
        with transaction.atomic():
            if not Matter.objects.filter(pk=pk, sampled_at__isnull=True).update(sampled_at=now):
                continue
            if not sampled_for_callback(tracking_no, share):
                continue
            matter = Matter.objects.select_related("service_item", "unit", "person").get(pk=pk)
            if Callback.objects.open().filter(matter=matter).exists():
                continue
            _open_callback(matter, Callback.Reason.SAMPLE, now)
            opened += 1
    return opened
