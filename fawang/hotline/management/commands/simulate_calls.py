"""Post call events to the CTI endpoint as a telephone system would, so the desk rings without a PBX.

    manage.py simulate_calls                       # 10 calls at today's rate, sped up 60×, to the demo centre
    manage.py simulate_calls --calls 50 --speed 0  # as fast as possible (events still carry their own order)
    manage.py simulate_calls --event newCall --call-id c1 --from 13912345678     # one event
    manage.py simulate_calls --event answer --call-id c1 --extension 8001
    manage.py simulate_calls --event hangup --call-id c1 --cause noAnswer

It speaks HTTP to a running site (``--url``, default http://127.0.0.1:8000), with the demo system's token unless
``--token`` is given, signing each event when ``--secret`` is given: exactly what a PBX script does.
"""

from __future__ import annotations

import json
import random
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fawang.hotline import cti, simulator
from fawang.hotline.demo import DEMO_TOKEN


class Command(BaseCommand):
    help = "向 CTI 接口推送模拟来电事件（演示和测试用，无需电话交换机）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="站点地址")
        parser.add_argument("--token", default=DEMO_TOKEN, help="电话系统的推送令牌（默认：演示中心）")
        parser.add_argument("--secret", default="", help="签名密钥（电话系统设置了签名时）")
        parser.add_argument("--calls", type=int, default=10, help="模拟来电数")
        parser.add_argument("--speed", type=float, default=60, help="时间加速倍数；0 为不等待")
        parser.add_argument("--seed", default="", help="随机种子（同一种子得到同样的来电）")
        parser.add_argument("--extensions", default="8001,8002,8003", help="坐席分机，逗号分隔")
        parser.add_argument(
            "--event", choices=["newCall", "answer", "hangup", "rating"], help="只推送一个事件"
        )
        parser.add_argument("--call-id", default="")
        parser.add_argument("--from", dest="caller", default="")
        parser.add_argument("--queue", default="法律咨询")
        parser.add_argument("--extension", default="")
        parser.add_argument("--cause", default="normalClearing")
        parser.add_argument("--digit", default="1")

    def handle(self, *args: Any, **options: Any) -> None:
        self.url = f"{options['url'].rstrip('/')}/api/v1/hotline/cti/{options['token']}/"
        self.secret = options["secret"]
        if options["event"]:
            self.post(self.single(options))
            return
        rng = random.Random(options["seed"] or None)
        extensions = [e.strip() for e in options["extensions"].split(",") if e.strip()]
        prefix = options["seed"] or uuid.uuid4().hex[:8]
        hour = timezone.localtime().hour
        sent = 0
        for step in simulator.stream(rng, options["calls"], hour, extensions, f"sim-{prefix}"):
            if options["speed"] > 0 and step.delay > 0:
                time.sleep(step.delay / options["speed"])
            self.post(step.data)
            sent += 1
        self.stdout.write(f"已推送 {sent} 个事件（{options['calls']} 通来电）。")

    def single(self, options: dict[str, Any]) -> dict[str, Any]:
        if not options["call_id"]:
            raise CommandError("推送单个事件须给出 --call-id。")
        data: dict[str, Any] = {"event": options["event"], "callId": options["call_id"]}
        if options["event"] == "newCall":
            data.update(
                {"from": options["caller"], "to": "12348", "direction": "in", "queue": options["queue"]}
            )
        elif options["event"] == "answer":
            data["answeringNumber"] = options["extension"]
        elif options["event"] == "hangup":
            data["cause"] = options["cause"]
            if options["extension"]:
                data["answeringNumber"] = options["extension"]
        else:
            data["digit"] = options["digit"]
        return data

    def post(self, data: dict[str, Any]) -> None:
        body = json.dumps(data, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if self.secret:
            stamp = str(int(time.time()))
            headers["X-Fawang-Timestamp"] = stamp
            headers["X-Fawang-Signature"] = cti.sign(self.secret, stamp, body)
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 -- the site given
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            raise CommandError(f"推送失败（HTTP {exc.code}）：{detail}") from exc
        except urllib.error.URLError as exc:
            raise CommandError(f"无法连接 {self.url}：{exc.reason}") from exc
        self.stdout.write(f"{data['event']} {data['callId']} → {answer.get('status', '')}")
