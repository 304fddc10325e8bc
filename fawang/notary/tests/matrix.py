"""The notary line's URLs in the role matrix (merged by fawang/console/tests/test_role_matrix.py).

A 公证 request is worked where its matter is handled (``matters.handle`` over the matter's unit): the objects are
notary matters made at the unit of each position. The pre-review body marks the ID document missing (302 where the
persona may handle it); booking needs a complete pre-review, so its object is a matter whose materials were found
complete."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from fawang.catalog.models import ServiceItem
from fawang.console.tests.test_role_matrix import Row
from fawang.matters.models import Matter

_seq = itertools.count(8200)
TOMORROW = (timezone.localdate() + dt.timedelta(days=2)).isoformat()

ROWS = {
    "notary:prereview": Row(
        "notary_matter", "matters.handle", "post", 302, (("review-other", "户口簿"), ("review-note", "矩阵"))
    ),
    "notary:book": Row(
        "notary_complete", "matters.handle", "post", 302, (("book-date", TOMORROW), ("book-time", "09:30"))
    ),
}


def make(case: Any, kind: str, unit: Any) -> Any:
    from fawang.notary.models import NotaryRequest

    if kind not in ("notary_matter", "notary_complete"):
        return None
    matter = case.matter_at(unit, next(_seq))
    Matter.objects.filter(pk=matter.pk).update(service_item=ServiceItem.objects.get(code="notary"))
    NotaryRequest.objects.create(
        matter_id=matter.pk,
        notary_type="power",
        reviewed_at=timezone.now() if kind == "notary_complete" else None,
    )
    return Matter.objects.get(pk=matter.pk)
