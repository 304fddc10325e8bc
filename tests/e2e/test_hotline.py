"""Issue 16, the 12348 hotline, end to end: the call simulator rings the city centre's telephone system; the
agent's desk pops the call within 2 s; the agent takes it in and hands it over to 12345 with their ticket number
(our clock stops); when the same number rings again the desk shows that matter; 12345's system posts its outcome
through the signed API, which completes the matter; a missed call becomes a callback the agent completes from the
desk."""

from __future__ import annotations

import json
import re
import subprocess
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Site, new_page, sign_in
from .test_matter_flow import act

pytestmark = pytest.mark.browser

CALLER = "13912340016"
MASKED = "139****0016"
OTHER = "13812340017"


def simulate(site: Site, *args: str) -> None:
    try:
        site.manage("simulate_calls", "--url", site.url, *args)
    except subprocess.CalledProcessError as exc:
        raise AssertionError(f"simulate_calls {args}: {exc.stdout}\n{exc.stderr}") from exc


def test_a_call_pops_is_taken_in_and_a_missed_call_is_rung_back(site: Site, browser: Any) -> None:
    agent = new_page(browser)
    sign_in(agent, site, "xm_agent")
    agent.goto(f"{site.url}/console/hotline/desk/")
    agent.get_by_label("分机号").fill("8001")
    agent.get_by_role("button", name="签入坐席").click()
    expect(agent.get_by_text("已签入分机 8001。")).to_be_visible()
    pop = agent.locator("#screen-pop")
    expect(pop).to_contain_text("暂无来电")

    # 1. The first call rings: the desk shows it within 2 s, the number masked.
    simulate(site, "--event", "newCall", "--call-id", "e2e-1", "--from", CALLER)
    expect(pop).to_contain_text(MASKED, timeout=2000)
    expect(pop).to_contain_text("首次来电")
    assert CALLER not in agent.content()
    simulate(site, "--event", "answer", "--call-id", "e2e-1", "--extension", "8001")
    expect(pop).to_contain_text("通话中", timeout=2000)

    # 2. One click starts the intake with the number filled in; the agent registers a consultation.
    pop.get_by_role("link", name="受理登记").click()
    expect(agent.get_by_label("联系电话", exact=True)).to_have_value(CALLER)
    agent.get_by_label(re.compile("^姓名")).fill("吴秀兰")
    for level, name in (
        ("县（市、区）", "思明区"),
        ("乡镇（街道）", "厦港街道"),
    ):  # from the centre's city down
        agent.get_by_label(level, exact=True).select_option(label=name)
        agent.wait_for_function("() => document.querySelector('.htmx-request') === null")
    agent.get_by_role("combobox", name=re.compile("^服务事项")).select_option(label="法律咨询")
    agent.get_by_role("textbox", name=re.compile("^事项描述")).fill("房东不退押金，想咨询怎么办。")
    agent.get_by_role("button", name="提交受理").click()
    expect(agent.get_by_text(re.compile("已受理，受理编号 FW"))).to_be_visible()
    tracking_no = re.search(r"FW\w+", agent.get_by_text(re.compile("已受理，受理编号")).inner_text())
    assert tracking_no
    simulate(site, "--event", "hangup", "--call-id", "e2e-1", "--extension", "8001")

    # 3. It is the city's business (a deposit dispute goes to 12345's housing team): handed over, ticket recorded.
    agent.get_by_role("link", name=tracking_no.group(0)).first.click()
    act(
        agent,
        "transfer",
        {"转至机构": "厦门市12345 政务服务便民热线", "转办理由": "押金纠纷属住房租赁管理，转 12345。"},
    )
    agent.get_by_label("外部工单号").fill("XM12345-2026-0416")
    agent.get_by_role("button", name="登记外部热线反馈").click()
    expect(agent.get_by_text("工单号 XM12345-2026-0416")).to_be_visible()
    expect(agent.get_by_text("等待外部热线办理结果（本平台不再计时）")).to_be_visible()

    # 4. Wrap-up at the desk.
    agent.goto(f"{site.url}/console/hotline/desk/")
    expect(pop.get_by_role("button", name="保存小结")).to_be_visible(timeout=2000)
    pop.get_by_label(re.compile("^小结类型")).select_option(label="登记事项")
    pop.get_by_role("button", name="保存小结").click()
    expect(pop).to_contain_text("暂无来电", timeout=2000)

    # 5. The same number rings again: the desk shows the earlier matter and the repeat-caller warning.
    simulate(site, "--event", "newCall", "--call-id", "e2e-2", "--from", CALLER)
    expect(pop).to_contain_text(tracking_no.group(0), timeout=2000)
    expect(pop).to_contain_text("重复来电")
    simulate(site, "--event", "hangup", "--call-id", "e2e-2", "--cause", "cancel")

    # 6. 12345's ticket system posts its outcome back: the matter is completed with their result.
    body = json.dumps(
        {"event": "outcome", "trackingNo": tracking_no.group(0), "outcome": "已协调房东退还押金。"}
    ).encode()
    request = urllib.request.Request(
        f"{site.url}/api/v1/hotline/link/demo-12345-link/",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.loads(response.read())["matterStatus"] == "completed"
    agent.goto(f"{site.url}/console/hotline/handovers/")
    expect(agent.get_by_text("没有等待外部热线反馈的转交。")).to_be_visible()

    # 7. Another caller gives up before anyone answers: a callback task for the queue. The agent rings back from
    # the desk (a click-to-dial request through the telephone system), the PBX reports the outbound call, and the
    # agent records that it reached the caller.
    simulate(site, "--event", "newCall", "--call-id", "e2e-3", "--from", OTHER)
    simulate(site, "--event", "hangup", "--call-id", "e2e-3", "--cause", "noAnswer")
    agent.goto(f"{site.url}/console/hotline/desk/")
    callbacks = agent.locator("section[aria-labelledby=cb-title]")
    row = callbacks.locator("tr", has_text="138****0017")
    expect(row).to_be_visible()
    row.get_by_role("button", name="外呼回拨").click()
    expect(agent.get_by_text(re.compile(r"第 1 次外呼：分机 8001 → 138\*\*\*\*0017"))).to_be_visible()
    dial_id = site.manage(
        "shell",
        "-c",
        "from fawang.hotline.models import CallbackAttempt; "
        "print(CallbackAttempt.objects.get(task__call__call_id='e2e-3').dial_id)",
    ).split()[-1]  # the shell prints its own line first
    simulate(site, "--event", "answer", "--call-id", dial_id, "--extension", "8001")
    expect(pop).to_contain_text("138****0017", timeout=2000)
    simulate(site, "--event", "hangup", "--call-id", dial_id)
    row = callbacks.locator("tr", has_text="138****0017")
    row.get_by_label("回拨结果").select_option(label="已接通并处理")
    row.get_by_label("回拨记录").fill("已回电，解答了合同问题。")
    row.get_by_role("button", name="登记结果").click()
    expect(agent.get_by_text("回拨已完成。")).to_be_visible()
    expect(callbacks.locator("tr", has_text="138****0017")).to_have_count(0)
    done = site.manage(
        "shell",
        "-c",
        "from fawang.hotline.models import CallbackTask; "
        "t = CallbackTask.objects.get(call__call_id='e2e-3'); a = t.tries.get(); "
        "print(t.status, t.outcome, t.done_by.username, t.attempts, a.call.direction, a.call.status)",
    )
    assert done.strip().endswith("done reached xm_agent 1 out ended"), done
