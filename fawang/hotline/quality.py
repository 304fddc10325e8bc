"""质检: quality review of calls. Supervisors sample calls (at random and by rule: long calls, calls that produced
a complaint, calls rated 不满意), score each against the centre's checklist with the recording at hand; the agent
sees the score and may appeal once; a supervisor decides the appeal (keeps or changes the score)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.catalog.models import BusinessLine
from fawang.lib.periods import day_bounds
from fawang.orgs.models import Unit
from fawang.orgs.roles import has_capability, require_capability

from .models import Call, QualityItem, QualityReview

if TYPE_CHECKING:
    from fawang.accounts.models import User

# A call this long (talk seconds) is sampled by rule.
LONG_CALL_SECONDS = 900
# The checklist a centre starts with; its admin adds items (do_add_item).
DEFAULT_ITEMS = [("开场用语规范", 20), ("法律解答准确", 40), ("服务态度", 25), ("结束语与小结", 15)]


def items_of(unit: Unit) -> list[QualityItem]:
    items = list(QualityItem.objects.filter(unit=unit, is_active=True))
    if not items:
        for order, (name, score) in enumerate(DEFAULT_ITEMS):
            QualityItem.objects.create(unit=unit, name=name, max_score=score, order=order)
        items = list(QualityItem.objects.filter(unit=unit, is_active=True))
    return items


@transaction.atomic
def do_add_item(*, actor: User, unit: Unit, name: str, max_score: int) -> QualityItem:
    require_capability(actor, "hotline.manage", unit)
    name = (name or "").strip()[:40]
    if not name or not 1 <= max_score <= 100:
        raise ValidationError(_("请填写质检项名称和 1 至 100 的满分。"), code="bad_item")
    items_of(unit)
    order = QualityItem.objects.filter(unit=unit).count()
    item = QualityItem.objects.create(unit=unit, name=name, max_score=max_score, order=order)
    audit.record(
        "hotline.quality_item", actor=actor, target=item, unit=unit, diff=audit.created({"name": name})
    )
    return item


@transaction.atomic
def do_sample(
    *, actor: User, start: dt.date, end: dt.date, random_count: int, seed: str | None = None
) -> list[QualityReview]:
    """抽检 the answered calls in [start, end] of the centres where the actor supervises: every long call, every
    call rated 不满意 and every call that produced a complaint, plus ``random_count`` more at random."""
    require_capability(actor, "hotline.supervise")
    since, until = day_bounds(start, end)
    calls = Call.objects.visible_to(actor).filter(
        answered_at__isnull=False, rang_at__gte=since, rang_at__lt=until, review__isnull=True
    )
    units = {u.pk: u for u in Unit.objects.filter(pk__in=calls.values("unit_id"))}
    allowed = [pk for pk, unit in units.items() if has_capability(actor, "hotline.supervise", unit)]
    calls = calls.filter(unit_id__in=allowed)
    chosen: dict[int, str] = {}
    for pk in calls.filter(satisfaction=3).values_list("pk", flat=True):
        chosen.setdefault(pk, QualityReview.Reason.BAD_RATING)
    complaint = calls.filter(matters__service_item__business_line=BusinessLine.COMPLAINT)
    for pk in complaint.values_list("pk", flat=True):
        chosen.setdefault(pk, QualityReview.Reason.COMPLAINT)
    for pk in calls.filter(talk_seconds__gte=LONG_CALL_SECONDS).values_list("pk", flat=True):
        chosen.setdefault(pk, QualityReview.Reason.LONG)
    rest = sorted(set(calls.values_list("pk", flat=True)) - set(chosen))
    rng = random.Random(seed)
    for pk in rng.sample(rest, min(max(0, random_count), len(rest))):
        chosen[pk] = QualityReview.Reason.RANDOM
    now = timezone.now()
    facts = {
        pk: (unit_id, agent_id)
        for pk, unit_id, agent_id in Call.objects.filter(pk__in=chosen).values_list(
            "pk", "unit_id", "agent_id"
        )
    }
    reviews = [
        QualityReview.objects.create(
            call_id=pk, unit_id=facts[pk][0], agent_id=facts[pk][1], reason=reason, sampled_at=now
        )
        for pk, reason in sorted(chosen.items())
    ]
    for review in reviews:
        audit.record(
            "hotline.quality_sample",
            actor=actor,
            target=review,
            unit=review.unit_id,
            note=str(QualityReview.Reason(review.reason).label),
        )
    return reviews


def _lock(review_id: int) -> QualityReview:
    return QualityReview.objects.select_for_update().select_related("unit", "call").get(pk=review_id)


@transaction.atomic
def do_score(review_id: int, *, actor: User, scores: dict[int, int], comment: str = "") -> QualityReview:
    """评分 against the checklist; a score may be changed until the agent appeals, and once when deciding it."""
    review = _lock(review_id)
    require_capability(actor, "hotline.supervise", review.unit)
    if review.status == QualityReview.Status.FINAL:
        raise ValidationError(_("该质检已定分。"), code="final")
    if review.status == QualityReview.Status.APPEALED:
        raise ValidationError(_("坐席员已申诉，请先处理申诉。"), code="appealed")
    items = items_of(review.unit)
    clean: dict[str, int] = {}
    for item in items:
        value = scores.get(item.pk)
        if value is None or not 0 <= value <= item.max_score:
            raise ValidationError(
                _("“%(item)s”的得分应在 0 至 %(max)s 之间。") % {"item": item.name, "max": item.max_score},
                code="bad_score",
            )
        clean[item.name] = value
    before = audit.snapshot(review, ["total", "status"])
    review.scores = clean
    review.total = sum(clean.values())
    review.max_total = sum(i.max_score for i in items)
    review.comment = (comment or "").strip()[:2000]
    review.reviewer = actor
    review.scored_at = timezone.now()
    review.status = QualityReview.Status.SCORED
    review.save()
    audit.record(
        "hotline.quality_score",
        actor=actor,
        target=review,
        unit=review.unit,
        diff=audit.changes(before, audit.snapshot(review, ["total", "status"])),
    )
    return review


@transaction.atomic
def do_appeal(review_id: int, *, actor: User, reason: str) -> QualityReview:
    """申诉: the agent whose call it is, once, after scoring."""
    review = _lock(review_id)
    if review.agent_id != actor.pk:
        raise PermissionDenied(_("只能对本人的质检结果申诉。"))
    if review.appealed_at is not None:
        raise ValidationError(_("每次质检只能申诉一次。"), code="appealed_once")
    if review.status != QualityReview.Status.SCORED:
        raise ValidationError(_("评分后才能申诉。"), code="not_scored")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写申诉理由。"), code="no_reason")
    review.appeal = reason[:2000]
    review.appealed_at = timezone.now()
    review.status = QualityReview.Status.APPEALED
    review.save(update_fields=["appeal", "appealed_at", "status"])
    audit.record("hotline.quality_appeal", actor=actor, target=review, unit=review.unit, note=review.appeal)
    return review


@transaction.atomic
def do_decide_appeal(
    review_id: int, *, actor: User, note: str, scores: dict[int, int] | None = None
) -> QualityReview:
    """The appeal decided: the score kept (no ``scores``) or changed; either way final."""
    review = _lock(review_id)
    require_capability(actor, "hotline.supervise", review.unit)
    if review.status != QualityReview.Status.APPEALED:
        raise ValidationError(_("该质检没有待处理的申诉。"), code="no_appeal")
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("请填写申诉处理意见。"), code="no_note")
    before = audit.snapshot(review, ["total", "status"])
    if scores:
        review.status = QualityReview.Status.SCORED
        review.save(update_fields=["status"])
        review = do_score(review.pk, actor=actor, scores=scores, comment=review.comment)
    review.appeal_note = note[:2000]
    review.decided_at = timezone.now()
    review.status = QualityReview.Status.FINAL
    review.save(update_fields=["appeal_note", "decided_at", "status"])
    audit.record(
        "hotline.quality_decide",
        actor=actor,
        target=review,
        unit=review.unit,
        diff=audit.changes(before, audit.snapshot(review, ["total", "status"])),
        note=review.appeal_note,
    )
    return review
