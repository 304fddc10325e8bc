"""Bridge everyday words to statute words with a hand-written lexicon (lexicon/everyday.txt).

People describe trouble as 老板拖欠工资 or 被狗咬了; the statutes say 用人单位 … 劳动报酬 and 饲养的动物造成他人损害.
Each lexicon line is one idea: lay words, matched as substrings of the question (so they need no segmentation
and catch 方言 spellings written into the lexicon), and the statute words they stand for.  The engine scores the
statute words on the article text and on the section headings as features of their own (``x``, ``xc``), so the
learned reranker decides how much to trust them, and every hit can say which lay word led to which statute word
(``Bridged``: shown to the person as 匹配原因).

The lexicon was written from general knowledge of how lay people and statutes name the same things, topic by
topic; it is not derived from any evaluation set (see lexicon/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
DEFAULT_LEXICON = LEXICON_DIR / "everyday.txt"


@dataclass(frozen=True)
class Bridged:
    """One lay word found in the question and the statute words it stands for."""

    lay: str
    statute: tuple[str, ...]


class Lexicon:
    def __init__(self, entries: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> None:
        self.entries = entries
        # Longest lay words first, so 拖欠工资 wins over 工资 when both would match the same place.
        self._lay: list[tuple[str, int]] = sorted(
            ((lay, i) for i, (lays, _) in enumerate(entries) for lay in lays),
            key=lambda x: (-len(x[0]), x[0]),
        )

    @classmethod
    def load(cls, path: str | Path = DEFAULT_LEXICON) -> Lexicon:
        entries: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        for n, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            lay, sep, statute = line.partition("=")
            if not sep or not lay.split() or not statute.split():
                raise ValueError(f"{path}:{n}: expected 'lay words = statute words', got {raw!r}")
            entries.append((tuple(lay.split()), tuple(statute.split())))
        return cls(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def bridge(self, text: str) -> list[Bridged]:
        """The lexicon entries the text mentions, in lexicon order, each with the lay word that matched.

        A lay word that lies inside a longer matched lay word does not count again (工资 inside 拖欠工资 is one
        match, not two).  The same lay word listed in two entries (过户, 工伤 …) counts for both."""
        taken: list[tuple[int, int]] = []
        found: dict[int, str] = {}
        for lay, i in self._lay:
            start = text.find(lay)
            while start >= 0:
                end = start + len(lay)
                if not any(s <= start and end <= e and e - s > end - start for s, e in taken):
                    taken.append((start, end))
                    found.setdefault(i, lay)
                    break
                start = text.find(lay, start + 1)
        return [Bridged(found[i], self.entries[i][1]) for i in sorted(found)]

    def statute_words(self, text: str) -> dict[str, float]:
        """Statute words for a text with their weights (an idea matched by several lay words counts once)."""
        out: dict[str, float] = {}
        for b in self.bridge(text):
            for w in b.statute:
                out[w] = out.get(w, 0.0) + 1.0
        return out
