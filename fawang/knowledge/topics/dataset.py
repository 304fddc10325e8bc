"""Build the labelled topic set from the lay questions of data/lawsearch and the statutes of data/laws.

Every question carries the statute articles that answer it.  Each article votes for a topic through the
rule table in ``rules.py``; the question takes the most voted topic (ties: the more specific topic, i.e. not
综合咨询, then taxonomy order).  A broad topic (综合咨询, 侵权, 合同纠纷 ...) is narrowed when the question and its
keywords hit the lexicon of an allowed narrower topic at least ``REFINE_MIN_HITS`` times more than any other.

Besides the questions, articles of a few core statutes are emitted as weakly labelled extra documents
(``kind: "statute"``) so the classifier knows the vocabulary of topics the questions barely cover
(海事海商, 涉外法律, 拆迁安置 ...).  They are capped per topic and weighted down in training.

Output is a deterministic function of the two input files.
"""

from __future__ import annotations

import json
import lzma
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from .rules import REFINABLE, lexicon_hits, normalize_title, statute_topic
from .taxonomy import CODES, GENERAL, NAMES

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parents[2]
DEFAULT_QUESTIONS = REPO_DIR / "data" / "lawsearch" / "train.jsonl"
DEFAULT_ARTICLES = REPO_DIR / "data" / "laws" / "articles.jsonl.xz"
DEFAULT_OUT = REPO_DIR / "data" / "topics" / "labelled.jsonl"

REFINE_MIN_HITS = 1
STATUTE_DOCS_PER_TOPIC = 120
STATUTE_DOC_CHARS = 160
_DATE = re.compile(r"\(\d{4}-\d{2}-\d{2}\)")
STATUTE_LEVELS = frozenset({"法律", "行政法规", "司法解释"})

# Core statutes whose articles become extra (weak) documents, labelled article by article by the rules.
CORE_LAWS = frozenset(
    str.split(
        """
    民法典 刑法 刑事诉讼法 劳动合同法 劳动法 社会保险法 工伤保险条例 道路交通安全法 消费者权益保护法 产品质量法
    商标法 专利法 著作权法 公司法 合伙企业法 行政诉讼法 行政处罚法 行政复议法 国有土地上房屋征收与补偿条例
    建筑法 建设工程质量管理条例 医疗纠纷预防和处理条例 医疗事故处理条例 海商法 海事诉讼特别程序法
    涉外民事关系法律适用法 出境入境管理法 外商投资法 城市房地产管理法 物业管理条例
    最高人民法院关于审理民间借贷案件适用法律若干问题的规定 最高人民法院关于适用民法典有关担保制度的解释
        """
    )
)


def _read_jsonl(path: Path) -> Iterator[dict]:
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _specificity(code: str) -> tuple[int, int]:
    return (0 if code == GENERAL else 1, -CODES.index(code))


def question_label(statute_topics: Iterable[str], text: str) -> tuple[str, str]:
    """(topic code, source) for one question from its articles' topics and its own words."""
    votes = Counter(statute_topics)
    if votes:
        topic = max(votes, key=lambda c: (votes[c], *_specificity(c)))
        source = "statute"
    else:
        topic, source = GENERAL, "none"
    allowed = REFINABLE.get(topic)
    if allowed:
        hits = lexicon_hits(text)
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], CODES.index(kv[0])))
        if ranked and ranked[0][0] in allowed and ranked[0][1] >= REFINE_MIN_HITS:
            runner_up = ranked[1][1] if len(ranked) > 1 else 0
            own = hits.get(topic, 0)
            if ranked[0][1] > max(runner_up, own):
                topic, source = ranked[0][0], source + "+lexicon"
    return topic, source


def build_dataset(
    questions: str | Path = DEFAULT_QUESTIONS,
    articles: str | Path = DEFAULT_ARTICLES,
    *,
    with_statutes: bool = True,
) -> list[dict]:
    """Labelled rows: questions first (file order), then statute documents (title, article order)."""
    qrows = list(_read_jsonl(Path(questions)))
    needed = {(normalize_title(r["law"]), r["article"]) for q in qrows for r in q.get("relevant", [])}
    where: dict[tuple[str, str], tuple[int | None, str]] = {}
    statute_docs: dict[tuple[str, str], list[tuple[int, dict]]] = {}
    for a in _read_jsonl(Path(articles)):
        key = (normalize_title(a["law_title"]), a["article"])
        if key in needed and key not in where:
            where[key] = (a.get("article_no"), a.get("section") or "")
        if (
            with_statutes
            and key[0] in CORE_LAWS
            and a.get("level") in STATUTE_LEVELS
            and not a.get("expired")
        ):
            statute_docs.setdefault((key[0], a["law_path"]), []).append((a.get("seq", 0), a))

    rows: list[dict] = []
    for q in qrows:
        topics = []
        for r in q.get("relevant", []):
            key = (normalize_title(r["law"]), r["article"])
            no, section = where.get(key, (None, ""))
            t = statute_topic(r["law"], no, section)
            if t:
                topics.append(t)
        text = q["question"] + " " + (q.get("keywords") or "")
        topic, source = question_label(topics, text)
        rows.append(
            {
                "kind": "question",
                "qid": q.get("qid"),
                "question": q["question"],
                "keywords": q.get("keywords") or "",
                "statute_topics": sorted(set(topics)),
                "topic": topic,
                "name": NAMES[topic],
                "source": source,
            }
        )
    if with_statutes:
        rows.extend(_statute_rows(statute_docs))
    return rows


def _statute_rows(docs: dict[tuple[str, str], list[tuple[int, dict]]]) -> list[dict]:
    # One version per law: the latest path (paths end in the adoption date, so they sort by date).  The
    # Civil Code comes as one file per book, all kept.
    latest: dict[str, str] = {}
    for _title, path in docs:
        base = _DATE.sub("", path)
        if base not in latest or path > latest[base]:
            latest[base] = path
    chosen = sorted(set(latest.values()))
    by_topic: dict[str, list[dict]] = {}
    for title, path in sorted(docs, key=lambda k: (k[0], k[1])):
        if path not in chosen:
            continue
        for _, a in sorted(docs[(title, path)], key=lambda x: x[0]):
            topic = statute_topic(a["law_title"], a.get("article_no"), a.get("section") or "")
            if topic:
                by_topic.setdefault(topic, []).append(a)
    out = []
    for topic in CODES:
        items = by_topic.get(topic, [])
        if len(items) > STATUTE_DOCS_PER_TOPIC:  # evenly spaced, so every law of the topic is represented
            step = len(items) / STATUTE_DOCS_PER_TOPIC
            items = [items[int(i * step)] for i in range(STATUTE_DOCS_PER_TOPIC)]
        for a in items:
            out.append(
                {
                    "kind": "statute",
                    "law": normalize_title(a["law_title"]),
                    "article": a["article"],
                    "question": a["text"][:STATUTE_DOC_CHARS],
                    "topic": topic,
                    "name": NAMES[topic],
                    "source": "statute-text",
                }
            )
    return out


def write_jsonl(rows: Iterable[dict], path: str | Path) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")


def read_jsonl(path: str | Path) -> list[dict]:
    return list(_read_jsonl(Path(path)))
