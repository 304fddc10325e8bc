"""The business-line seam: what a line (legal aid, consultation, mediation ...) adds to its matters without
editing ``matters`` — its own words in the messages the person gets, and its notes on the printed notices.
Its actions are registered in ``matters.registry``.

A line registers a ``Line`` from its AppConfig.ready(): ``applies(matter)`` says which matters are its own (by
service item or business line); ``person_text(kind, matter, event, ref)`` may give the message for a kind of
event on them (None: the shared text); ``notice_notes(template, matter)`` the lines of law or advice it adds to a
printed notice (``pdf.RECEIPT``, ``pdf.RESULT``, ``pdf.MATERIALS``); ``panel`` its card on the staff matter page
(a template and the function that makes its context for the user; an empty context shows nothing);
``answer_accepts`` the note of the acceptance (a gettext_noop text) when a visible answer by staff to a submitted matter takes it in
(consultation: 咨询答复即受理; empty: answering does not accept).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Matter, MatterEvent

PersonText = Callable[[str, "Matter", "MatterEvent | None", str], "str | None"]
NoticeNotes = Callable[[str, "Matter"], "list[str]"]


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[Any, Matter], dict[str, Any]]  # (the staff user, the matter) -> the template's context


@dataclass(frozen=True)
class Line:
    code: str
    applies: Callable[[Matter], bool]
    person_text: PersonText | None = None
    notice_notes: NoticeNotes | None = None
    panel: Panel | None = None
    answer_accepts: str = ""


_LINES: dict[str, Line] = {}


def register(line: Line) -> Line:
    known = _LINES.get(line.code)
    if known is not None and known != line:
        raise ValueError(f"business line {line.code!r} is registered already")
    _LINES[line.code] = line
    return line


def unregister(code: str) -> None:
    _LINES.pop(code, None)


def lines_of(matter: Matter) -> list[Line]:
    """The registered lines ``matter`` belongs to."""
    return [line for line in _LINES.values() if line.applies(matter)]


def person_text(kind: str, matter: Matter, event: MatterEvent | None, ref: str) -> str | None:
    """A line's own text for ``kind`` on ``matter``, or None for the shared one."""
    for line in lines_of(matter):
        if line.person_text is not None:
            text = line.person_text(kind, matter, event, ref)
            if text is not None:
                return text
    return None


def notice_notes(template: str, matter: Matter) -> list[str]:
    return [
        note
        for line in lines_of(matter)
        if line.notice_notes is not None
        for note in line.notice_notes(template, matter)
    ]


def panels(user: Any, matter: Matter) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every registered line's panel for ``matter``, for the staff matter page."""
    return [
        (line.panel.template, line.panel.context(user, matter))
        for line in lines_of(matter)
        if line.panel is not None
    ]


def answer_accepts(matter: Matter) -> str:
    """The acceptance note when staff answering ``matter`` (a visible comment while 已提交) accepts it
    (actions.do_comment), else ""."""
    return next((line.answer_accepts for line in lines_of(matter) if line.answer_accepts), "")
