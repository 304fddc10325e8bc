"""Raising early warnings (风险预警) from the figures: hotspots (``hotspots``), and drops in time limits kept and in
satisfaction — per district/county (each region with a 司法局 at county level), told to the region's supervisors in
their console inbox. Raising is idempotent: a warning still open for the same kind, region and topic is not raised
again, and the same period's warning is unique (a constraint)."""

from __future__ import annotations

import datetime as dt
import math

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.accounts.models import User
from fawang.audit import actions as audit
from fawang.lib import supervision
from fawang.notify.actions import enqueue
from fawang.orgs.models import Membership, Unit
from fawang.regions.models import Region

from . import figures, hotspots, plans
from .models import Warning

# A warning must be dealt with (closed) within this many days.
HANDLING_DAYS = 7
# Time limits kept or satisfaction: the last 30 days against the 90 before, flagged when the rate fell by at least
# DROP (absolute) and a two-proportion z-test gives p < ALPHA (one-sided).
RECENT_DAYS, BEFORE_DAYS = 30, 90
DROP = 0.05
ALPHA = 0.001
MIN_CASES = 30


def regions_watched() -> list[str]:
    """The districts and counties with a 司法局 on the platform."""
    return sorted(
        set(
            Unit.objects.filter(
                kind=Unit.Kind.BUREAU, is_active=True, region__level=Region.Level.COUNTY
            ).values_list("region_id", flat=True)
        )
    )


