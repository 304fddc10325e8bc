import io
import json

from fawang.knowledge.topics.command import classify_lines


def test_it_adds_the_topic_and_keeps_other_keys() -> None:
    lines = [
        json.dumps({"question": "公司拖欠工资三个月不发怎么办？", "id": 7}, ensure_ascii=False),
        json.dumps({"question": "两艘船舶碰撞造成货物损失，船东要怎么赔？"}, ensure_ascii=False),
    ]
    out, err = io.StringIO(), io.StringIO()
    assert classify_lines(lines, out, err) == 0
    assert [json.loads(x) for x in out.getvalue().splitlines()] == [
        {"question": "公司拖欠工资三个月不发怎么办？", "id": 7, "topic": "劳动纠纷"},
        {"question": "两艘船舶碰撞造成货物损失，船东要怎么赔？", "topic": "海事海商"},
    ]
    assert err.getvalue() == ""


def test_it_reports_bad_lines_and_keeps_the_good_ones() -> None:
    lines = [
        '{"question": "朋友借钱不还，我有借条，怎么起诉他？"}\n',
        "\n",
        "{not json\n",
        '["question"]\n',
        '{"question": ""}\n',
        '{"text": "离婚"}\n',
        '{"question": "我和老公要离婚，孩子的抚养权归谁？"}\n',
    ]
    out, err = io.StringIO(), io.StringIO()
    assert classify_lines(lines, out, err) == 5
    assert [json.loads(x)["topic"] for x in out.getvalue().splitlines()] == ["债权债务", "婚姻家庭"]
    assert err.getvalue().splitlines() == [
        "第 2 行：空行，已跳过",
        "第 3 行：不是有效的 JSON（Expecting property name enclosed in double quotes，第 2 列），已跳过",
        '第 4 行：应为 JSON 对象，例如 {"question": "..."}，已跳过',
        "第 5 行：缺少非空的 question 字段，已跳过",
        "第 6 行：缺少非空的 question 字段，已跳过",
    ]


def test_it_writes_one_line_per_input_in_order() -> None:
    lines = [json.dumps({"question": q}, ensure_ascii=False) for q in ["撞车了怎么办", "asdf", "借钱不还"]]
    out, err = io.StringIO(), io.StringIO()
    assert classify_lines(lines, out, err) == 0
    assert [json.loads(x)["question"] for x in out.getvalue().splitlines()] == [
        "撞车了怎么办",
        "asdf",
        "借钱不还",
    ]
    assert json.loads(out.getvalue().splitlines()[1])["topic"] == "综合咨询"
