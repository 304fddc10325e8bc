import importlib
import json
from pathlib import Path

from fawang.knowledge.topics.dataset import build_dataset, question_label, write_jsonl
from fawang.knowledge.topics.rules import lexicon_topic, statute_topic
from fawang.knowledge.topics.taxonomy import TOPICS


def test_taxonomy_matches_the_speciality_seed() -> None:
    seed = importlib.import_module("fawang.orgs.migrations.0002_seed_functions_and_specialities")
    assert seed.SPECIALITIES == TOPICS


def test_statute_rules() -> None:
    assert statute_topic("中华人民共和国民法典", 1079, "第四章  离婚") == "family"
    assert statute_topic("中华人民共和国民法典", 1127, "第二章  法定继承") == "family"
    assert statute_topic("中华人民共和国民法典", 667, "第二分编  典型合同 / 第十二章  借款合同") == "debt"
    assert (
        statute_topic(
            "中华人民共和国民法典", 681, "第二分编  典型合同 / 第十三章  保证合同 / 第一节  一般规定"
        )
        == "security"
    )
    assert statute_topic("中华人民共和国民法典", 595, "第二分编  典型合同 / 第九章  买卖合同") == "contract"
    assert statute_topic("中华人民共和国民法典", 1208, "第五章  机动车交通事故责任") == "traffic"
    assert (
        statute_topic(
            "中华人民共和国民法典", 394, "第四分编  担保物权 / 第十七章  抵押权 / 第一节  一般抵押权"
        )
        == "security"
    )
    assert statute_topic("中华人民共和国民法典", 288, "第二分编  所有权 / 第七章  相邻关系") == "property"
    assert statute_topic("中华人民共和国民法典", 133, "第六章  民事法律行为 / 第一节  一般规定") == "general"
    assert statute_topic("中华人民共和国劳动合同法", 47, "") == "labour"
    assert statute_topic("中华人民共和国道路交通安全法", 76, "") == "traffic"
    assert statute_topic("中华人民共和国刑法", 264, "") == "criminal"
    assert (
        statute_topic("最高人民法院关于审理未成年人刑事案件具体应用法律若干问题的解释", 1, "") == "criminal"
    )
    assert statute_topic("中华人民共和国海商法", 165, "") == "maritime"
    assert (
        statute_topic("最高人民法院关于适用《中华人民共和国民法典》有关担保制度的解释", 1, "") == "security"
    )
    assert statute_topic("中华人民共和国民事诉讼法", 22, "") == "general"


def test_question_label_votes_and_refines() -> None:
    assert question_label(["labour", "labour", "general"], "试用期被辞退") == ("labour", "statute")
    # a tie prefers the specific topic over 综合咨询
    assert question_label(["general", "contract"], "这种约定有效吗") == ("contract", "statute")
    # broad topics are narrowed by the question's own words, specific ones are not
    assert question_label(["tort"], "开车追尾撞伤行人怎么赔") == ("traffic", "statute+lexicon")
    assert question_label(["labour"], "开车追尾撞伤行人怎么赔") == ("labour", "statute")
    assert question_label([], "船舶碰撞") == ("maritime", "none+lexicon")
    assert question_label([], "你好") == ("general", "none")


def test_lexicon_topic() -> None:
    assert lexicon_topic("离婚后孩子抚养权归谁") == "family"
    assert lexicon_topic("今天天气不错") is None


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def test_build_dataset_is_deterministic(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    articles = tmp_path / "a.jsonl"
    _write(
        questions,
        [
            {
                "qid": 1,
                "question": "离婚后孩子归谁？",
                "relevant": [{"law": "中华人民共和国民法典", "article": "第一千零八十四条"}],
                "keywords": "抚养",
            },
            {
                "qid": 2,
                "question": "单位不签劳动合同怎么办？",
                "relevant": [{"law": "中华人民共和国劳动合同法", "article": "第八十二条"}],
            },
            {
                "qid": 3,
                "question": "这种情况怎么办？",
                "relevant": [{"law": "不存在的法", "article": "第一条"}],
            },
        ],
    )
    _write(
        articles,
        [
            {
                "law_path": "民法典/婚姻家庭编.md",
                "law_title": "中华人民共和国民法典",
                "article": "第一千零八十四条",
                "article_no": 1084,
                "seq": 1,
                "section": "第四章  离婚",
                "level": "法律",
                "expired": False,
                "text": "父母与子女间的关系，不因父母离婚而消除。",
            },
            {
                "law_path": "社会法/劳动合同法(2012-12-28).md",
                "law_title": "中华人民共和国劳动合同法",
                "article": "第八十二条",
                "article_no": 82,
                "seq": 1,
                "section": "第七章  法律责任",
                "level": "法律",
                "expired": False,
                "text": "用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资。",
            },
            {
                "law_path": "社会法/劳动合同法(2007-06-29).md",
                "law_title": "中华人民共和国劳动合同法",
                "article": "第八十二条",
                "article_no": 82,
                "seq": 1,
                "section": "",
                "level": "法律",
                "expired": True,
                "text": "旧版本",
            },
        ],
    )
    rows = build_dataset(questions, articles)
    again = build_dataset(questions, articles)
    assert rows == again
    assert [(r["kind"], r.get("qid"), r["topic"], r["source"]) for r in rows] == [
        ("question", 1, "family", "statute"),
        ("question", 2, "labour", "statute"),
        ("question", 3, "general", "statute"),  # unknown statute: the catch-all rule
        ("statute", None, "family", "statute-text"),
        ("statute", None, "labour", "statute-text"),
    ]
    assert rows[4]["question"].startswith("用人单位自用工之日起")  # the current version, not the expired one
    a, b = tmp_path / "a.out", tmp_path / "b.out"
    write_jsonl(rows, a)
    write_jsonl(again, b)
    assert a.read_bytes() == b.read_bytes()
