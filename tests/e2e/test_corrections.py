"""Issue 20, 社区矫正 and 安置帮教: end to end.

The 厦港街道司法所's corrections officer receives a probation case from the court's judgment and records the
reporting at the 司法局 and the 司法所; the file's schedule (日定位、周听声、月走访) appears. The scheduler's job runs
at 20:01 with today's location report not made: a task is raised the same day, and left undealt with it is escalated
at the end of the next working day (the job is run at those moments through the management shell, as the scheduler
would). A short leave is applied for, approved by the 司法所 and the return checked (销假). The 思明区司法局's
supervisor gives a 警告 and opens its notice (PDF).

A monthly visit is recorded with a photo, which opens for the officer (stored encrypted, each showing logged). The
person moves to 仙游县: the change of the place of execution is applied for, approved by the 思明区司法局 and received
by the 仙游县司法局 from its task page; the file is then at 鲤城街道司法所 and gone from the 厦港 officer's reach.

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
MOVER17 = "35020319790912358"
MOVER_ID = MOVER17 + id_check_digit(MOVER17)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
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
        # The second report's page says the same as the first's: wait for the page, not the one it replaces.
        with page.expect_navigation():
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
    expect(page.locator("body")).to_contain_text("已登记外出或变更执行地申请")
    page.locator(".leave select[name='decide-decision']").select_option(label="批准")
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


def test_visit_photo_and_change_of_place(site: Site, page: Any, browser: Any) -> None:
    today = site.now().date()
    pk = (
        shell(
            site,
            "import datetime; from fawang.accounts.models import User; from fawang.corrections import actions; "
            "from fawang.orgs.models import Unit; "
            "officer = User.objects.get(username='sm_corrections'); "
            f"today = datetime.date.fromisoformat('{today.isoformat()}'); "
            "data = actions.TakeoverData(name='吴国栋', gender='male', id_number='" + MOVER_ID + "', "
            "address='厦门市思明区厦港街道示例路 5 号', correction_type='probation', document_kind='judgment', "
            "document_no='（2026）闽0203刑初77号', decided_by='厦门市思明区人民法院', crime='危险驾驶罪', "
            "effective_on=today - datetime.timedelta(days=3), term_start=today - datetime.timedelta(days=3), "
            "term_end=today + datetime.timedelta(days=200)); "
            "s = actions.do_take_over(data, office_id=Unit.objects.get(name='厦港街道司法所').pk, actor=officer); "
            "actions.do_report(s.pk, where='bureau', actor=officer); "
            "actions.do_report(s.pk, where='office', actor=officer); print(s.pk)",
        )
        .strip()
        .splitlines()[-1]
    )
    file_url = f"{site.url}/console/corrections/subjects/{pk}/"
    sign_in(page, site, "sm_corrections")
    page.goto(file_url)

    # 月走访 with a photo.
    visit = page.locator("form[aria-label='登记走访']").first
    visit.get_by_label("方式").select_option(label="走访家庭")
    visit.get_by_label("情况记录").fill("到家中走访，本人在家，家属支持矫正。")
    visit.get_by_label("走访照片（JPG 或 PNG，最多 6 张）").set_input_files(
        [{"name": "家访.png", "mimeType": "image/png", "buffer": PNG}]
    )
    visit.get_by_role("button", name="登记").click()
    expect(page.locator(".messages")).to_contain_text("已登记")
    photo = page.get_by_role("link", name="照片 1")
    expect(photo).to_be_visible()
    shown = page.request.get(site.url + str(photo.get_attribute("href")))
    assert shown.status == 200
    assert shown.headers["content-type"] == "image/png"
    assert shown.body() == PNG
    page.reload()
    expect(page.locator("body")).to_contain_text("走访照片（")  # the showing, in the file's view log

    # 变更执行地 to 仙游县: applied for at the 司法所 ...
    page.locator("summary", has_text="登记外出申请").click()
    application = page.locator("form[action$='/leave/']")
    application.get_by_label("类型").select_option(label="变更执行地")
    application.get_by_label("前往地点").fill("莆田市仙游县鲤城街道示例路 9 号")
    application.get_by_label("事由").fill("在仙游就业，随家人迁居")
    application.get_by_label("外出日期").fill(today.isoformat())
    application.get_by_label("返回日期").fill(today.isoformat())
    application.get_by_label("新执行地司法所", exact=True).select_option(label="鲤城街道司法所")
    application.get_by_role("button", name="登记申请").click()
    expect(page.locator("body")).to_contain_text("已登记外出或变更执行地申请")

    # ... approved by the 思明区司法局 ...
    supervisor = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    sign_in(supervisor, site, "sm_supervisor")
    supervisor.goto(file_url)
    supervisor.locator(".leave select[name='decide-decision']").select_option(label="批准")
    supervisor.locator(".leave").get_by_role("button", name="审批").click()
    expect(supervisor.locator(".leave")).to_contain_text("等待新执行地社区矫正机构接收")
    supervisor.context.close()

    # ... and received by the 仙游县司法局 from its task page: the file is theirs now.
    receiver = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    sign_in(receiver, site, "xy_supervisor")
    receiver.goto(f"{site.url}/console/corrections/tasks/")
    row = receiver.locator("#incoming tr", has_text="厦港街道司法所")
    expect(row).to_contain_text("鲤城街道司法所")
    expect(row).not_to_contain_text("吴国栋")  # the summary shows the masked name only
    row.get_by_label("接收意见").select_option(label="接收")
    row.get_by_role("button", name="提交").click()
    expect(receiver.locator("body")).to_contain_text("已接收，档案已移交本地")
    expect(receiver.locator("body")).to_contain_text("鲤城街道司法所（仙游县司法局）")
    receiver.context.close()

    # The old place no longer reaches the file.
    assert page.goto(file_url).status == 404
