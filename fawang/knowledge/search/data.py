"""Data access: statute articles, lay-question files (train.jsonl format) and default locations."""

from __future__ import annotations

import json
import lzma
from collections.abc import Iterator
from pathlib import Path

from .segment import normalize_title

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parents[2]
DEFAULT_MODEL_DIR = PACKAGE_DIR / "model"
DEFAULT_ARTICLES = REPO_DIR / "data" / "laws" / "articles.jsonl.xz"


def default_questions() -> Path:
    """train.jsonl: in the repo's data/lawsearch if shipped there, else the shared/ folder beside the repo."""
    for p in (
        REPO_DIR / "data" / "lawsearch" / "train.jsonl",
        REPO_DIR.parent / "shared" / "data" / "lawsearch" / "train.jsonl",
    ):
        if p.exists():
            return p
    return REPO_DIR / "data" / "lawsearch" / "train.jsonl"


def default_everyday() -> Path:
    """everyday.jsonl: the everyday-question set written for fawang (data/lawsearch/EVERYDAY.md)."""
    return REPO_DIR / "data" / "lawsearch" / "everyday.jsonl"


def iter_articles(path: str | Path = DEFAULT_ARTICLES) -> Iterator[dict]:
    """Articles from a .jsonl or .jsonl.xz file."""
    p = Path(path)
    opener = lzma.open if p.suffix == ".xz" else open
    with opener(p, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def load_questions(path: str | Path) -> list[dict]:
    """Questions in train.jsonl format, each with a 'gold' set of (normalised title, article label)."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                r["gold"] = sorted({(normalize_title(x["law"]), x["article"]) for x in r.get("relevant", [])})
                rows.append(r)
    return rows
