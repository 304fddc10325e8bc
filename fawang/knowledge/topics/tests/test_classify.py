import json
import threading
from pathlib import Path

import numpy as np
import pytest

from fawang.knowledge.topics import CODES, NAMES, classify, get_model
from fawang.knowledge.topics.model import DEFAULT_MODEL_DIR
from fawang.knowledge.topics.rules import LEXICON, lexicon_hits


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("我和老公要离婚，孩子的抚养权归谁？", "family"),
        ("父亲去世没有留遗嘱，遗产怎么分？", "family"),
        ("公司拖欠工资三个月不发怎么办？", "labour"),
        ("上班时受伤了，单位不给认定工伤", "labour"),
        ("开车撞车了，对方全责，怎么索赔？", "traffic"),
        ("朋友借钱不还，我有借条，怎么起诉他？", "debt"),
        ("我弟弟因为盗窃被警察抓了，会判几年？", "criminal"),
        ("两艘船舶碰撞造成货物损失，船东要怎么赔？", "maritime"),
        ("被邻居家的狗咬伤了，狗主人要赔医药费吗？", "injury"),
        ("医院手术失误导致残疾，算医疗事故吗？", "medical"),
        ("我家房子被强拆了，拆迁补偿太低怎么办？", "demolition"),
        ("别人抄袭我的作品发到网上，侵犯著作权怎么办？", "ip"),
        ("业主拒交物业费，物业公司能停水停电吗？", "property"),
        ("包工头拖欠工程款，施工队怎么要回来？", "construction"),
        ("公司股东不按期出资，其他股东怎么办？", "company"),
        ("对公安局的行政处罚不服，可以提起行政诉讼吗？", "administrative"),
        ("在网上买到假货，商家不给退款怎么办？", "consumer"),
        ("房子已经抵押给银行了，还能再抵押吗？", "security"),
    ],
)
def test_classic_examples(text: str, code: str) -> None:
    result = classify(text)
    assert result.code == code, (text, result)
    assert result.name == NAMES[code]


@pytest.mark.parametrize("text", ["", "   ", "asdfgh qwerty", "嗯嗯嗯嗯", "12345"])
def test_gibberish_falls_back_to_general(text: str) -> None:
    result = classify(text)
    assert (result.code, result.name) == ("general", "综合咨询")


def test_result_shape() -> None:
    result = classify("老板拖欠工资不给怎么办")
    assert set(result.scores) == set(CODES)
    assert abs(sum(result.scores.values()) - 1) < 1e-3
    assert 0 <= result.confidence <= 1
    assert result.confidence == max(result.scores.values())


def test_model_loads_once_and_is_thread_safe() -> None:
    results = []

    def work() -> None:
        results.append((id(get_model()), classify("离婚后孩子抚养费怎么算").code))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1
    assert results[0][1] == "family"


def test_shipped_model_is_small() -> None:
    size = sum(p.stat().st_size for p in Path(DEFAULT_MODEL_DIR).iterdir())
    assert size < 2 * 1024 * 1024


def _sample_texts() -> list[str]:
    """Questions of the labelled set (every 7th, a few hundred), plus edge cases."""
    path = Path(DEFAULT_MODEL_DIR).parents[3] / "data" / "topics" / "labelled.jsonl"
    with open(path, encoding="utf-8") as f:
        questions = [json.loads(line)["question"] for line in f]
    return [*questions[::7], "", "   ", "12345", "老公老公离婚", "4S店修车被坑"]


def test_one_text_logits_are_the_batch_logits_to_the_last_bit() -> None:
    """classify() of one question adds the weight rows itself; the sparse product of the batch path (train,
    evaluation) gives the same numbers, so a question's topic and confidence do not depend on the path."""
    model = get_model()
    texts = _sample_texts()
    assert len(texts) > 300
    for text in texts:
        batch, known = model._logits([text], True)
        one, one_known = model._logits_one(text)
        assert np.array_equal(batch[0], one), text
        assert bool(known[0]) == one_known, text
        p, _known = model.probabilities([text])
        result = classify(text)
        assert result.scores == {c: round(float(v), 4) for c, v in zip(CODES, p[0], strict=True)}, text
    assert model.predict(texts) == [classify(t).code for t in texts]


def test_lexicon_hits_counts_every_listed_word_in_the_text() -> None:
    texts = _sample_texts()
    for text in texts:
        expected = {}
        for topic, words in LEXICON.items():
            n = sum(1 for w in words if w in text)
            if n:
                expected[topic] = n
        hits = lexicon_hits(text)
        assert list(hits.items()) == list(expected.items()), text
    # A word listed twice for a topic counts twice, as it always has.
    assert LEXICON["family"].count("老公") == 2
    assert lexicon_hits("老公") == {"family": 2}
