"""The law search index for the web process: where it lives, building it from the database, loading it once.

The index (fawang.knowledge.search, ~250 MB for all 147,000 articles) is built by `manage.py build_law_index`
from the Article rows, so every hit maps back to a row and a URL.  A process loads it lazily on the first
search and keeps it; a rebuild (new meta.json) is picked up by the next search.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from .models import Article, Law
from .search import DEFAULT_MODEL_DIR, SearchIndex, build_index
from .search.engine import Progress

if TYPE_CHECKING:
    from .results import Result

EXPIRED = (Law.Status.AMENDED, Law.Status.REPEALED)


def index_dir() -> Path:
    """settings.LAW_INDEX_DIR, else $LAW_INDEX_DIR, else <var>/lawindex (var is BASE_DIR/var unless
    FAWANG_VAR_DIR says otherwise)."""
    configured = getattr(settings, "LAW_INDEX_DIR", None) or os.environ.get("LAW_INDEX_DIR")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "lawindex"


def index_exists(directory: Path | None = None) -> bool:
    return ((directory or index_dir()) / "meta.json").exists()


def iter_db_articles(batch: int = 5000) -> Iterator[dict[str, Any]]:
    """Articles in the engine's schema (data/laws/articles.jsonl), in law and article order."""
    laws = {
        row["id"]: row
        for row in Law.objects.values("id", "source_id", "title", "subtitle", "status", "level")
    }
    rows = (
        Article.objects.order_by("law__source_id", "seq")
        .values_list("law_id", "label", "number", "seq", "section", "text")
        .iterator(chunk_size=batch)
    )
    for law_id, label, number, seq, section, text in rows:
        law = laws[law_id]
        yield {
            "law_path": law["source_id"],
            "law_title": law["title"],
            "law_subtitle": law["subtitle"] or None,
            "expired": law["status"] in EXPIRED,
            "level": law["level"],
            "section": section,
            "article": label,
            "article_no": number,
            "seq": seq,
            "text": text,
        }


def build(directory: Path | None = None, *, progress: Progress | None = None) -> dict[str, Any]:
    """Build into a sibling directory, then swap it in, so running processes never see half an index."""
    target = directory or index_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(target.name + ".new")
    old = target.with_name(target.name + ".old")
    shutil.rmtree(fresh, ignore_errors=True)
    meta = build_index(iter_db_articles(), fresh, progress=progress)
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)  # loaded indexes keep their memory-mapped texts open
    return meta


_lock = threading.Lock()
_loaded: dict[str, Any] = {"key": None, "index": None}


def get_index() -> SearchIndex | None:
    """The loaded index with the learned model, or None when no index has been built (thread-safe)."""
    directory = index_dir()
    try:
        key = (str(directory), (directory / "meta.json").stat().st_mtime_ns)
    except OSError:
        return None
    if _loaded["key"] == key:
        return _loaded["index"]
    with _lock:
        if _loaded["key"] != key:
            model = DEFAULT_MODEL_DIR if (DEFAULT_MODEL_DIR / "model.json").exists() else None
            _loaded["index"] = SearchIndex.load(directory, model_dir=model)
            _loaded["key"] = key
        return _loaded["index"]


def articles_for_question(text: str, *, k: int = 20) -> list[Result] | None:
    """The top ``k`` articles in force for a free-text question (a matter's description), as the search page
    finds them: ``results.Result`` rows (Article with its law, escaped snippet, score), best first.
    None when no index has been built."""
    from . import results

    index = get_index()
    if index is None:
        return None
    query = " ".join((text or "").split())[: results.MAX_QUERY]
    if not query:
        return []
    found = results.search(index, results.SearchParams(query=query, current_only=True)).results[:k]
    results.load_articles(found)
    return found
