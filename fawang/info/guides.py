"""办事指南 generated from the catalogue: one guide per active service item, and the index by business line.

Nothing here is written by hand: the guide is the service item's own data (时限, 材料, 渠道, 依据), so an
admin's edit of the catalogue is what the public reads at once (服务承诺制、限时办结制, 厦司〔2019〕43号 第（十七）项).
The FAQ and guide entries shown with an item are knowledge entries the console linked to it, published ones only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fawang.calendar.workdays import TimeUnit
from fawang.catalog.models import BusinessLine, Channel, ServiceItem, Step
from fawang.knowledge.models import KnowledgeEntry
from fawang.orgs.models import Unit
from fawang.regions.models import Region

# Online channels: where a person can start the request from this site, the app or WeChat.
ONLINE_CHANNELS = (Channel.WEB, Channel.APP, Channel.WECHAT)

# 在线申请/预约: the page where the public start an item online, by service item code (URL names). The online
# consultation exists (me:ask); the engineer building the /me/ online applications adds the others here, and
# every guide page and the API's apply_url follow.
APPLY_URL_NAMES: dict[str, str] = {
    "consultation": "me:ask",
}

STEP_HINTS = {
    Step.ACCEPT: _("自收到申请起，作出是否受理的决定"),
    Step.ASSIGN: _("决定受理后，指派承办人员"),
    Step.COMPLETE: _("自受理（或指派）起办结"),
}


@dataclass(frozen=True)
class TimedStep:
    step: str
    label: str
    hint: str
    amount: int
    unit: str
    unit_label: str
    basis: str

    @property
    def display(self) -> str:
        return f"{self.amount} {self.unit_label}"


@dataclass
class Guide:
    item: ServiceItem
    steps: list[TimedStep]
    unit_kind_label: str
    unit_level_label: str
    channel_labels: list[str]
    online: bool
    apply_url: str | None
    entries: list[KnowledgeEntry] = field(default_factory=list)
    # 地方依据: (region name, document) — each local document with the region it applies in.
    local_bases: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Line:
    code: str
    label: str
    items: list[ServiceItem]


def guide_items() -> QuerySet[ServiceItem]:
    """Every active service item has a public guide."""
    return ServiceItem.objects.active().order_by("order", "code")


def apply_url(item: ServiceItem) -> str | None:
    """The page where this item is applied for online, or None (then the guide names the other channels):
    the online application of fawang/applications for every item it has a form for on the web channel."""
    from fawang.applications.definitions import apply_url as online_application_url

    name = APPLY_URL_NAMES.get(item.code)
    return reverse(name) if name else online_application_url(item)


def timed_steps(item: ServiceItem) -> list[TimedStep]:
    out = []
    for step in Step:
        limit = item.limit(step)
        if limit is None:
            continue
        amount, unit = limit
        out.append(
            TimedStep(
                step=step.value,
                label=str(step.label),
                hint=str(STEP_HINTS[step]),
                amount=amount,
                unit=unit,
                unit_label=str(TimeUnit(unit).label) if unit in TimeUnit.values else unit,
                basis=getattr(item, f"{step}_basis"),
            )
        )
    return out


def published_entries() -> Prefetch:
    return Prefetch(
        "knowledge_entries",
        queryset=KnowledgeEntry.objects.published().order_by("kind", "-published_at", "-pk"),
        to_attr="published_entries",
    )


def build(item: ServiceItem) -> Guide:
    """The guide of one item, from its prefetched materials and published entries (no further query)."""
    return Guide(
        item=item,
        steps=timed_steps(item),
        unit_kind_label=str(Unit.Kind(item.unit_kind).label) if item.unit_kind in Unit.Kind.values else "",
        unit_level_label=str(Region.Level(item.unit_level).label)
        if item.unit_level in Region.Level.values
        else "",
        channel_labels=item.channel_labels,
        online=any(item.offers(c) for c in ONLINE_CHANNELS),
        apply_url=apply_url(item),
        entries=list(getattr(item, "published_entries", [])),
    )


def get_guide(code: str) -> Guide:
    """The same 404 for an unknown code and an inactive item."""
    item = get_object_or_404(
        guide_items().prefetch_related("materials", published_entries()),
        code=code,
    )
    guide = build(item)
    guide.local_bases = local_bases(item)
    return guide


def local_bases(item: ServiceItem) -> list[tuple[str, str]]:
    """The item's local documents, each named with the region it applies in (two queries)."""
    rows = list(item.regional_bases.order_by("region_code", "order", "pk"))
    names = dict(
        Region.objects.filter(code__in={r.region_code for r in rows}).values_list("code", "full_name")
    )
    return [(names.get(r.region_code) or r.region_code, r.text) for r in rows]


def lines() -> list[Line]:
    """The guides grouped by business line, in the catalogue's order of lines (one query)."""
    by_line: dict[str, list[ServiceItem]] = {}
    for item in guide_items():
        by_line.setdefault(item.business_line, []).append(item)
    return [Line(code, str(label), by_line[code]) for code, label in BusinessLine.choices if code in by_line]
