"""The everyday-word lexicon (bridge.py) and the everyday-question set it is measured on."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from fawang.knowledge.search.bridge import Bridged, Lexicon
from fawang.knowledge.search.data import default_everyday, iter_articles
from fawang.knowledge.search.segment import normalize_title
from fawang.knowledge.topics.taxonomy import NAMES


def test_lay_words_bridge_to_statute_words() -> None:
    lex = Lexicon.load()
    found = {b.lay: b.statute for b in lex.bridge("老板拖欠工资三个月不给怎么办")}
    assert "用人单位" in found["老板"]
    assert "劳动报酬" in found["工资"]
    dog = {b.lay: b.statute for b in lex.bridge("被狗咬了谁负责")}
    assert "饲养的动物" in dog["狗"]
    assert lex.bridge("今天天气不错") == []


def test_a_longer_lay_word_wins_and_counts_once(tmp_path: Path) -> None:
    path = tmp_path / "lex.txt"
    path.write_text("# comment\n\n拖欠工资 = 拖欠 劳动报酬\n工资 = 工资\n", encoding="utf-8")
    lex = Lexicon.load(path)
    assert lex.bridge("拖欠工资") == [Bridged("拖欠工资", ("拖欠", "劳动报酬"))]
    assert lex.bridge("工资和拖欠工资") == [
        Bridged("拖欠工资", ("拖欠", "劳动报酬")),
        Bridged("工资", ("工资",)),
    ]
    assert lex.statute_words("拖欠工资") == {"拖欠": 1.0, "劳动报酬": 1.0}


def test_a_malformed_line_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "lex.txt"
    path.write_text("工资 = 劳动报酬\n只有左边\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        Lexicon.load(path)


def test_the_everyday_set_is_complete_and_every_citation_resolves() -> None:
    rows = [json.loads(line) for line in default_everyday().read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 300
    assert len({r["qid"] for r in rows}) == len(rows)
    topics = Counter(r["topic"] for r in rows)
    assert set(topics) == set(NAMES.values())  # all 20 topics
    assert min(topics.values()) >= 8
    wanted = {(normalize_title(g["law"]), g["article"]) for r in rows for g in r["relevant"]}
    present = {
        (normalize_title(a["law_title"]), a["article"])
        for a in iter_articles()
        if not a["law_path"].startswith("DLC/")
    }
    assert sorted(wanted - present) == []


def test_a_lay_word_listed_in_two_entries_counts_for_both(tmp_path: Path) -> None:
    path = tmp_path / "lex.txt"
    path.write_text("房东 = 出租人\n押金 = 返还\n房东 = 租赁合同\n", encoding="utf-8")
    lex = Lexicon.load(path)
    assert lex.bridge("房东不退押金") == [
        Bridged("房东", ("出租人",)),
        Bridged("押金", ("返还",)),
        Bridged("房东", ("租赁合同",)),
    ]
