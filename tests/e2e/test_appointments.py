"""Issue 4, 预约: end to end. A unit admin opens extra hours today at a 思明区 street station and gives the station a
window clerk's account; on a phone a citizen signs up, books a slot there from the finder (预约办理), reschedules it
and finds it in 我的预约; the station's window clerk checks them in on the day's list and takes the matter in
through the window intake; the citizen then sees the booking 已受理 with its tracking number.

The station is not the one the demo's window clerk works at (厦港街道, whose demo schedules would offer slots of
their own): a clerk sees the appointments of the units their membership reaches, their own unit and the units under
it (docs/authority.md), so the station's desk is worked by a clerk of that station.

Check-in is only possible on the day of the slot, so the slots are extra hours (加开时段) starting a quarter of an
hour from the site's now, which a unit admin can open on any day; the site's clock starts at 10:00 (conftest.py),
so they fall within its day whenever the test runs.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from fawang.lib.validators import id_check_digit

from .conftest import Site, new_page, sign_in

pytestmark = pytest.mark.browser

PHONE = "13612340001"
ID17 = "35020319850612331"  # a 思明区 area code, birth date 1985-06-12; nobody's real number
ID_NUMBER = ID17 + id_check_digit(ID17)
POINT = "中华街道公共法律服务工作站"
TOWN_CODE = "350203003"
CLERK = "zhonghua_clerk"  # the station's window clerk, whose account the unit admin makes
CLERK_PASSWORD = "Zhonghua-window-2026"


def sign_in_code(site: Site) -> str:
    out = site.manage(
        "shell",
        "-c",
        "from fawang.notify.models import Message; "
        f"print(Message.objects.filter(kind='otp.login', phone='{PHONE}').latest('created_at').body)",
    )
    match = re.search(r"\b(\d{6})\b", out)
    assert match, out
    return match.group(1)


def extra_hours(site: Site) -> tuple[dt.date, str, str]:
    """The site's today and a 30-minute range starting 15 to 25 minutes from its now, on a 10-minute boundary
    (the site's clock starts at 10:00, conftest.py, so the range is within the day)."""
    now = site.now()
    start = (now + dt.timedelta(minutes=15)).replace(second=0, microsecond=0)
    start += dt.timedelta(minutes=(10 - start.minute % 10) % 10)
    end = start + dt.timedelta(minutes=30)
    assert end.date() == now.date(), f"加开时段须在当天之内：站点时间 {now:%H:%M}"
    return now.date(), f"{start:%H:%M}", f"{end:%H:%M}"


def test_a_citizen_books_reschedules_and_is_taken_in_at_the_window(site: Site, browser: Any) -> None:
    today, start, end = extra_hours(site)

    # 1. The unit admin of 思明区 sets up a schedule at the station with 10-minute slots and opens extra hours today.
    admin = new_page(browser)
    admin.on("dialog", lambda dialog: dialog.accept())
    sign_in(admin, site, "sm_admin")
    admin.get_by_role("link", name="预约排班").click()
    admin.get_by_role("form", name="新建排班").get_by_label(re.compile("^服务点")).select_option(label=POINT)
    admin.get_by_role("button", name="新建排班").click()
    admin.get_by_label(re.compile("^名称")).fill("综合窗口")
    admin.get_by_label("窗口", exact=True).select_option(index=1)
    admin.get_by_label("法律咨询", exact=True).check()
    admin.get_by_label(re.compile("^时段长度")).fill("10")
    admin.get_by_label(re.compile("^取消、改约截止")).fill("0")
    admin.get_by_role("button", name="保存").click()
    expect(admin.locator(".alert-success")).to_contain_text("已新建排班“综合窗口”")
    form = admin.get_by_role("form", name="添加排班例外")
    form.get_by_label(re.compile("^日期")).fill(f"{today:%Y-%m-%d}")
    form.get_by_label(re.compile("^类型")).select_option(label="加开时段")
    form.get_by_label(re.compile("^开始时间")).fill(start)
    form.get_by_label(re.compile("^结束时间")).fill(end)
    form.get_by_role("button", name="保存例外").click()
    expect(admin.locator(".alert-success")).to_contain_text("排班例外")
    # The station's window clerk gets an account (工作人员 → 新建工作人员账号), with the role at the station.
    admin.get_by_role("link", name="工作人员", exact=True).first.click()
    admin.get_by_role("link", name="新建工作人员账号").click()
    account = admin.locator("form").filter(has=admin.get_by_role("button", name="创建账号"))
    account.get_by_label(re.compile("^机构")).select_option(label=f"{POINT}（中华街道）")
    account.get_by_label(re.compile("^角色")).select_option(label="窗口受理员")
    account.get_by_label(re.compile("^用户名")).fill(CLERK)
    account.get_by_label(re.compile("^姓名")).fill("陈志明")
    account.get_by_label(re.compile("^初始密码")).fill(CLERK_PASSWORD)
    account.get_by_role("button", name="创建账号").click()
    expect(admin.locator(".alert-success")).to_contain_text(f"并授予在{POINT}的“窗口受理员”角色")

    # 2. On a phone: the finder lists the station with 预约办理; signing up comes first, then real-name details.
    phone = new_page(browser, mobile=True)
    phone.goto(f"{site.url}/finder/?region={TOWN_CODE}")
    card = phone.locator("article").filter(has=phone.get_by_role("heading", name=POINT))
    card.get_by_role("link", name="预约办理").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("登录 / 注册")
    phone.get_by_role("textbox", name=re.compile("^手机号码")).fill(PHONE)
    phone.get_by_role("button", name="获取验证码").click()
    expect(phone.get_by_text(f"验证码已发送至 {PHONE[:3]}****{PHONE[-4:]}")).to_be_visible()
    phone.get_by_role("textbox", name=re.compile("^短信验证码")).fill(sign_in_code(site))
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("实名信息")
    phone.get_by_role("textbox", name=re.compile("^真实姓名")).fill("吴秀英")
    phone.get_by_role("textbox", name=re.compile("^身份证号码")).fill(ID_NUMBER)
    phone.get_by_label(
        re.compile("^我单独同意本平台处理我的身份证号码")
    ).check()  # 第二十九条 (issue 14, item 15)
    phone.get_by_role("button", name="保存").click()

    # 3. 预约办理: item, day, slot and reason, confirm.
    expect(phone.get_by_role("heading", level=1)).to_have_text("预约办理")
    phone.get_by_role("link", name="法律咨询").click()
    phone.get_by_role("link", name=re.compile(f"^{today.month}月{today.day}日")).click()
    first = phone.get_by_role("radio").first
    first_label = phone.locator(f"label[for='{first.get_attribute('id')}']").inner_text()
    assert first_label.startswith(start), first_label
    first.check()
    phone.get_by_role("textbox", name=re.compile("^预约事由")).fill("父母去世后房屋继承，想咨询如何办理。")
    phone.get_by_role("button", name="下一步：确认预约").click()
    expect(phone.get_by_role("heading", name="请确认预约信息")).to_be_visible()
    phone.get_by_role("button", name="确认预约").click()
    expect(phone.locator(".alert-success")).to_contain_text("预约成功，预约号")
    number = re.search(r"YY\d{6}[0-9A-Z]{6}", phone.locator(".alert-success").inner_text())
    assert number, phone.locator(".alert-success").inner_text()
    number_text = number.group(0)

    # 4. Reschedule to the next slot of the same day.
    phone.get_by_role("link", name="改约到其他时段").click()
    phone.get_by_role("link", name=re.compile(f"^{today.month}月{today.day}日")).click()
    phone.get_by_role("radio").first.check()
    phone.get_by_role("button", name="确认改约").click()
    expect(phone.locator(".alert-success")).to_have_text("已改约。")
    expect(phone.locator(".timeline")).to_contain_text("改约")

    # 5. 我的预约 lists it.
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="我的预约").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("我的预约")
    expect(phone.get_by_text(number_text)).to_be_visible()
    expect(phone.locator("main")).to_contain_text("已预约")

    # 6. The station's window clerk finds the day's list of the station, checks the person in and takes the matter in.
    clerk = new_page(browser)
    sign_in(clerk, site, CLERK, CLERK_PASSWORD)
    clerk.get_by_role("link", name="今日预约", exact=True).click()
    clerk.get_by_label("服务点", exact=True).select_option(label=POINT)
    clerk.get_by_role("button", name="查看").click()
    row = clerk.locator("tr").filter(has_text=number_text)
    expect(row).to_contain_text("吴*英")
    row.get_by_role("button", name="签到").click()
    expect(clerk.locator(".alert-success")).to_have_text("已签到。")
    clerk.locator("tr").filter(has_text=number_text).get_by_role("link", name="受理").click()
    expect(clerk.get_by_label(re.compile("^姓名"))).to_have_value("吴秀英")
    expect(clerk.get_by_label(re.compile("^事项描述"))).to_have_value("父母去世后房屋继承，想咨询如何办理。")
    clerk.get_by_label(re.compile("^已当面核验身份证件")).check()
    clerk.get_by_role("button", name="提交受理").click()
    expect(clerk.locator(".alert-success")).to_contain_text("已受理，受理编号")
    tracking = re.search(r"FW\d{6}[0-9A-Z]{8}", clerk.locator(".alert-success").inner_text())
    assert tracking, clerk.locator(".alert-success").inner_text()

    # 7. The citizen sees the booking taken in, with the matter's tracking number.
    phone.get_by_role("link", name=re.compile("法律咨询")).first.click()
    expect(phone.locator("h1 + p .badge")).to_have_text("已受理")
    expect(phone.locator("main")).to_contain_text(tracking.group(0))
