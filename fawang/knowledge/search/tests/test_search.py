"""Fast tests on a small synthetic statute corpus (no Django, no shipped data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fawang.knowledge.search import Filters, SearchIndex, build_index
from fawang.knowledge.search.model import LearnedModel
from fawang.knowledge.search.segment import Segmenter, iter_spans, mine_legal_terms, normalize_title
from fawang.knowledge.search.train import train_model


def art(
    path: str,
    title: str,
    no: int,
    text: str,
    *,
    level: str = "法律",
    expired: bool = False,
    section: str = "",
) -> dict:
    return {
        "law_path": path,
        "law_title": title,
        "law_subtitle": None,
        "expired": expired,
        "level": level,
        "section": section,
        "article": f"第{'一二三四五六七八九十'[no - 1]}条",
        "article_no": no,
        "seq": no,
        "text": text,
    }


CORPUS = [
    art(
        "法律/劳动合同法.md",
        "中华人民共和国劳动合同法",
        1,
        "用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬。",
        section="第三章 劳动合同的履行和变更",
    ),
    art(
        "法律/劳动合同法.md",
        "中华人民共和国劳动合同法",
        2,
        "用人单位未及时足额支付劳动报酬的，劳动者可以解除劳动合同，用人单位应当支付经济补偿。",
    ),
    art(
        "法律/劳动合同法.md",
        "中华人民共和国劳动合同法",
        3,
        "本法所称经济补偿，是指用人单位解除劳动合同时依法支付给劳动者的补偿金。",
    ),
    art(
        "行政法规/法律援助条例.md",
        "法律援助条例",
        1,
        "公民可以向法律援助中心申请法律援助。法律援助中心应当及时审查。",
        level="行政法规",
    ),
    art(
        "行政法规/法律援助条例.md",
        "法律援助条例",
        2,
        "法律援助中心对符合条件的申请人指派律师提供法律援助。",
        level="行政法规",
    ),
    art(
        "法律/道路交通安全法(2011).md",
        "中华人民共和国道路交通安全法",
        1,
        "机动车驾驶人饮酒后驾驶机动车的，处暂扣驾驶证，并处罚款。",
        expired=True,
    ),
    art(
        "法律/道路交通安全法(2021).md",
        "中华人民共和国道路交通安全法",
        1,
        "机动车驾驶人饮酒后驾驶机动车的，处暂扣六个月机动车驾驶证，并处罚款。",
    ),
    art(
        "DLC/上海地方法规/上海市法律援助若干规定.md",
        "上海市法律援助若干规定",
        1,
        "本市法律援助中心受理公民的法律援助申请。",
        level="地方性法规",
    ),
    art("案例/某案.md", "某案例", 1, "法律援助中心 劳动报酬 案例正文。", level="案例"),
    art("法律/民法典.md", "中华人民共和国民法典", 1, "自然人的民事权利能力一律平等。"),
    art("法律/民法典.md", "中华人民共和国民法典", 2, "借款人应当按照约定的期限返还借款。"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    out: Path = tmp_path_factory.mktemp("idx")
    build_index(CORPUS, out, min_compound_freq=2)
    return SearchIndex.load(out)


def test_normalize_title() -> None:
    assert normalize_title("《中华人民共和国劳动合同法（2012修正）》") == "劳动合同法(2012修正)"


def test_segmenter_keeps_legal_terms() -> None:
    terms = mine_legal_terms(CORPUS, min_compound_freq=2)
    assert "法律援助中心" in terms  # frequent compound 法律援助 + 中心
    assert "经济补偿" in terms  # defined term: 本法所称经济补偿，是指
    seg = Segmenter(terms)
    assert "法律援助中心" in seg.cut("我想去法律援助中心申请帮助")
    words = seg.words("我想去法律援助中心申请帮助")
    assert "法律援助中心" in words and "法律援助" in words  # compound and its part both indexed
    assert "我" not in words


def test_case_documents_are_not_indexed(index: SearchIndex) -> None:
    assert len(index) == len(CORPUS) - 1
    assert all(not p.startswith("案例/") for p in index.law_path)


def test_filters(index: SearchIndex) -> None:
    national = index.search("法律援助中心", k=10, filters=Filters(national=True))
    assert national and all(not h.law_path.startswith("DLC/") for h in national)
    local = index.search("法律援助中心", k=10, filters=Filters(national=False))
    assert [h.law_path for h in local] == ["DLC/上海地方法规/上海市法律援助若干规定.md"]
    levels = index.search("法律援助", k=10, filters=Filters(levels=frozenset({"行政法规"})))
    assert levels and all(h.law_title == "法律援助条例" for h in levels)
    current = index.search("饮酒 驾驶", k=10, filters=Filters(include_expired=False), collapse_versions=False)
    assert [h.law_path for h in current] == ["法律/道路交通安全法(2021).md"]
    both = index.search("饮酒 驾驶", k=10, collapse_versions=False)
    assert len(both) == 2
    collapsed = index.search("饮酒 驾驶", k=10)
    assert len(collapsed) == 1  # same provision in two versions counts once


def test_title_only_mode(index: SearchIndex) -> None:
    hits = index.search("劳动合同法", k=5, filters=Filters(title_only=True))
    assert hits[0].law_title == "中华人民共和国劳动合同法"
    assert len({h.law_path for h in hits}) == len(hits)  # one hit per law
    assert all("劳动" in h.law_title or "合同" in h.law_title for h in hits)


def test_highlight_spans(index: SearchIndex) -> None:
    hit = index.search("法律援助中心怎么申请", k=1, filters=Filters(national=True))[0]
    text = index.text(hit.doc)
    assert hit.spans and "法律援助中心" in hit.terms
    assert any(text[s:e] == "法律援助中心" for s, e in hit.spans)
    assert list(iter_spans("甲乙丙丁甲乙", ["甲乙", "乙丙"])) == [(0, 3), (4, 6)]


def test_hits_explained_later_say_what_a_highlighted_search_says(index: SearchIndex) -> None:
    """The search page asks for a hundred hits without highlights and explains only the ten it shows."""
    query = "用人单位拖欠劳动报酬 解除劳动合同 经济补偿"
    shown = index.search(query, k=10)
    plain = index.search(index.parse(query), k=10, highlight=False)
    assert [h.key for h in plain] == [h.key for h in shown] and len(shown) >= 2
    assert all(not h.terms and not h.spans for h in plain)
    q = index.parse(query)
    for h in reversed(plain):  # one at a time, in any order
        index.explain(q, [h])
    assert [(h.terms, h.spans, h.bridges) for h in plain] == [(h.terms, h.spans, h.bridges) for h in shown]
    assert any(h.spans for h in plain)


def test_lay_query_found_through_learned_expansion(index: SearchIndex) -> None:
    lay = "老板拖欠工资不给钱怎么办"
    target = ("劳动合同法", "第一条")
    before = [h.provision for h in index.search(lay, k=1)]
    assert target not in before  # lexically, 工资 / 老板 share nothing with 劳动报酬 / 用人单位
    rows = (
        [
            {
                "qid": i,
                "question": q,
                "keywords": "拖欠工资",
                "answer": "用人单位应当及时足额支付劳动报酬。",
                "gold": [target],
            }
            for i, q in enumerate(
                [
                    "公司拖欠工资怎么办",
                    "老板不发工资",
                    "工资被拖欠了三个月",
                    "单位一直拖欠工资不给",
                    "拖欠工资可以去哪里投诉",
                    "老板欠钱不给工资",
                ]
            )
        ]
        + [
            {
                "qid": 10 + i,
                "question": q,
                "keywords": "借款",
                "answer": "借款人应当按照约定的期限返还借款。",
                "gold": [("民法典", "第二条")],
            }
            for i, q in enumerate(
                ["朋友借钱不还怎么办", "借给别人的钱要不回来", "欠款到期不还", "借条到期了对方不还钱"]
            )
        ]
        + [
            {
                "qid": 20 + i,
                "question": q,
                "keywords": "法律援助",
                "answer": "可以向法律援助中心申请法律援助。",
                "gold": [("法律援助条例", "第一条")],
            }
            for i, q in enumerate(
                [
                    "请不起律师怎么办",
                    "没钱请律师",
                    "哪里可以免费请律师",
                    "免费律师怎么申请",
                    "家里困难打官司请律师",
                    "穷人打官司找谁帮忙",
                ]
            )
        ]
    )
    model = train_model(index, rows, inner_folds=2)
    index.attach(model)
    try:
        hits = index.search(lay, k=3)
        keys = [h.provision for h in hits]
        assert keys[0] == target
        expansion = model.expand(index.segmenter.words("拖欠工资"))
        assert expansion and all(w in CORPUS[0]["text"] + rows[0]["answer"] for w in expansion)
    finally:
        index.attach(None)


def test_model_roundtrip(index: SearchIndex, tmp_path: Path) -> None:
    rows = [
        {
            "qid": 1,
            "question": "借钱不还",
            "keywords": "",
            "answer": "借款人应当按期返还借款。",
            "gold": [("民法典", "第二条")],
        }
    ] * 3
    model = train_model(index, rows, inner_folds=3)
    model.save(tmp_path)
    again = LearnedModel.load(tmp_path)
    assert again.art_counts == model.art_counts
    assert again.weights == model.weights


def test_past_questions_are_searched_with_the_bridged_statute_words(index: SearchIndex) -> None:
    """A lay question that shares no word with a past question still meets it through the lexicon: 工钱 bridges to
    劳动报酬, which the past question (and its bag) says."""
    rows = [
        {
            "qid": 1,
            "question": "用人单位不支付劳动报酬",
            "keywords": "",
            "answer": "",
            "gold": [("劳动合同法", "第一条")],
        }
    ] * 2
    model = train_model(index, rows, inner_folds=2)
    assert model.params.get("bridge_in_bags")
    query = index.parse("东家不给工钱")
    assert "劳动报酬" in query.bridge_words
    index.attach(model)
    try:
        feats = model.features(index, query)
        target = [
            i
            for i in range(len(index))
            if index.provision_keys[int(index.provision[i])] == ("劳动合同法", "第一条")
        ]
        assert feats["e"][target].max() > 0  # the expansion bag of the cited article
        assert feats["n"][target].max() > 0  # the past question's vote
        model.params["bridge_in_bags"] = 0.0
        plain = model.features(index, query)
        assert plain.get("n") is None or plain["n"][target].max() == 0
    finally:
        model.params["bridge_in_bags"] = 1.0
        index.attach(None)


def test_reranker_tells_everyday_questions_from_doctrinal_ones(index: SearchIndex, tmp_path: Path) -> None:
    """Trained on questions of both styles, the model says how everyday a new question sounds (p_everyday), keeps it
    through save and load, and the reranker has weights for its signals gated by it."""
    doctrinal = ["借款合同的诉讼时效如何计算", "用人单位解除劳动合同的经济补偿标准", "租赁合同的法定解除条件"]
    everyday = ["借钱不还咋办啊", "老板不给工钱咋办啊", "房东不退押金咋办啊"]
    rows = [
        {"qid": i, "question": q, "keywords": "", "answer": "", "gold": [("民法典", "第二条")], "source": src}
        for i, (q, src) in enumerate([(q, "stard") for q in doctrinal] + [(q, "everyday") for q in everyday])
    ]
    model = train_model(index, rows, inner_folds=2)
    assert any(name.endswith("*p_everyday") for name in model.weights)
    model.save(tmp_path)
    again = LearnedModel.load(tmp_path)
    index.attach(again)
    try:
        lay = again.features(index, index.parse("朋友借钱不还咋办啊"))["p_everyday"]
        legal = again.features(index, index.parse("民间借贷合同的诉讼时效如何计算"))["p_everyday"]
        assert lay.max() == lay.min()  # one value per question, the same for every article
        assert lay[0] > 0.5 > legal[0]
    finally:
        index.attach(None)
    one_style = train_model(index, [r for r in rows if r["source"] == "stard"], inner_folds=2)
    assert one_style.style == {}