def supervisors_of(region: str) -> list[User]:
    """The supervisors whose 司法局 covers ``region`` (its own, the city's, the province's)."""
    prefixes = [region[:n] for n in (2, 4, 6) if n <= len(region)]
    ids = (
        Membership.objects.active()
        .filter(role=Membership.Role.SUPERVISOR, unit__kind=Unit.Kind.BUREAU, unit__region_id__in=prefixes)
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _tell(warning: Warning) -> None:
    body = _("%(region)s：%(title)s。请在“热点与预警”中签收处置。") % {
        "region": warning.region.full_name,
        "title": warning.title,
    }
    for user in supervisors_of(warning.region_id):
        enqueue(
            channel="inapp",
            kind="insights.warning",
            subject=_("风险预警"),
            body=body,
            user=user,
            related=warning,
            dedupe_key=f"insights:warning:{warning.pk}:user{user.pk}",
        )


def _raise(
    kind: str,
    region: str,
    topic: int | None,
    period: figures.Period,
    title: str,
    observed: float,
    expected: float,
    p_value: float | None,
    explanation: dict[str, object],
    now: dt.datetime,
) -> Warning | None:
    still_open = Warning.objects.filter(
        kind=kind, region_id=region, topic_id=topic, status__in=Warning.OPEN_STATUSES
    ).exists()
    if still_open:
        return None
    try:
        with transaction.atomic():
            warning = Warning.objects.create(
                kind=kind,
                region_id=region,
                topic_id=topic,
                period_start=period.start,
                period_end=period.end,
                title=title[:120],
                observed=observed,
                expected=expected,
                p_value=p_value,
                explanation=explanation,
                due_at=now + dt.timedelta(days=HANDLING_DAYS),
                created_at=now,
            )
            audit.record(
                "insights.raise_warning", actor=None, target=warning, region=region, note=title[:200]
            )
            _tell(warning)
    except IntegrityError:
        return None  # raised for this period already (and since closed)
    return warning


def _drop_p(recent_part: int, recent_all: int, before_part: int, before_all: int) -> float:
    """One-sided p of a two-proportion z-test that the recent rate is lower."""
    p1, p0 = recent_part / recent_all, before_part / before_all
    pooled = (recent_part + before_part) / (recent_all + before_all)
    se = math.sqrt(pooled * (1 - pooled) * (1 / recent_all + 1 / before_all))
    if se == 0:
        return 1.0
    z = (p1 - p0) / se
    return 0.5 * math.erfc(-z / math.sqrt(2))


def _sums(region: str, period: figures.Period) -> dict[str, int]:
    got = figures.facts(region, period).aggregate(
        completed=Sum("completed"), on_time=Sum("on_time"), rated=Sum("rated"), good=Sum("good")
    )
    return {k: int(v or 0) for k, v in got.items()}


def rate_drops(region: str, as_of: dt.date) -> list[tuple[str, str, float, float, float]]:
    """(kind, title, recent rate, earlier rate, p) for time limits kept and satisfaction, where they dropped."""
    recent = figures.Period.last(RECENT_DAYS, as_of)
    before = figures.Period(
        recent.start - dt.timedelta(days=BEFORE_DAYS), recent.start - dt.timedelta(days=1)
    )
    r, b = _sums(region, recent), _sums(region, before)
    out = []
    for kind, part, whole, label in (
        (Warning.Kind.TIME_LIMIT, "on_time", "completed", _("按时办结率")),
        (Warning.Kind.SATISFACTION, "good", "rated", _("满意率")),
    ):
        if r[whole] < MIN_CASES or b[whole] < MIN_CASES:
            continue
        now_rate, then_rate = r[part] / r[whole], b[part] / b[whole]
        p = _drop_p(r[part], r[whole], b[part], b[whole])
        if then_rate - now_rate >= DROP and p < ALPHA:
            title = _("%(what)s由 %(then).1f%% 降至 %(now).1f%%") % {
                "what": label,
                "then": then_rate * 100,
                "now": now_rate * 100,
            }
            out.append((str(kind), title, now_rate, then_rate, p))
    return out


RAISE_EVERY = dt.timedelta(hours=1)


def raise_due(now: dt.datetime | None = None) -> list[Warning]:
    """The scheduler's call: ``raise_warnings`` at most once an hour (the figures change by the day), claimed by a
    conditional UPDATE so that two workers do not both run it."""
    from .models import RollupState

    now = now or timezone.now()
    state, _created = RollupState.objects.get_or_create(name="warnings")
    last = state.refreshed_at
    if last is not None and now - last < RAISE_EVERY:
        return []
    if not RollupState.objects.filter(pk=state.pk, refreshed_at=last).update(refreshed_at=now):
        return []
    return raise_warnings(now=now)


# Rows of one line's warnings taken in per pass (the rest on the next pass).
LINE_BATCH = 500


def take_in_line_warnings(now: dt.datetime | None = None) -> list[Warning]:
    """The warnings the lines raised themselves (``fawang.lib.supervision``: 人民调解的矛盾纠纷预警 …), still open there
    and not yet taken in, become warnings of this loop — told to the region's supervisors, with the same time limit
    to close. Runs on every scheduler pass (one query per line when there is nothing new); a row is taken in once
    (a constraint on source and row), and the line's row is never written here."""
    now = now or timezone.now()
    taken: list[Warning] = []
    for source in supervision.warning_sources():
        model = apps.get_model(source.model)
        seen = Warning.objects.filter(source=source.key).values("source_pk")
        rows = (
            model._default_manager.filter(**dict(source.open_filter))
            .exclude(pk__in=seen)
            .order_by(source.raised_field, "pk")[:LINE_BATCH]
        )
        for row in rows:
            w = _take_in(source, row, now)
            if w:
                taken.append(w)
    return taken


def _take_in(source: supervision.WarningSource, row: object, now: dt.datetime) -> Warning | None:
    raised_at: dt.datetime = getattr(row, source.raised_field)
    day = timezone.localdate(raised_at)
    text = str(getattr(row, source.text_field) or "")
    title = _("%(label)s：%(what)s") % {"label": source.label, "what": row}
    try:
        with transaction.atomic():
            warning = Warning.objects.create(
                kind=Warning.Kind.LINE,
                source=source.key,
                source_pk=row.pk,  # type: ignore[attr-defined]
                region_id=getattr(row, source.region_field),
                period_start=day,
                period_end=day,
                title=title[:120],
                observed=0,
                expected=0,
                explanation={"summary": text[:1000], "raised_at": raised_at.isoformat()},
                due_at=now + dt.timedelta(days=HANDLING_DAYS),
                created_at=now,
            )
            audit.record(
                "insights.raise_warning",
                actor=None,
                target=warning,
                region=warning.region_id,
                note=title[:200],
            )
            _tell(warning)
    except IntegrityError:
        return None  # another pass took it in first
    return warning


def line_row(warning: Warning) -> tuple[supervision.WarningSource, object] | None:
    """The line's own row behind a warning taken in (None when the line or the row has gone)."""
    source = supervision.warning_source(warning.source) if warning.source else None
    if source is None or warning.source_pk is None:
        return None
    row = apps.get_model(source.model)._default_manager.filter(pk=warning.source_pk).first()
    return (source, row) if row is not None else None


def line_still_open(source: supervision.WarningSource, row: object) -> bool:
    return all(getattr(row, field) == value for field, value in source.open_filter)


def raise_warnings(as_of: dt.date | None = None, now: dt.datetime | None = None) -> list[Warning]:
    """Test every watched region and raise what the figures call for; take in the lines' own warnings."""
    now = now or timezone.now()
    as_of = as_of or timezone.localdate(now)
    raised: list[Warning] = take_in_line_warnings(now)
    window = figures.Period.last(hotspots.WINDOW_DAYS, as_of)
    for region in regions_watched():
        for hot in hotspots.find(region, as_of):
            title = _("%(place)s%(topic)s类事项异常增多：%(n)d 件，预期 %(e).1f 件") % {
                "place": hot.region_name.split("省", 1)[-1],
                "topic": hot.topic_name,
                "n": hot.observed,
                "e": hot.expected,
            }
            w = _raise(
                Warning.Kind.HOTSPOT,
                hot.region,
                hot.topic_id,
                window,
                title,
                hot.observed,
                hot.expected,
                hot.p_value,
                hot.as_json(),
                now,
            )
            if w:
                raised.append(w)
        recent = figures.Period.last(RECENT_DAYS, as_of)
        for kind, title, now_rate, then_rate, p in rate_drops(region, as_of):
            w = _raise(kind, region, None, recent, title, now_rate, then_rate, p, {}, now)
            if w:
                raised.append(w)
    raised += raise_plan_overdue(as_of, now)
    return raised


def raise_plan_overdue(as_of: dt.date, now: dt.datetime) -> list[Warning]:
    """工作计划任务逾期: one warning per plan region with open tasks past their deadline, naming them (raised
    again only once the last one is closed)."""
    raised = []
    for region, tasks in plans.overdue_tasks(as_of).items():
        title = _("工作计划有 %(n)d 项任务逾期未完成") % {"n": len(tasks)}
        period = figures.Period(min(t.due_on for t in tasks), as_of)
        explanation: dict[str, object] = {"tasks": [plans.describe(t) for t in tasks[:20]]}
        w = _raise(Warning.Kind.PLAN, region, None, period, title, len(tasks), 0, None, explanation, now)
        if w:
            raised.append(w)
    return raised
