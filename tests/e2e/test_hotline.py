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


DUTY_CALLER = "13612340018"
DUTY_MASKED = "136****0018"


def _shell(site: Site, code: str) -> str:
    return site.manage("shell", "-c", code).strip().splitlines()[-1]  # the shell prints its own line first


def test_a_matter_goes_to_the_duty_lawyer_and_its_callback_is_dialled_from_the_desk(
    site: Site, browser: Any
) -> None:
    # Set-up a user cannot do in this test's pages: the centre's consultant is on duty this morning (the site's
    # clock is 10:00), and the agent also works for the city bureau, whose 回访 tasks they ring.
    _shell(
        site,
        "import datetime as dt; from django.utils import timezone; "
        "from fawang.accounts.models import User; from fawang.orgs.models import Membership, Unit; "
        "from fawang.hotline.models import DutyShift; "
        "centre = Unit.objects.get(name='厦门市公共法律服务中心'); bureau = Unit.objects.get(name='厦门市司法局'); "
        "DutyShift.objects.get_or_create(unit=centre, person=User.objects.get(username='xm_consultant'), "
        "day=timezone.localdate(), slot='morning'); "
        "Membership.objects.get_or_create(user=User.objects.get(username='xm_agent'), unit=bureau, "
        "role=Membership.Role.HOTLINE_AGENT); print('ok')",
    )
    agent = new_page(browser)
    sign_in(agent, site, "xm_agent")
    agent.goto(f"{site.url}/console/hotline/desk/")
    agent.get_by_label("分机号").fill("8002")
    # The module's first test left xm_agent signed in at 8001: the same form then reads 更换分机.
    agent.get_by_role("button", name=re.compile("签入坐席|更换分机")).click()
    expect(agent.get_by_text("已签入分机 8002。")).to_be_visible()
    pop = agent.locator("#screen-pop")

    # 1. A call is taken in (a matter of the hotline), then handed to the duty lawyer from the screen pop.
    simulate(site, "--event", "newCall", "--call-id", "e2e-duty", "--from", DUTY_CALLER)
    simulate(site, "--event", "answer", "--call-id", "e2e-duty", "--extension", "8002")
    expect(pop).to_contain_text(DUTY_MASKED, timeout=2000)
    pop.get_by_role("link", name="受理登记").click()
    agent.get_by_label(re.compile("^姓名")).fill("林志强")
    for level, name in (("县（市、区）", "思明区"), ("乡镇（街道）", "厦港街道")):
        agent.get_by_label(level, exact=True).select_option(label=name)
        agent.wait_for_function("() => document.querySelector('.htmx-request') === null")
    agent.get_by_role("combobox", name=re.compile("^服务事项")).select_option(label="法律咨询")
    agent.get_by_role("textbox", name=re.compile("^事项描述")).fill("公司拖欠两个月工资，想了解怎么维权。")
    agent.get_by_role("button", name="提交受理").click()
    found = re.search(r"FW\w+", agent.get_by_text(re.compile("已受理，受理编号")).inner_text())
    assert found
    tracking_no = found.group(0)
    agent.goto(f"{site.url}/console/hotline/desk/")
    pop.get_by_text("转值班律师").first.click()
    pop.get_by_label(re.compile("^转接说明")).fill("来电人情绪激动，请律师详细解答。")
    pop.get_by_role("button", name="转值班律师").click()
    expect(agent.get_by_text(re.compile("已转值班人员 郑思远"))).to_be_visible()
    simulate(site, "--event", "hangup", "--call-id", "e2e-duty", "--extension", "8002")

    # 2. The duty lawyer finds it in their queue and records what they did; the matter's timeline shows it.
    lawyer = new_page(browser)
    sign_in(lawyer, site, "xm_consultant")
    lawyer.goto(f"{site.url}/console/hotline/duty/queue/")
    row = lawyer.locator("#duty-open tr", has_text=tracking_no)
    expect(row).to_contain_text("来电人情绪激动")
    row.get_by_label("处理情况").fill("已电话解答：可申请劳动仲裁，告知所需材料。")
    row.get_by_role("button", name="登记处理").click()
    expect(lawyer.get_by_text("已登记处理情况。")).to_be_visible()
    expect(lawyer.get_by_text("没有待处理的转值班。")).to_be_visible()
    agent.get_by_role(
        "link", name="值班待办"
    ).first.click()  # the desk's link to the queue: the agent has none
    expect(agent.get_by_text("没有待处理的转值班。")).to_be_visible()
    agent.goto(f"{site.url}/console/hotline/desk/")

    # 3. From the matter's page (the seam's action): again to the lawyer on duty.
    detail = _shell(
        site,
        "from django.urls import reverse; from fawang.matters.models import Matter; "
        f"print(reverse('matters:detail', args=[Matter.objects.get(tracking_no='{tracking_no}').pk]))",
    )
    agent.goto(f"{site.url}{detail}")
    expect(
        agent.get_by_text("值班律师郑思远处理情况：已电话解答：可申请劳动仲裁，告知所需材料。")
    ).to_be_visible()
    act(agent, "refer_to_duty", {"转接说明": "补充咨询：加班费。"})
    expect(agent.get_by_text(re.compile("已转值班人员 郑思远"))).to_be_visible()
    lawyer.reload()
    expect(lawyer.locator("#duty-open tr", has_text=tracking_no)).to_contain_text("补充咨询：加班费。")

    # 4. The matter's 回访 (sampled, the city bureau's task) is dialled from the desk through the telephone
    # system; the person answers and is satisfied: the 回访 is done on the matter.
    _shell(
        site,
        "import datetime as dt; from django.utils import timezone; "
        "from fawang.matters.models import Callback, Matter; from fawang.orgs.models import Unit; "
        f"m = Matter.objects.get(tracking_no='{tracking_no}'); "
        "Callback.objects.create(matter=m, reason='sample', unit=Unit.objects.get(name='厦门市司法局'), "
        "due_at=timezone.now() + dt.timedelta(days=3)); print('ok')",
    )
    agent.goto(f"{site.url}/console/hotline/desk/")
    followups = agent.locator("section[aria-labelledby=fu-title]")
    row = followups.locator("tr", has_text=tracking_no)
    expect(row).to_contain_text(DUTY_MASKED)
    row.get_by_role("button", name="回访外呼").click()
    expect(
        agent.get_by_text(re.compile(rf"第 1 次回访外呼：分机 8002 → 136\*\*\*\*0018（{tracking_no}）"))
    ).to_be_visible()
    dial_id = _shell(
        site,
        "from fawang.hotline.models import FollowUpDial; "
        f"print(FollowUpDial.objects.get(matter__tracking_no='{tracking_no}').dial_id)",
    )
    simulate(site, "--event", "answer", "--call-id", dial_id, "--extension", "8002")
    simulate(site, "--event", "hangup", "--call-id", dial_id)
    row = followups.locator("tr", has_text=tracking_no)
    row.get_by_label("回访结果").select_option(label="已接通，完成回访")
    row.get_by_label("回访后是否满意").select_option(label="满意")
    row.get_by_label("回访情况").fill("律师解答清楚，已申请仲裁。")
    row.get_by_role("button", name="登记回访").click()
    expect(agent.get_by_text(f"回访已完成：{tracking_no}。")).to_be_visible()
    expect(followups.locator("tr", has_text=tracking_no)).to_have_count(0)
    done = _shell(
        site,
        "from fawang.matters.models import Callback; from fawang.hotline.models import FollowUpDial; "
        f"c = Callback.objects.get(matter__tracking_no='{tracking_no}'); d = FollowUpDial.objects.get(followup=c); "
        "print(c.satisfied, c.done_by.username, d.outcome, d.call.direction, d.call.status, "
        "d.call.matters.filter(pk=c.matter_id).exists())",
    )
    assert done == "True xm_agent reached out ended True", done
