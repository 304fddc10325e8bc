"""What "我的事项" and "我的咨询" list, shared by the pages at /me/ and the API at /api/v1/me/: the person's own
matters filtered by kind and status, the thread state of each consultation, and the unread answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from fawang.accounts.public import CONSULTATIONS
from fawang.catalog.models import BusinessLine
from fawang.matters.models import Matter
from fawang.notify.actions import mark_read_about
from fawang.notify.models import Message

if TYPE_CHECKING:
    from fawang.accounts.models import User


MATTERS = "matters"
KINDS = {CONSULTATIONS: _("我的咨询"), MATTERS: _("我的办事")}

# Status filters: the groups a person thinks in, then every single status.
STATUS_GROUPS = {
    "open": (_("办理中"), Matter.OPEN_STATUSES),
    "done": (_("已办结"), Matter.DONE_STATUSES),
    "ended": (_("已结束（不予受理、撤回、合并）"), Matter.ENDED_STATUSES),
}
STATUS_CHOICES = [(code, label) for code, (label, _statuses) in STATUS_GROUPS.items()] + list(
    Matter.Status.choices
)

# Messages that carry an answer to the person: a visible comment by staff, and the result when completed.
ANSWER_KINDS = ("matter.answered", "matter.completed")


def own_matters(user: User, *, kind: str = "", status: str = "") -> QuerySet[Matter]:
    """The person's own matters (``Matter.objects.of_public_user``), newest first."""
    qs = Matter.objects.of_public_user(user)
    if kind == CONSULTATIONS:
        qs = qs.filter(service_item__business_line=BusinessLine.CONSULTATION)
    elif kind == MATTERS:
        qs = qs.exclude(service_item__business_line=BusinessLine.CONSULTATION)
    if status in STATUS_GROUPS:
        qs = qs.filter(status__in=STATUS_GROUPS[status][1])
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-pk")


def unread_answers(user: User, matter_ids: Iterable[int]) -> dict[int, int]:
    """Unread answer messages in the person's inbox per matter: one grouped query."""
    ids = [str(pk) for pk in matter_ids]
    if not ids:
        return {}
    rows = (
        Message.objects.inbox_of(user)
        .filter(
            kind__in=ANSWER_KINDS,
            read_at__isnull=True,
            related_type=ContentType.objects.get_for_model(Matter),
            related_id__in=ids,
        )
        .values("related_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {int(row["related_id"]): row["n"] for row in rows}


def read_answers(user: User, matter: Matter) -> int:
    """The person opened the matter: its answers are read."""
    return mark_read_about(matter, actor=user, kinds=ANSWER_KINDS)
