"""Sections that business lines add to a service point's public page (e.g. a village room's page, which the
room's 公示牌 QR code opens), so the page's owner shows another line's part without importing it.

A line registers a Section from its AppConfig.ready(): a template and a function giving its context for the
point (or None when the section has nothing to show there). The page's view calls ``sections(request, unit)``
and includes each ``(template, context)`` pair; the template sees the page's context plus its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    code: str
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]  # (request, unit) -> context, None: not shown


_REGISTERED: dict[str, Section] = {}


def register(section: Section) -> Section:
    _REGISTERED[section.code] = section
    return section


def sections(request: Any, unit: Any) -> list[tuple[str, dict[str, Any]]]:
    """The registered sections that have something to show for ``unit``, in registration order."""
    shown = []
    for section in _REGISTERED.values():
        context = section.context(request, unit)
        if context is not None:
            shown.append((section.template, context))
    return shown


# --- the advisor on a village room's 公示牌 -------------------------------------------------------------------


@dataclass(frozen=True)
class AdvisorCard:
    """What a room's 公示牌 prints about its legal advisor, given by the line that keeps the advisors' schedules
    and consents (fawang.advisors), so the board's owner (fawang.frontdesk) prints them without importing it.

    ``schedule``: the service days as lines (每周三 09:00–11:30 …), from the schedule, not free text;
    ``photo``: a data URI of the photo, only if the advisor consented to it being shown, else "";
    ``phone``: the advisor's own number, only if they opted in to it being posted, else ""."""

    name: str
    kind: str
    firm: str
    schedule: list[str]
    photo: str = ""
    phone: str = ""


_ADVISOR_CARD: list[Callable[[Any], AdvisorCard | None]] = []


def register_advisor_card(provider: Callable[[Any], AdvisorCard | None]) -> None:
    """One provider: ``provider(room)`` gives the room's current advisor's card, or None without one."""
    _ADVISOR_CARD[:] = [provider]


def advisor_card(room: Any) -> AdvisorCard | None:
    return _ADVISOR_CARD[0](room) if _ADVISOR_CARD else None
