"""Import statutes from data/laws/ (see data/laws/SOURCE.md) into Law and Article rows.

Idempotent: a law whose content hash (metadata, derived status and all its articles) is unchanged is not
touched; a changed law is updated in place and its articles are matched by their stable anchor (a43,
a133-1), so article ids and URLs survive re-imports.  Everything is written with bulk operations in one
transaction: the full 3,400 laws / 147,000 articles take well under a minute on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import lzma
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fawang.regions.models import Region

from .alerts import flag_citing
from .models import Article, Law
from .numbers import article_anchor
from .search.segment import normalize_title

LAWS_FILE = "laws/laws.jsonl.xz"
ARTICLES_FILE = "laws/articles.jsonl.xz"
CASE_LEVEL = "案例"
# Status changes a later law-change alert cares about: the law a person relied on is no longer in force.
NO_LONGER_IN_FORCE = {Law.Status.AMENDED, Law.Status.REPEALED}
BATCH = 2000
LAW_FIELDS = [
    "title",
    "subtitle",
    "level",
    "status",
    "publish_date",
    "effective_date",
    "region_name",
    "region",
    "chain_key",
    "history",
    "content_hash",
]

Progress = Callable[[Iterable[Any], str, int], Iterable[Any]]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    articles_created: int = 0
    articles_updated: int = 0
    articles_deleted: int = 0
    # Laws already in the database that this import newly marked 已修改 or 已废止 (for law-change alerts).
    newly_superseded: list[int] = field(default_factory=list)
    # Knowledge entries (and registered citing objects) flagged 待复核 because of those laws (alerts.py).
    flagged: int = 0


def default_paths() -> tuple[Path, Path]:
    data = Path(settings.DATA_DIR)
    return data / LAWS_FILE, data / ARTICLES_FILE


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    opener: Any = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def is_case(doc: dict[str, Any]) -> bool:
    """案例 write-ups are not statutes and some name real parties: never imported (SOURCE.md)."""
    return doc.get("level") == CASE_LEVEL or str(doc.get("path") or doc.get("law_path")).startswith("案例/")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _level(doc: dict[str, Any]) -> str:
    level = doc.get("level")
    if level in Law.Level.values:
        return str(level)
    # A few national laws lack metadata in the source; their titles say what they are.
    title = str(doc.get("title") or "")
    if title.startswith("中华人民共和国") and title.endswith("法"):
        return Law.Level.LAW
    return Law.Level.OTHER


def chain_key(doc: dict[str, Any]) -> str:
    """Versions of one law share the normalised title (and the part, for laws published in parts)."""
    key = normalize_title(str(doc.get("title") or ""))
    return f"{key}·{doc['subtitle']}" if doc.get("subtitle") else key


def derive_statuses(docs: list[dict[str, Any]], today: dt.date) -> dict[str, str]:
    """Status per source path.  The source only flags `expired`; a version is 已修改 once a newer version
    of the same law is in force, 已废止 when it is expired with no newer version, 尚未生效 before its
    effective date, and 有效 otherwise."""
    chains: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in docs:
        chains[chain_key(d)].append(d)
    out: dict[str, str] = {}
    for versions in chains.values():
        versions.sort(key=lambda d: (_date(d.get("publish")) or dt.date.min, d["path"]))
        for i, d in enumerate(versions):
            effective = _date(d.get("valid_from")) or _date(d.get("publish"))
            newer_in_force = any(
                (_date(n.get("valid_from")) or _date(n.get("publish")) or dt.date.min) <= today
                for n in versions[i + 1 :]
            )
            if effective and effective > today:
                out[d["path"]] = Law.Status.NOT_YET
            elif newer_in_force:
                out[d["path"]] = Law.Status.AMENDED
            elif d.get("expired"):
                out[d["path"]] = Law.Status.REPEALED
            else:
                out[d["path"]] = Law.Status.IN_FORCE
    return out


class RegionResolver:
    """Local regulations name their province (source folder) and often their city (title prefix)."""

    def __init__(self) -> None:
        self.provinces = list(Region.objects.filter(level=Region.Level.PROVINCE).only("code", "name"))
        self.cities: dict[str, list[Region]] = defaultdict(list)
        for city in Region.objects.filter(level=Region.Level.CITY).only("code", "name"):
            self.cities[city.code[:2]].append(city)

    def resolve(self, region_name: str, title: str) -> Region | None:
        if not region_name:
            return None
        province = next((p for p in self.provinces if p.name.startswith(region_name)), None)
        if province is None:
            return None
        for city in self.cities.get(province.code[:2], []):
            if city.name not in ("市辖区", "县") and title.startswith(city.name):
                return city
        return province


def _article_fields(a: dict[str, Any]) -> dict[str, Any]:
    label = str(a.get("article") or "")
    number = int(a.get("article_no") or 0)
    return {
        "seq": int(a.get("seq") or 0),
        "label": label,
        "number": number,
        "anchor": article_anchor(label, number) if label else f"s{a.get('seq')}",
        "section": str(a.get("section") or "")[:255],
        "text": str(a.get("text") or ""),
    }


def _hash(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _law_fields(doc: dict[str, Any], status: str, article_hashes: list[str]) -> dict[str, Any]:
    region_name = str(doc.get("category") or "") if str(doc["path"]).startswith("DLC/") else ""
    fields = {
        "title": str(doc.get("title") or "")[:255],
        "subtitle": str(doc.get("subtitle") or "")[:100],
        "level": _level(doc),
        "status": status,
        "publish_date": _date(doc.get("publish")) or _date(doc.get("date_in_filename")),
        "effective_date": _date(doc.get("valid_from")),
        "region_name": region_name[:32],
        "chain_key": chain_key(doc)[:255],
        "history": "\n".join(doc.get("history") or []),
    }
    fields["content_hash"] = _hash([{k: str(v) for k, v in fields.items()}, article_hashes])
    return fields


def _matches(doc: dict[str, Any], only: list[str] | None) -> bool:
    if not only:
        return True
    title = str(doc.get("title") or "")
    return any(o in title or normalize_title(o) == normalize_title(title) for o in only)


def _no_progress(items: Iterable[Any], label: str, total: int) -> Iterable[Any]:
    return items


def import_laws(
    laws_path: Path | None = None,
    articles_path: Path | None = None,
    *,
    only: list[str] | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import (or re-import) the statutes; `only` keeps laws whose title contains one of the strings.

    Statuses are derived over the whole source file, so a subset gets the same status as a full import.
    """
    default_laws, default_articles = default_paths()
    laws_path = laws_path or default_laws
    articles_path = articles_path or default_articles
    today = today or timezone.localdate()
    progress = progress or _no_progress
    docs = [d for d in read_jsonl(laws_path) if not is_case(d)]
    statuses = derive_statuses(docs, today)
    wanted = {d["path"]: d for d in docs if _matches(d, only)}
    articles: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in read_jsonl(articles_path):
        if a["law_path"] in wanted:
            articles[a["law_path"]].append(_article_fields(a))

    result = ImportResult()
    resolver: RegionResolver | None = None
    existing = {
        row["source_id"]: row
        for row in Law.objects.filter(source_id__in=list(wanted))
        .order_by()
        .values("id", "source_id", "content_hash", "status")
    }
    new_laws: list[tuple[Law, list[dict[str, Any]]]] = []
    changed: list[tuple[Law, list[dict[str, Any]]]] = []
    for path, doc in progress(wanted.items(), "法律法规", len(wanted)):
        arts = articles.get(path, [])
        hashes = [_hash(a) for a in arts]
        for a, h in zip(arts, hashes, strict=True):
            a["content_hash"] = h
        fields = _law_fields(doc, statuses[path], hashes)
        old = existing.get(path)
        if old is not None and old["content_hash"] == fields["content_hash"]:
            result.unchanged += 1
            continue
        resolver = resolver or RegionResolver()
        fields["region"] = resolver.resolve(fields["region_name"], fields["title"])
        law = Law(source_id=path, **fields)
        if old is None:
            new_laws.append((law, arts))
        else:
            law.pk = old["id"]
            changed.append((law, arts))
            if fields["status"] in NO_LONGER_IN_FORCE and old["status"] != fields["status"]:
                result.newly_superseded.append(law.pk)

    if not new_laws and not changed:
        return result
    with transaction.atomic():
        if new_laws:
            Law.objects.bulk_create([law for law, _ in new_laws], batch_size=BATCH)
            if any(law.pk is None for law, _ in new_laws):  # backends that do not return ids
                ids = dict(
                    Law.objects.filter(source_id__in=[law.source_id for law, _ in new_laws]).values_list(
                        "source_id", "id"
                    )
                )
                for law, _ in new_laws:
                    law.pk = ids[law.source_id]
            rows = [Article(law_id=law.pk, **a) for law, arts in new_laws for a in arts]
            Article.objects.bulk_create(rows, batch_size=BATCH)
            result.created = len(new_laws)
            result.articles_created += len(rows)
        if changed:
            Law.objects.bulk_update([law for law, _ in changed], LAW_FIELDS, batch_size=BATCH)
            # Before the articles change: a citation of an article this import deletes is flagged too.
            result.flagged = flag_citing(result.newly_superseded)
            _update_articles(changed, result)
            result.updated = len(changed)
    return result


