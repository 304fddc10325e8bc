"""Write the topic corrections staff made (更正领域) as JSON lines {"question", "topic"} for retraining the
topic classifier (fawang.knowledge.topics). The topic is the Speciality name, as in data/topics/."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fawang.orgs.models import Speciality

from ...models import MatterEvent


class Command(BaseCommand):
    help = '导出工作人员对咨询所涉领域的更正，每行一个 JSON：{"question": 事项描述, "topic": 领域名称}，用于重新训练分类模型。'

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", default="-", help="输出文件（默认标准输出）")
        parser.add_argument(
            "--all-events",
            action="store_true",
            help="同一事项多次更正时输出每一次（默认只输出最后一次更正）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = dict(Speciality.objects.values_list("code", "name"))
        events = (
            MatterEvent.objects.filter(action=MatterEvent.Action.TOPIC)
            .select_related("matter")
            .order_by("created_at", "pk")
        )
        latest: dict[int, tuple[str, str]] = {}
        lines: list[tuple[str, str]] = []
        for e in events.iterator(chunk_size=2000):
            code = (e.payload or {}).get("new_topic", "")
            question = " ".join(e.matter.description.split())
            if not code or code not in names or not question:
                continue
            if options["all_events"]:
                lines.append((question, names[code]))
            else:
                latest[e.matter_id] = (question, names[code])
        rows = lines if options["all_events"] else list(latest.values())
        text = "".join(json.dumps({"question": q, "topic": t}, ensure_ascii=False) + "\n" for q, t in rows)
        if options["output"] == "-":
            self.stdout.write(text, ending="")
        else:
            with open(options["output"], "w", encoding="utf-8") as f:
                f.write(text)
        self.stderr.write(f"已导出 {len(rows)} 条领域更正。")
