"""Console navigation entries that business lines register (from their AppConfig.ready()), so a new line adds its
pages to the console's menu without editing the console. The console (fawang/console/nav.py) shows them after its
own entries, to the staff whose roles hold the entry's capability."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Entry:
    section: str | Promise  # the menu's heading, e.g. _("12348 热线")
    label: str | Promise
    url_name: str
    capability: str | None = None  # None: every staff user


_REGISTERED: list[Entry] = []


def register(*entries: Entry) -> None:
    for entry in entries:
        if entry not in _REGISTERED:
            _REGISTERED.append(entry)


def registered() -> list[Entry]:
    return list(_REGISTERED)
