"""Chinese segmentation for statute search, with a legal-term dictionary mined from the statutes.

Why: the stock jieba dictionary splits many legal compounds (法律援助中心 -> 法律援助 / 中心) and knows
nothing of defined statutory terms.  Keeping such compounds whole gives precise matches, while the
search-mode cut still emits the parts so a lay query that uses only a part still matches.
Two token streams are produced: words (jieba search mode + legal terms) and character bigrams, which
cover segmentation mistakes and rare words.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator

import rjieba

_CJK = re.compile(r"[\u3400-\u9fff]+")
_TOKEN_OK = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_ALNUM = re.compile(r"[A-Za-z0-9]+")

# Function words and lay filler that carry no topic.  Kept short on purpose: BM25's idf already
# discounts frequent words; this list only removes words that are frequent in questions but not in
# statutes (so their idf is misleadingly high).
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "我",
        "你",
        "他",
        "她",
        "它",
        "我们",
        "你们",
        "他们",
        "怎么",
        "怎么办",
        "怎样",
        "如何",
        "什么",
        "哪些",
        "哪里",
        "哪个",
        "为什么",
        "是否",
        "能否",
        "可以",
        "可不可以",
        "能",
        "会",
        "要",
        "想",
        "请问",
        "请",
        "谢谢",
        "一下",
        "这个",
        "那个",
        "这样",
        "那样",
        "这种",
        "有",
        "没有",
        "还",
        "就",
        "都",
        "也",
        "在",
        "和",
        "与",
        "或",
        "及",
        "以及",
        "对",
        "把",
        "被",
        "给",
        "让",
        "从",
        "向",
        "到",
        "之",
        "其",
        "该",
        "本",
        "此",
        "等",
        "个",
        "些",
        "么",
        "嘛",
        "吗",
        "呢",
        "还是",
        "已经",
        "如果",
        "但是",
        "而",
        "则",
        "并",
        "且",
        "又",
        "即",
        "由",
        "于",
        "为",
        "以",
        "所",
        "因为",
        "所以",
        "现在",
        "之后",
        "以后",
        "以前",
        "需要",
        "应该",
        "应当",
        "一个",
        "自己",
        "多少",
        "情况",
        "问题",
        "法律",
        "规定",
        "有关",
    ]
)

_HEADING_NO = re.compile(r"^第[一二三四五六七八九十百千零〇\d]+[编分章节条]\s*")
_DEFINED = re.compile(
    r"(?:本(?:法|条例|规定|办法|解释|细则|决定)|前款|本条)所称(?:的)?[“\"]?([\u4e00-\u9fff]{2,12}?)[”\"]?"
    r"(?:，|,)?(?:是指|指|包括|，是)"
)
_QUOTED = re.compile(r"[“「]([\u4e00-\u9fff]{2,10})[”」]")
_COMPOUND_HEADS = frozenset(
    [
        "中心",
        "委员会",
        "机构",
        "机关",
        "合同",
        "责任",
        "关系",
        "纠纷",
        "程序",
        "制度",
        "期限",
        "义务",
        "权利",
        "补偿",
        "赔偿",
        "保险",
        "登记",
        "证书",
        "许可",
    ]
)
_LAW_PREFIX = "中华人民共和国"


def normalize_title(title: str) -> str:
    """Normalise a law title the way the evaluation data matches titles (any version counts)."""
    t = title.replace(_LAW_PREFIX, "")
    for ch in "《》 \u3000":
        t = t.replace(ch, "")
    return t.replace("（", "(").replace("）", ")")


def mine_legal_terms(
    articles: Iterable[dict], *, min_compound_freq: int = 5, base: rjieba.Jieba | None = None
) -> dict[str, int]:
    """Mine a legal-term dictionary from the statutes themselves.

    Sources: defined terms (本法所称X，是指...), quoted terms, short law titles, short section headings,
    and frequent two-word compounds ending in an institutional/legal head word (法律援助 + 中心).
    Returns term -> frequency (used as the jieba frequency, so frequent terms win ties).
    """
    seg = base or rjieba.Jieba()
    terms: Counter[str] = Counter()
    compounds: Counter[str] = Counter()
    seen_titles: set[str] = set()
    seen_sections: set[str] = set()
    for a in articles:
        title = normalize_title(a.get("law_title") or "")
        if title and title not in seen_titles:
            seen_titles.add(title)
            if 2 <= len(title) <= 14 and _CJK.fullmatch(title):
                terms[title] += 5
        section = a.get("section") or ""
        if section and section not in seen_sections:
            seen_sections.add(section)
            for part in section.split("/"):
                head = _HEADING_NO.sub("", part.strip())
                for piece in re.split(r"[的和与及、，,\s]+", head):
                    if 2 <= len(piece) <= 8 and _CJK.fullmatch(piece):
                        terms[piece] += 1
        text = a.get("text") or ""
        for m in _DEFINED.finditer(text):
            terms[m.group(1)] += 10
        for m in _QUOTED.finditer(text):
            terms[m.group(1)] += 2
        if "中心" in text or "委员会" in text or any(h in text for h in ("责任", "合同", "机构")):
            toks = seg.cut(text, False)
            for x, y in itertools.pairwise(toks):
                if y in _COMPOUND_HEADS and len(x) >= 2 and _CJK.fullmatch(x) and x not in STOPWORDS:
                    compounds[x + y] += 1
    for term, n in compounds.items():
        if n >= min_compound_freq:
            terms[term] += n
    # Drop generic words that are already whole words (adding them only perturbs frequencies).
    return {t: n for t, n in terms.items() if len(t) >= 3 or not seg.has_word(t)}


class Segmenter:
    """jieba (search mode) + legal-term dictionary + character bigrams."""

    def __init__(self, legal_terms: dict[str, int] | None = None) -> None:
        self._jieba = rjieba.Jieba()
        self.legal_terms = dict(legal_terms or {})
        for term, freq in self.legal_terms.items():
            self._jieba.add_word(term, max(int(freq), 1) * 50, "nl")

    def cut(self, text: str) -> list[str]:
        """Precise-mode words (legal compounds kept whole); used for display and highlights."""
        return [w for w in self._jieba.cut(text, True) if _TOKEN_OK.search(w)]

    def words(self, text: str) -> list[str]:
        """Index/query words: search-mode cut (compound + its parts), stopwords and punctuation removed."""
        out = []
        for w in self._jieba.cut_for_search(text, True):
            w = w.strip().lower()
            if not w or w in STOPWORDS or not _TOKEN_OK.search(w):
                continue
            if len(w) == 1 and _CJK.fullmatch(w):
                continue  # single characters are covered by the bigram stream
            out.append(w)
            if len(w) >= 5:  # jieba's search mode stops at 3-char parts: add known 4-char parts too
                out.extend(w[i : i + 4] for i in range(len(w) - 3) if self._jieba.has_word(w[i : i + 4]))
        return out

    @staticmethod
    def bigrams(text: str) -> list[str]:
        """Overlapping CJK character bigrams plus lower-cased ASCII words/numbers."""
        out: list[str] = []
        for run in _CJK.findall(text):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.extend(m.lower() for m in _ALNUM.findall(text))
        return out


def iter_spans(text: str, terms: Iterable[str]) -> Iterator[tuple[int, int]]:
    """Yield merged (start, end) character spans of every occurrence of any term in text."""
    spans: list[tuple[int, int]] = []
    for t in set(terms):
        if not t:
            continue
        start = text.find(t)
        while start >= 0:
            spans.append((start, start + len(t)))
            start = text.find(t, start + 1)
    spans.sort()
    cur: tuple[int, int] | None = None
    for s, e in spans:
        if cur and s <= cur[1]:
            cur = (cur[0], max(cur[1], e))
        else:
            if cur:
                yield cur
            cur = (s, e)
    if cur:
        yield cur
