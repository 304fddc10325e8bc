"""Page-number pagination. Views that list big tables (``capped_count = True``: the matters) are counted by
fawang.lib.paging.CappedPaginator: the count stops at LIST_COUNT_CAP, and then ``count`` is the cap and
``count_capped`` is true ("more than N: narrow the filters"). Short public lists use Django's Paginator."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from fawang.lib.paging import CappedPaginator


class CappedPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        capped = isinstance(queryset, QuerySet) and getattr(view, "capped_count", False)
        self.django_paginator_class = CappedPaginator if capped else Paginator
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_capped": bool(getattr(paginator, "capped", False)),
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_capped"] = {"type": "boolean", "example": False}
        out["required"] = ["count", "count_capped", "results"]
        return out
