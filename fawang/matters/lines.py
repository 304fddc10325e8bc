"""The business-line seam: what a line (legal aid, consultation, mediation ...) adds to its matters without
editing ``matters`` — its own words in the messages the person gets, and its notes on the printed notices.
Its actions are registered in ``matters.registry``; the data its service items carry beyond the shared matter
(extra fields asked at intake, kept in the line's own models) in ``ItemData`` below.

A line registers a ``Line`` from its AppConfig.ready(): ``applies(matter)`` says which matters are its own (by
service item or business line); ``person_text(kind, matter, event, ref)`` may give the message for a kind of
event on them (None: the shared text); ``notice_notes(template, matter)`` the lines of law or advice it adds to a
printed notice (``pdf.RECEIPT``, ``pdf.RESULT``, ``pdf.MATERIALS``); ``panel`` its card on the staff matter page
(a template and the function that makes its context for the user; an empty context shows nothing);
``auto_topic`` whether intake asks the topic classifier for a matter submitted without a topic;
``supervision`` its card on the supervisors' page (a template and a context for the user);
``public_panel`` its card on the person's own matter page (the template and the context for the signed-in person
and the matter; an empty context shows nothing);
``answer_accepts`` the note of the acceptance (a gettext_noop text) when a visible answer by staff to a submitted matter takes it in
(consultation: 咨询答复即受理; empty: answering does not accept).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Matter, MatterEvent

PersonText = Callable[[str, "Matter", "MatterEvent | None", str], "str | None"]
NoticeNotes = Callable[[str, "Matter"], "list[str]"]


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[Any, Matter], dict[str, Any]]  # (the staff user, the matter) -> the template's context


@dataclass(frozen=True)
class Board:
    """A line's card on the supervisors' page (超期与预警), about all its matters the user may see."""

    template: str
    context: Callable[[Any], dict[str, Any]]  # (the staff user) -> the template's context


@dataclass(frozen=True)
class Line:
    code: str
    applies: Callable[[Matter], bool]
    person_text: PersonText | None = None
    notice_notes: NoticeNotes | None = None
    panel: Panel | None = None
    answer_accepts: str = ""
    auto_topic: bool = False
    supervision: Board | None = None
    public_panel: Panel | None = None


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
    """A line's own text for ``kind`` on ``matter``, or None for the shared one. Only lines that have texts are
    asked whether the matter is theirs (a line's ``applies`` may query: the home visit's does, and every intake
    asks for the person's text)."""
    for line in _LINES.values():
        if line.person_text is not None and line.applies(matter):
            text = line.person_text(kind, matter, event, ref)
            if text is not None:
                return text
    return None


def notice_notes(template: str, matter: Matter) -> list[str]:
    return [
        note
        for line in _LINES.values()
        if line.notice_notes is not None and line.applies(matter)
        for note in line.notice_notes(template, matter)
    ]


def panels(user: Any, matter: Matter) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every registered line's panel for ``matter``, for the staff matter page."""
    return [
        (line.panel.template, line.panel.context(user, matter))
        for line in _LINES.values()
        if line.panel is not None and line.applies(matter)
    ]


def public_panels(user: Any, matter: Matter) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every registered line's card for the person's own matter page."""
    return [
        (line.public_panel.template, line.public_panel.context(user, matter))
        for line in _LINES.values()
        if line.public_panel is not None and line.applies(matter)
    ]


def supervision_boards(user: Any) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every registered line's card for the supervisors' page."""
    return [
        (line.supervision.template, line.supervision.context(user))
        for line in _LINES.values()
        if line.supervision is not None
    ]


def auto_topic(matter: Matter) -> bool:
    """Whether ``matter`` (at intake, perhaps not saved yet) gets the classifier's topic when none was chosen. Only
    the lines that ask for it are asked whether the matter is theirs (every intake asks)."""
    return any(line.auto_topic and line.applies(matter) for line in _LINES.values())


def answer_accepts(matter: Matter) -> str:
    """The acceptance note when staff answering ``matter`` (a visible comment while 已提交) accepts it
    (actions.do_comment), else ""."""
    return next((line.answer_accepts for line in lines_of(matter) if line.answer_accepts), "")


@dataclass(frozen=True)
class ItemData:
    """A service item's own data, owned by the line's app (e.g. mediation: the other party, the amount in dispute).

    ``items``: the service item codes it belongs to; ``form``: the extra fields asked at intake (a plain Django
    form; its errors are the line's Chinese messages); ``save(matter, cleaned_data)``: stores them in the line's
    own models, called by ``actions.do_submit`` inside the submission's transaction, after the matter row exists
    (an exception undoes the whole submission); ``facts(matter)``: (label, value) rows shown with the matter's facts
    on the staff matter page (personal data masked by the line)."""

    items: tuple[str, ...]
    form: type[forms.Form]
    save: Callable[[Matter, dict[str, Any]], None]
    facts: Callable[[Matter], list[tuple[str, str]]]


_ITEM_DATA: dict[str, ItemData] = {}


def given_matter(matter: Matter, item_code: str) -> Matter | None:
    """The person's most recent other matter of the item ``item_code`` that was taken in (受理: accepted, or any
    later status), if any: the request a line's item cites, as 公证 and 司法鉴定 cite a legal-aid matter for the
    fee reduction."""
    from .models import Matter

    given = (
        Matter.Status.ACCEPTED,
        Matter.Status.IN_PROGRESS,
        Matter.Status.SUSPENDED,
        Matter.Status.COMPLETED,
        Matter.Status.CLOSED,
    )
    return (
        Matter.objects.filter(person_id=matter.person_id, service_item__code=item_code, status__in=given)
        .exclude(pk=matter.pk)
        .order_by("-pk")
        .first()
    )


def register_item_data(data: ItemData) -> ItemData:
    for code in data.items:
        known = _ITEM_DATA.get(code)
        if known is not None and known != data:
            raise ValueError(f"service item {code!r} has its own data registered already")
    for code in data.items:
        _ITEM_DATA[code] = data
    return data


def unregister_item_data(data: ItemData) -> None:
    for code in data.items:
        if _ITEM_DATA.get(code) == data:
            del _ITEM_DATA[code]


def any_item_data() -> bool:
    """Whether any line has registered its own item fields (the intake form then refreshes on a chosen item)."""
    return bool(_ITEM_DATA)


def item_data(item_code: str) -> ItemData | None:
    """The own data registered for the service item ``item_code``, if any."""
    return _ITEM_DATA.get(item_code)


def item_form(item_code: str, data: Any = None, *, prefix: str = "item") -> forms.Form | None:
    """The extra intake form of the item (bound to ``data`` when given), or None when it has no own data. The
    console's 受理登记 shows it under a request row once its service item is chosen (prefix ``req-N-item``)."""
    found = _ITEM_DATA.get(item_code)
    return None if found is None else found.form(data, prefix=prefix)


def check_item_data(item_code: str, values: dict[str, Any] | None) -> dict[str, Any]:
    """``values`` cleaned by the item's form ({} for an item without own data). Raises ValidationError (the form's
    messages by field) when they do not pass, or when an item without own data is given some."""
    found = _ITEM_DATA.get(item_code)
    if found is None:
        if values:
            raise ValidationError(_("该服务事项没有补充信息。"), code="no_item_data")
        return {}
    form = found.form(values or {})
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return dict(form.cleaned_data)


def save_item_data(matter: Matter, values: dict[str, Any] | None) -> None:
    """Validate ``values`` and store them through the item's line (in the caller's transaction)."""
    cleaned = check_item_data(matter.service_item.code, values)
    found = _ITEM_DATA.get(matter.service_item.code)
    if found is not None:
        found.save(matter, cleaned)


def item_facts(matter: Matter) -> list[tuple[str, str]]:
    found = _ITEM_DATA.get(matter.service_item.code)
    return [] if found is None else found.facts(matter)
