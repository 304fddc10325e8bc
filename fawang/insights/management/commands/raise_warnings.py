"""``manage.py raise_warnings``: test every district/county now and raise the warnings the figures call for (the
scheduler does it hourly; this is for cron, a demo and tests)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fawang.insights import rollup, warnings


class Command(BaseCommand):
    help = "立即分析热点与按时办结率、满意率变化，向所在地区的监督管理员发出风险预警。"

    def handle(self, *args: Any, **options: Any) -> None:
        rollup.refresh_changed()
        raised = warnings.raise_warnings()
        for w in raised:
            self.stdout.write(f"{w.region.full_name}：{w.title}")
        self.stdout.write(f"共发出 {len(raised)} 条风险预警。")
