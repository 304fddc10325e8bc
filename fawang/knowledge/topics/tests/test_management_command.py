import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.skipif(
    not apps.is_installed("fawang.knowledge"), reason="the knowledge app is not registered"
)


def test_classify_topics_command(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text(
        '{"question": "公司拖欠工资三个月不发怎么办？", "id": 1}\n\n{"question": "两艘船舶碰撞造成货物损失，船东要怎么赔？"}\n',
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="有 1 行无效，已跳过；其余各行已输出"):
        call_command("classify_topics", str(f), stdout=out, stderr=err)
    assert [json.loads(x) for x in out.getvalue().splitlines()] == [
        {"question": "公司拖欠工资三个月不发怎么办？", "id": 1, "topic": "劳动纠纷"},
        {"question": "两艘船舶碰撞造成货物损失，船东要怎么赔？", "topic": "海事海商"},
    ]
    assert err.getvalue() == "第 2 行：空行，已跳过\n"


def test_classify_topics_command_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到输入文件"):
        call_command("classify_topics", str(tmp_path / "nope.jsonl"), stdout=io.StringIO())
