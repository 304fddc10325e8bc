"""Cache the reranker's candidate tensors of each STARD outer fold and of the everyday holdout, so that variants of
the reranker fit (question weights per source, l2, gates) can be compared without retraining.

    .venv/bin/python bench/lawsearch/rerank_cache.py --index /tmp/stard/index --out /tmp/stard/cache [--only 0 1]

For each setting (STARD fold f of 5, seed 13, trained on the other four folds and all everyday questions; and
"holdout": the everyday holdout third, trained on STARD and the dev two thirds) it saves what ``train.train_model``
fits on (inner-fold features of every training question, as ``train.train_model`` computes them) and what the
engine reranks for every measured question (first-stage candidates of the model learned from all training rows,
with the evidence mask of ``SearchIndex.retrieve``).  ``rerank_variants.py`` refits and measures on them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from fawang.knowledge.evaluation import NATIONAL, folds  # noqa: E402
from fawang.knowledge.search.data import default_everyday, default_questions, load_questions  # noqa: E402
from fawang.knowledge.search.engine import EVIDENCE, SearchIndex  # noqa: E402
from fawang.knowledge.search.model import learn_statistics  # noqa: E402
from fawang.knowledge.search.train import NAMES, _candidates  # noqa: E402


def _held(index: SearchIndex, rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What retrieve() reranks: first-stage candidates with the evidence mask folded into V."""
    X, Y, V = _candidates(index, rows)
    mask = index.mask(NATIONAL)
    for qi, r in enumerate(rows):
        feats = index.features(index.parse(r["question"]))
        cand = index.candidates(feats, mask)
        evidence = np.zeros(len(cand), dtype=bool)
        for name in EVIDENCE:
            v = feats.get(name)
            if v is not None:
                evidence |= v[cand] > 0
        V[qi, : len(cand)] &= evidence
    return X, Y, V


def cache(index: SearchIndex, train_rows: list[dict], held: list[dict], out: Path, seed: int = 13) -> None:
    """Mirror of train.train_model (random inner split, 5 inner folds) that keeps the tensors."""
    inner_folds = 5
    order = list(range(len(train_rows)))
    random.Random(seed + 1).shuffle(order)
    parts = [[train_rows[i] for i in order[f::inner_folds]] for f in range(inner_folds)]
    Xs, Ys, Vs, meta = [], [], [], []
    for f in range(inner_folds):
        rest = [r for g, p in enumerate(parts) if g != f for r in p]
        index.attach(learn_statistics(index, rest))
        X, Y, V = _candidates(index, parts[f])
        Xs.append(X)
        Ys.append(Y)
        Vs.append(V)
        meta += [
            {"qid": r["qid"], "source": r.get("source", "stard"), "n_gold": len(r["gold"]), "group": f}
            for r in parts[f]
        ]
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "X.npy", np.concatenate(Xs))
    np.save(out / "Y.npy", np.concatenate(Ys))
    np.save(out / "V.npy", np.concatenate(Vs))
    index.attach(learn_statistics(index, train_rows))
    X, Y, V = _held(index, held)
    np.save(out / "hX.npy", X)
    np.save(out / "hY.npy", Y)
    np.save(out / "hV.npy", V)
    hmeta = [{"qid": r["qid"], "source": r.get("source", "stard"), "n_gold": len(r["gold"])} for r in held]
    (out / "meta.json").write_text(json.dumps({"train": meta, "held": hmeta, "names": list(NAMES)}), "utf-8")
    index.attach(None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--only", nargs="*", default=["0", "1", "2", "3", "4", "holdout"])
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    index = SearchIndex.load(args.index)
    stard = load_questions(default_questions())
    everyday = load_questions(default_everyday())
    for r in stard:
        r.setdefault("source", "stard")
    outer = folds(stard, 5, args.seed)
    for what in args.only:
        t0 = time.process_time()
        if what == "holdout":
            held = [r for r in everyday if r.get("split") == "holdout"]
            train_rows = stard + [r for r in everyday if r.get("split") == "dev"]
        else:
            held = outer[int(what)]
            ids = {r["qid"] for r in held}
            train_rows = [r for r in stard if r["qid"] not in ids] + everyday
        cache(index, train_rows, held, args.out / what, seed=args.seed)
        print(
            f"{what}: {len(train_rows)} training, {len(held)} held, {time.process_time() - t0:.0f} s CPU",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
