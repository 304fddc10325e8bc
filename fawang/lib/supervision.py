"""What business lines contribute to supervision (``fawang.insights``) from their AppConfig.ready(): their own warnings
and their indicators on the KPI board (考核).

Warnings that business lines raise themselves and register (from their AppConfig.ready()), so that the supervision
app (``fawang.insights``, which sits above the lines) takes them into its early-warning loop — 签收、交办、处置、办结
with a time limit — without the line importing it or it importing the line's views.

A source is declared, not coded: which model holds the warnings, which of its rows are still open, where each row's
region and raising time are, its text, and the console page (URL name taking the row's pk) where the line follows it
up. The supervision app reads the rows through ``apps.get_model`` and never writes them: lowering a line's own
warning stays the line's action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class WarningSource:
    key: str  # stable name, stored on the supervision warning: "mediation.risk"
    label: str | Promise  # what a supervisor calls it: _("矛盾纠纷预警")
    model: str  # "app_label.ModelName"
    open_filter: tuple[tuple[str, Any], ...]  # the lookups of a row still open: (("status", "open"),)
    region_field: str  # the row's region code (a field holding a regions.Region code): "region_id"
    raised_field: str  # when it was raised: "raised_at"
    text_field: str  # what it says: "summary"
    url_name: str  # the line's own page of the row: "mediation:warning"


_REGISTERED: dict[str, WarningSource] = {}


def register_warnings(source: WarningSource) -> None:
    _REGISTERED[source.key] = source


def warning_sources() -> list[WarningSource]:
    return list(_REGISTERED.values())


def warning_source(key: str) -> WarningSource | None:
    return _REGISTERED.get(key)


# ----------------------------------------------------------------------------------------------- KPI indicators


@dataclass(frozen=True)
class IndicatorSource:
    """A line's indicator on the KPI board (考核), counted as part ÷ whole of the line's own rows: ``rows(start, end)``
    gives the rows that count for the period [start, end] (not yet scoped to a region), ``part`` those of them that
    meet it, ``region_field`` the row's region code (a field holding a regions.Region code; the board scopes the rows
    to a region and groups them by the places under it through it). The supervision app only counts the rows."""

    key: str  # stable name: "corrections_lost"
    label: str | Promise  # the indicator's name on the board: _("社区矫正对象脱管率")
    target: float  # 0.95; for a ceiling (``lower_is_better``) the most allowed
    rows: Callable[[dt.date, dt.date], QuerySet[Any]]
    part: Q
    region_field: str  # "office__region_id"
    lower_is_better: bool = False
    percent: bool = True


_INDICATORS: dict[str, IndicatorSource] = {}


def register_indicator(source: IndicatorSource) -> None:
    _INDICATORS[source.key] = source


def indicator_sources() -> list[IndicatorSource]:
    return list(_INDICATORS.values())
