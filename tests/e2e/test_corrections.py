"""Issue 20, 社区矫正 and 安置帮教: end to end.

The 厦港街道司法所's corrections officer receives a probation case from the court's judgment and records the
reporting at the 司法局 and the 司法所; the file's schedule (日定位、周听声、月走访) appears. The scheduler's job runs
at 20:01 with today's location report not made: a task is raised the same day, and left undealt with it is escalated
at the end of the next working day (the job is run at those moments through the management shell, as the scheduler
would). A short leave is applied for, approved by the 司法所 and the return checked (销假). The 思明区司法局's
supervisor gives a 警告 and opens its notice (PDF).

Then a prison sends a release notice for a 重点帮教对象 by the API with its token; the officer meets the person on
release (必接必送), records a job placement, and the ratios page shows the 司法所's numbers move.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import expect

from fawang.lib.validators import id_check_digit

from .conftest import Site, sign_in

pytestmark = pytest.mark.browser

ID17 = "35020319880214623"  # a 思明区 area code; nobody's real number
ID_NUMBER = ID17 + id_check_digit(ID17)
RELEASED17 = "35020319920703415"
RELEASED_ID = RELEASED17 + id_check_digit(RELEASED17)


def shell(site: Site, code: str) -> str:
    return site.manage("shell", "-c", code)


def scan_at(site: Site, moment: dt.datetime) -> dict[str, Any]:
    out = shell(
        site,
        "import datetime, json; from fawang.corrections import actions; "
        f"print(json.dumps(actions.scan(datetime.datetime.fromisoformat('{moment.isoformat()}'))))",
    )
    return dict(json.loads(out.strip().splitlines()[-1]))


def rate_cell(page: Any, column: int) -> str:
    row = page.locator("#rates tr[data-unit='厦港街道司法所']")
    return str(row.locator("td").nth(column).inner_text())


def test_probation_case_schedule_leave_warning(site: Site, page: Any) -> None:
    today = site.now().date()
    sign_in(page, site, "sm_corrections")
    page.goto(f"{site.url}/console/corrections/subjects/new/")
    page.get_by_label("姓名").fill("郑海涛")
    page.get_by_label("身份证号码").fill(ID_NUMBER)
    page.get_by_label("联系电话").fill("13955550001")
    page.get_by_label("居住地址").fill("厦门市思明区厦港街道示例巷 12 号")
    page.get_by_label("矫正类别").select_option(label="缓刑")
    page.get_by_label("法律文书").select_option(label="判决书")
    page.get_by_label("文书编号").fill(f"（{today.year}）闽0203刑初318号")
    page.get_by_label("决定机关").fill("厦门市思明区人民法院")
    page.get_by_label("罪名").fill("危险驾驶罪")
    page.get_by_label("文书生效日期").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("矫正期起").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("矫正期止").fill((today + dt.timedelta(days=180)).isoformat())
    page.get_by_role("button", name="接收", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已接收")
    expect(page.get_by_text("待报到").first).to_be_visible()
    file_url = page.url

    for where in ("社区矫正机构（司法局）", "司法所"):
        page.get_by_label("报到机关").select_option(label=where)
        page.get_by_role("button", name="登记报到").click()
        expect(page.locator("body")).to_contain_text("已登记报到")
    expect(page.locator("#main h1")).to_contain_text("在矫")
    items = page.locator("#items")
    expect(items).to_contain_text("日定位")
    expect(items).to_contain_text("周听声")
    expect(items).to_contain_text("月走访")

    # The person does not report today: at 20:01 the job marks it missed and raises a task the same day.
    evening = dt.datetime.combine(today, dt.time(20, 1), tzinfo=site.now().tzinfo)
    counts = scan_at(site, evening)
    assert counts["missed"] >= 1 and counts["tasks"] >= 1, counts
    page.goto(f"{site.url}/console/corrections/tasks/")
    task_row = (
        page.locator("tr", has_text="日定位")
        .filter(has_text=today.isoformat())
        .filter(has_text="厦港街道司法所")
    )
    expect(task_row.first).to_contain_text("待处理")
    # Not dealt with by the end of the next working day: escalated to the 社区矫正机构.
    later = evening + dt.timedelta(days=6)
    assert scan_at(site, later)["escalated"] >= 1
    page.reload()
    expect(
        page.locator("tr", has_text="日定位")
        .filter(has_text=today.isoformat())
        .filter(has_text="厦港街道司法所")
        .first
    ).to_contain_text("已升级")

    # A three-day leave, approved by the 司法所, and the return checked.
    page.goto(file_url)
    page.locator("summary", has_text="登记外出申请").click()
    page.get_by_label("前往地点").fill("福建省泉州市鲤城区")
    page.get_by_label("事由").fill("参加亲属婚礼")
    page.get_by_label("外出日期").fill(today.isoformat())
    page.get_by_label("返回日期").fill((today + dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="登记申请").click()
    expect(page.locator("body")).to_contain_text("已登记外出申请")
    page.locator(".leave").get_by_label("审批", exact=True).select_option(label="批准")
    page.locator(".leave").get_by_role("button", name="审批").click()
    expect(page.locator(".leave")).to_contain_text("已批准")
    page.locator(".leave").get_by_role("button", name="销假").click()
    expect(page.locator(".leave")).to_contain_text("已销假")

    # The 司法局's supervisor gives a 警告; its notice is a PDF.
    supervisor = page.context.browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    ).new_page()
    sign_in(supervisor, site, "sm_supervisor")
    supervisor.goto(file_url)
    supervisor.locator("summary", has_text="作出奖惩决定").click()
    decision = supervisor.locator("form[action$='/decisions/']")
    decision.get_by_label("类型").select_option(label="警告")
    decision.get_by_label("事实").fill("外出期间未按规定报告活动情况，经训诫仍不改正。")
    decision.get_by_role("button", name="作出决定").click()
    expect(supervisor.locator("body")).to_contain_text("决定已作出")
    link = supervisor.get_by_role("link", name="告知书").first
    response = supervisor.request.get(site.url + str(link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    supervisor.context.close()


def test_release_notice_by_api_met_on_release_and_placed(site: Site, page: Any) -> None:
    today = site.now().date()
    token = (
        shell(
            site,
            "from fawang.accounts.models import User; from fawang.orgs.models import Membership, Unit; "
            "from fawang.apikit.models import ApiToken; "
            "u, _ = User.objects.get_or_create(username='e2e_prison', defaults={'kind': User.Kind.STAFF}); "
            "Membership.objects.get_or_create(user=u, unit=Unit.objects.get(name='厦门市看守所'), role='window_clerk'); "
            "print(ApiToken.issue(u, '刑满释放通知')[1])",
        )
        .strip()
        .splitlines()[-1]
    )

    sign_in(page, site, "sm_corrections")
    page.goto(f"{site.url}/console/resettlement/rates/")
    key_before = rate_cell(page, 0)
    placement_before = rate_cell(page, 2)

    body = {
        "notice_no": f"XMKSS-{today:%Y%m%d}-E2E",
        "name": "蔡明辉",
        "id_number": RELEASED_ID,
        "residence": "350203001001",
        "crime": "盗窃罪",
        "sentence": "有期徒刑三年",
        "release_on": today.isoformat(),
        "is_key": True,
        "key_reasons": "多次盗窃，无固定住所",
    }
    request = urllib.request.Request(
        f"{site.url}/api/v1/resettlement/release-notices/",
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": "e2e-release-1",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as answer:
        assert answer.status == 201
        assert json.loads(answer.read())["office"] == "厦港街道司法所"

    page.goto(f"{site.url}/console/resettlement/notices/")
    page.get_by_role("link", name=body["notice_no"]).click()
    expect(page.locator("body")).to_contain_text("重点帮教对象")
    page.get_by_label("接收人").fill("厦港街道司法所林所长、其姐蔡丽华")
    page.get_by_label("交接地点").fill("厦门市看守所大门")
    page.get_by_role("button", name="登记衔接").click()
    expect(page.locator("body")).to_contain_text("已登记衔接")
    page.locator("#main").get_by_role("link", name="帮教档案").click()
    page.get_by_label("安置情况").select_option(label="就业安置")
    page.get_by_label("安置日期").fill(today.isoformat())
    page.get_by_role("button", name="保存安置情况").click()
    expect(page.locator("#placement")).to_contain_text("就业安置")

    page.goto(f"{site.url}/console/resettlement/rates/")
    done, total = (int(x) for x in re.findall(r"\((\d+)/(\d+)\)", key_before)[0])
    assert re.search(rf"\({done + 1}/{total + 1}\)", rate_cell(page, 0)), rate_cell(page, 0)
    placed, files = (int(x) for x in re.findall(r"\((\d+)/(\d+)\)", placement_before)[0])
    assert re.search(rf"\({placed + 1}/{files + 1}\)", rate_cell(page, 2)), rate_cell(page, 2)
    expect(page.locator("body")).not_to_contain_text("蔡明辉")