def _update_articles(changed: list[tuple[Law, list[dict[str, Any]]]], result: ImportResult) -> None:
    """Articles of changed laws, matched by anchor: create the new, update the changed, delete the gone."""
    current: dict[tuple[int, str], tuple[int, str]] = {
        (law_id, anchor): (pk, h)
        for pk, law_id, anchor, h in Article.objects.filter(
            law_id__in=[law.pk for law, _ in changed]
        ).values_list("id", "law_id", "anchor", "content_hash")
    }
    create, update, keep = [], [], set()
    for law, arts in changed:
        for a in arts:
            key = (law.pk, a["anchor"])
            old = current.get(key)
            if old is None:
                create.append(Article(law_id=law.pk, **a))
            else:
                keep.add(key)
                if old[1] != a["content_hash"]:
                    update.append(Article(pk=old[0], law_id=law.pk, **a))
    gone = [pk for key, (pk, _) in current.items() if key not in keep]
    if gone:
        Article.objects.filter(pk__in=gone).delete()
    Article.objects.bulk_update(
        update, ["seq", "label", "number", "section", "text", "content_hash"], batch_size=BATCH
    )
    Article.objects.bulk_create(create, batch_size=BATCH)
    result.articles_created += len(create)
    result.articles_updated += len(update)
    result.articles_deleted += len(gone)
