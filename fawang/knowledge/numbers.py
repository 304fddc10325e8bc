"""Chinese article numbers: 第一百三十三条之一 <-> 133, suffix 1 <-> anchor "a133-1"."""

from __future__ import annotations

import re

DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000}
LABEL_RE = re.compile(r"^第([〇零一二两三四五六七八九十百千\d]+)条(?:之([一二三四五六七八九十\d]+))?$")


def cn_to_int(text: str) -> int | None:
    """一千二百六十 -> 1260, 十三 -> 13, 43 -> 43; None if it is not a number."""
    if text.isdigit():
        return int(text)
    total = current = 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch in UNITS:
            total += (current or 1) * UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def parse_label(label: str) -> tuple[int, int] | None:
    """第一百三十三条之一 -> (133, 1); 第四十三条 -> (43, 0); None if not an article label."""
    m = LABEL_RE.match(label.strip())
    if not m:
        return None
    number = cn_to_int(m.group(1))
    suffix = cn_to_int(m.group(2)) if m.group(2) else 0
    if number is None or suffix is None:
        return None
    return number, suffix


def article_anchor(label: str, number: int) -> str:
    """Stable in-page anchor: a43, a133-1 (from the label, so it survives re-imports)."""
    parsed = parse_label(label)
    if parsed is None:
        return f"a{number}"
    n, suffix = parsed
    return f"a{n}-{suffix}" if suffix else f"a{n}"


def int_to_cn(n: int) -> str:
    """43 -> 四十三, 1260 -> 一千二百六十, 105 -> 一百零五 (the way statutes number articles)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += digits[d] + unit
            zero = False
        elif out:
            zero = True
    return out


def label_for(number: int, suffix: int = 0) -> str:
    return f"第{int_to_cn(number)}条" + (f"之{int_to_cn(suffix)}" if suffix else "")
