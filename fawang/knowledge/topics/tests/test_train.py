import io
from pathlib import Path

from fawang.knowledge.topics.model import TopicModel
from fawang.knowledge.topics.train import cross_validate, folds, main, scores, train

TINY = [
    {"kind": "question", "question": "离婚后孩子抚养权归谁", "topic": "family", "source": "statute"},
    {"kind": "question", "question": "夫妻离婚财产怎么分", "topic": "family", "source": "statute"},
    {"kind": "question", "question": "老公要离婚孩子跟谁", "topic": "family", "source": "statute"},
    {"kind": "question", "question": "公司拖欠工资怎么办", "topic": "labour", "source": "statute"},
    {"kind": "question", "question": "单位拖欠工资不发", "topic": "labour", "source": "statute"},
    {"kind": "question", "question": "老板拖欠工资三个月", "topic": "labour", "source": "statute"},
    {
        "kind": "statute",
        "question": "用人单位应当按时足额支付劳动报酬",
        "topic": "labour",
        "source": "statute-text",
    },
]


def test_train_on_a_tiny_set_and_round_trip(tmp_path: Path) -> None:
    model = train(TINY, {"min_df": 1})
    assert model.predict(["离婚孩子", "拖欠工资"], use_lexicon=False, fallback=False) == ["family", "labour"]
    model.save(tmp_path / "m1")
    loaded = TopicModel.load(tmp_path / "m1")
    assert loaded.vocab == model.vocab
    assert loaded.classify("拖欠工资").code == "labour"
    # retraining on the same rows gives byte-identical files
    train(TINY, {"min_df": 1}).save(tmp_path / "m2")
    for name in ("weights.npy", "meta.json"):
        assert (tmp_path / "m1" / name).read_bytes() == (tmp_path / "m2" / name).read_bytes()


def test_folds_are_stratified_and_fixed() -> None:
    labels = ["a"] * 10 + ["b"] * 5
    f = folds(labels, k=5)
    assert f == folds(labels, k=5)
    assert sorted(f[:10]) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert sorted(f[10:]) == [0, 1, 2, 3, 4]


def test_scores() -> None:
    assert scores(["a", "a", "b"], ["a", "b", "b"]) == {"accuracy": 0.6667, "macro_f1": 0.6667, "n": 3}


def test_cross_validate_reports_baselines() -> None:
    result, oof = cross_validate(TINY, {"min_df": 1}, k=3)
    assert set(result) >= {"majority", "lexicon", "model", "model+lexicon"}
    assert result["majority"]["n"] == 6
    assert len(oof) == 1  # the tiny rows have no qid


def test_cli_builds_trains_and_writes(tmp_path: Path) -> None:
    import json

    q = tmp_path / "q.jsonl"
    q.write_text(
        "\n".join(
            json.dumps(
                {"qid": i, "question": t, "relevant": [{"law": law, "article": "第一条"}]}, ensure_ascii=False
            )
            for i, (t, law) in enumerate(
                [
                    ("离婚孩子归谁", "婚姻法"),
                    ("离婚财产分割", "婚姻法"),
                    ("拖欠工资", "劳动法"),
                    ("加班工资", "劳动法"),
                ]
            )
        )
        + "\n",
        encoding="utf-8",
    )
    a = tmp_path / "a.jsonl"
    a.write_text("", encoding="utf-8")
    lines = io.StringIO()
    code = main(
        [
            "--questions",
            str(q),
            "--articles",
            str(a),
            "--data-out",
            str(tmp_path / "l.jsonl"),
            "--model-dir",
            str(tmp_path / "m"),
        ],
        out=lambda s: lines.write(s + "\n"),
    )
    assert code == 0
    assert (tmp_path / "m" / "weights.npy").exists()
    assert len((tmp_path / "l.jsonl").read_text(encoding="utf-8").splitlines()) == 4


def test_balanced_priors_give_every_topic_the_same_weight() -> None:
    import numpy as np

    from fawang.knowledge.topics.taxonomy import CODES
    from fawang.knowledge.topics.train import class_balance

    y = np.array([CODES.index("contract")] * 6 + [CODES.index("injury")] * 2)
    factor = class_balance(y, np.ones(len(y)), 1.0)
    assert np.isclose(factor[:6].sum(), factor[6:].sum())
    assert np.allclose(class_balance(y, np.ones(len(y)), 0.0), 1.0)


def test_temperature_is_fitted_on_held_out_logits() -> None:
    import numpy as np

    from fawang.knowledge.topics.train import fit_temperature

    # Over-confident logits (right two times in three) want a temperature above 1; well-separated right ones,
    # below 1.
    z = np.array([[8.0, 0.0], [8.0, 0.0], [8.0, 0.0]])
    assert fit_temperature(z, np.array([0, 0, 1])) > 1.0
    assert fit_temperature(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 1])) < 1.0


def test_an_unsure_answer_routes_to_a_person() -> None:
    model = train(TINY, {"min_df": 1})
    model.threshold = 1.01  # nothing is that sure
    result = model.classify("离婚孩子")
    assert (result.code, result.name, result.uncertain) == ("general", "综合咨询", True)
    assert (
        max(result.scores, key=lambda c: result.scores[c]) == "family"
    )  # what it hesitated over is still there
    model.threshold = 0.0
    assert model.classify("离婚孩子").uncertain is False


def test_everyday_evaluation_reports_a_confusion_matrix() -> None:
    from fawang.knowledge.topics.train import confusion_markdown, evaluate_labelled

    model = train(TINY, {"min_df": 1})
    rows = [
        {"question": "离婚孩子归谁", "topic": "婚姻家庭"},
        {"question": "老板拖欠工资", "topic": "劳动纠纷"},
        {"question": "孩子抚养", "topic": "劳动纠纷"},
    ]
    result = evaluate_labelled(model, rows)
    assert result["accuracy"] == 0.6667
    assert result["recall"] == {"婚姻家庭": 1.0, "劳动纠纷": 0.5}
    assert result["confusion"] == {"婚姻家庭": {"婚姻家庭": 1}, "劳动纠纷": {"劳动纠纷": 1, "婚姻家庭": 1}}
    table = confusion_markdown(result)
    assert table.splitlines()[0] == "| 标注 \\ 判定 | 婚姻家庭 | 劳动纠纷 | 召回 |"
    assert "| 劳动纠纷 | 1 | 1 | 0.50 |" in table
