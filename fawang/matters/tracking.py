"""Tracking numbers (受理编号): readable, unique, and not guessable in sequence.

Format: ``FW`` + yymmdd (local date of submission) + 7 random characters + 1 check character, e.g.
``FW261122K7QM9XH3``. The random part comes from ``secrets`` over a 32-letter alphabet without 0/O and 1/I,
so a number read out on the phone or copied from a receipt is not mistyped and knowing one number tells
nothing about the next: 32**7 (about 34 billion) numbers per day. The check character (Luhn mod 32) catches
every single mistyped character and most swapped neighbours before a look-up is even made.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.utils import timezone

PREFIX = "FW"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RANDOM_LENGTH = 7
LENGTH = len(PREFIX) + 6 + RANDOM_LENGTH + 1
PATTERN = re.compile(rf"^{PREFIX}\d{{6}}[{ALPHABET}]{{{RANDOM_LENGTH + 1}}}$")


def _values(body: str) -> list[int]:
    # The date digits count as 0-9 and the random part by its place in the alphabet; positions are fixed,
    # so the mapping is unambiguous.
    return [int(c) for c in body[:6]] + [ALPHABET.index(c) for c in body[6:]]


def check_character(body: str) -> str:
    """Luhn mod N (N = 32) over the date and random characters."""
    n = len(ALPHABET)
    total, factor = 0, 2
    for value in reversed(_values(body)):
        addend = factor * value
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def generate(now: dt.datetime | None = None) -> str:
    day = timezone.localtime(now or timezone.now())
    body = f"{day:%y%m%d}" + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return PREFIX + body + check_character(body)


def normalize(value: str) -> str:
    """What people type: any case, spaces or hyphens between groups."""
    return re.sub(r"[\s-]", "", value or "").upper()


def is_valid(value: str) -> bool:
    """Well-formed and with a correct check character (says nothing about whether it exists)."""
    value = normalize(value)
    if not PATTERN.match(value):
        return False
    body = value[len(PREFIX) : -1]
    return check_character(body) == value[-1]


def display(value: str) -> str:
    """Grouped for reading aloud: FW 261122 K7QM 9XH3."""
    if len(value) != LENGTH:
        return value
    return f"{value[:2]} {value[2:8]} {value[8:12]} {value[12:]}"
