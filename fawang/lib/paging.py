"""Pagination for lists that may match hundreds of thousands of rows.

Counting every matching row is what makes a big list slow (PostgreSQL has no cheap COUNT(*)): a
supervisor's city-wide list matches 700,000 matters, and counting them took 300 ms where the page itself
took 2 ms. ``CappedPaginator`` counts at most ``cap`` rows; beyond that the list says "more than N" and
asks the user to narrow the filters, as search engines do.

The count also tells how to fetch the page. A small result (``capped`` is false) is best read through the
filters' own indexes and sorted in memory; a large one through an index in the list's order. PostgreSQL
cannot know which from its estimates alone, and guessing wrong walks the order index past a million rows
to find 50 matches. ``small_set_ordering`` gives an ordering with the same meaning that no index can serve,
for the small case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F, OrderBy, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

DEFAULT_CAP = 2000
# Stands in for NULL so that COALESCE keeps NULLS LAST (ascending) or NULLS FIRST (descending) order.
_FAR_FUTURE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap`` (then ``capped`` is true and the last page is ``cap``'s)."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, cap: int | None = None, **kwargs: Any):
        super().__init__(object_list, per_page, **kwargs)
        self.queryset = object_list
        # Never below one page, or the first page would be cut short.
        self.cap = max(
            cap if cap is not None else getattr(settings, "LIST_COUNT_CAP", DEFAULT_CAP), int(per_page)
        )

    @cached_property
    def _counted(self) -> int:
        # One query, which stops after cap + 1 rows.
        return self.queryset.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """True when more rows match than were counted."""
        return self._counted > self.cap

    def page(self, number: Any) -> Any:
        if not self.capped:
            self.object_list = self.queryset.order_by(*small_set_ordering(self.queryset))
        return super().page(number)


def small_set_ordering(qs: QuerySet[Any]) -> list[Any]:
    """The queryset's ordering with its first key wrapped in COALESCE: the same order, but not one an index
    can produce, so the database reads the (few) matching rows through the filters' indexes and sorts them."""
    ordering = list(qs.query.order_by)
    if not ordering:
        return ordering
    first = ordering[0]
    if isinstance(first, str):
        descending = first.startswith("-")
        expr = OrderBy(F(first.lstrip("-")), descending=descending)
    elif isinstance(first, OrderBy):
        expr = first
    else:
        return ordering
    field = expr.expression
    name = getattr(field, "name", None)
    if name is None:
        return ordering
    model_field = qs.model._meta.get_field(name.replace("pk", qs.model._meta.pk.name))
    if model_field.get_internal_type() != "DateTimeField":
        return ordering
    # NULLS LAST when ascending (PostgreSQL's default, and what the workbench asks for): NULL sorts as
    # the far future. Descending lists here order by non-null columns.
    wrapped = Coalesce(F(name), Value(_FAR_FUTURE))
    return [wrapped.desc() if expr.descending else wrapped.asc(), *ordering[1:]]
