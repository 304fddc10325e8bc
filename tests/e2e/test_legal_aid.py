"""Issue 18, done-when, end to end: a person applies for legal aid online; the legal-aid centre sees the means
compared with the hardship standard, asks once for a missing document, the person uploads it, the centre grants and
the decision notice reaches the person; the case goes by rotation to a law firm's lawyer, whose firm accepts it,
logs the work and closes it; the centre checks the file and the subsidy appears on the payment list."""

from __future__ import annotations

import io
import re
import subprocess
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from fawang.lib.validators import id_check_digit

from .conftest import Site, new_page, sign_in
from .test_foundation import pick_region
from .test_matter_flow import MINIMAL_PDF, act

pytestmark = pytest.mark.browser

PHONE = "13655507788"
# A valid-looking ID number (checksum computed, a 思明区 area code); nobody's real number.
ID17 = "35020319820411273"
ID_NUMBER = ID17 + id_check_digit(ID17)


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


def upload(page: Any, material: str, filename: str) -> None:
    slot = page.locator("section[id^=slot-]").filter(
        has=page.get_by_role("heading", name=re.compile(f"^{material}"))
    )
    slot.get_by_label(f"上传“{material}”").set_input_files(
        files=[{"name": filename, "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    slot.locator("button[type=submit]", has_text="上传").click()
    expect(page.locator(".alert-success")).to_contain_text(f"已上传：{filename}")


def next_step(page: Any, title: str) -> None:
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator("#step-title")).to_contain_text(title)


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_legal_aid_from_the_online_application_to_the_payment_list(site: Site, browser: Any) -> None:
    site.manage(
        "shell",
        "-c",
        "import datetime as dt; from django.db.models import F; from fawang.citizens.models import PhoneCode; "
        "PhoneCode.objects.update(created_at=F('created_at') - dt.timedelta(minutes=5))",
    )
    # 1. The person signs up with the mobile number and applies for legal aid online.
    person = new_page(browser, mobile=True)
    person.goto(f"{site.url}/me/applications/")
    expect(person.get_by_role("heading", level=1)).to_have_text("登录 / 注册")
    person.get_by_role("textbox", name=re.compile("^手机号码")).fill(PHONE)
    person.get_by_role("button", name="获取验证码").click()
    expect(person.get_by_text(f"验证码已发送至 {PHONE[:3]}****{PHONE[-4:]}")).to_be_visible()
    person.get_by_role("textbox", name=re.compile("^短信验证码")).fill(sign_in_code(site))
    person.get_by_role("button", name="登录").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("实名信息")
    person.get_by_role("textbox", name=re.compile("^真实姓名")).fill("苏明月")
    person.get_by_role("textbox", name=re.compile("^身份证号码")).fill(ID_NUMBER)
    person.get_by_label(re.compile("^我单独同意本平台处理我的身份证号码")).check()
    person.get_by_role("button", name="保存").click()
    person.goto(f"{site.url}/apply/")
    card = person.locator("li.card").filter(
        has=person.get_by_role("heading", name="法律援助申请", exact=True)
    )
    card.get_by_role("link", name=re.compile("^在线申请")).click()
    person.get_by_role("button", name="开始填写申请").click()
    person.get_by_role("textbox", name=re.compile("^住所地")).fill("厦门市思明区厦港街道鸿山社区 3 号")
    next_step(person, "事项情况")
    person.get_by_label(re.compile("^申请事项")).select_option(label="请求确认劳动关系或者支付劳动报酬")
    person.get_by_label(re.compile("^所处阶段")).select_option(label="非诉讼（协商、调解、仲裁等）")
    person.get_by_role("textbox", name=re.compile("^案情及申请理由")).fill(
        "餐馆拖欠两个月工资共九千元，多次催要未果，无力聘请律师。"
    )
    pick_region(person, "福建省", "厦门市", "思明区", "厦港街道")
    next_step(person, "对方当事人")
    first = person.locator("fieldset").filter(has_text="对方当事人 1")
    first.get_by_label("类型").select_option(label="法人或者其他组织")
    first.get_by_role("textbox", name=re.compile("^姓名或者名称")).fill("厦门某某餐饮管理有限公司")
    next_step(person, "家庭经济状况")
    person.get_by_role("spinbutton", name=re.compile("^申请人本人月收入")).fill("600")
    member = person.locator("fieldset").filter(has_text="家庭成员 1")
    member.get_by_role("textbox", name=re.compile("^姓名")).fill("苏小雨")
    member.get_by_label(re.compile("^与申请人关系")).select_option(label="子女")
    member.get_by_role("spinbutton", name=re.compile("^月收入")).fill("0")
    person.get_by_role("textbox", name=re.compile("^经济困难状况说明")).fill("被拖欠工资，独自抚养一个孩子。")
    person.get_by_label(re.compile("^本人承诺：以上经济困难状况说明真实")).check()
    next_step(person, "申请材料")
    upload(person, "申请人身份证明", "身份证.pdf")
    upload(person, "与所申请法律援助事项有关的材料", "工资欠条.pdf")
    person.get_by_role("link", name="下一步：确认提交").click()
    person.get_by_label("本人承诺所填写的信息和提交的材料真实、完整。").check()
    person.get_by_role("button", name="提交申请").click()
    expect(person.locator(".alert-success")).to_contain_text("由思明区法律援助中心办理")
    number = person.locator("h1 + p .muted").inner_text().replace("受理编号", "").replace(" ", "")
    matter_page = person.url

    # 2. The centre sees the means compared with the standard in force on the application date, and asks once
    #    for what is missing.
    handler = new_page(browser)
    sign_in(handler, site, "sm_handler")
    with handler.expect_navigation():
        handler.locator("#unit-switch-select").select_option(label="思明区法律援助中心（承办人）")
    handler.get_by_role("link", name="本单位事项").first.click()
    handler.get_by_role("link", name=number, exact=True).click()
    panel = handler.locator("#legalaid-panel")
    expect(panel).to_contain_text("家庭人均月收入 300.00 元，低于标准 2030.00 元：符合经济困难条件。")
    expect(panel.locator(".aid-rule")).to_contain_text("月最低工资标准的 1.00 倍")
    act(handler, "request_materials", check=["经济困难状况说明"])
    expect(handler.locator(".badge", has_text="待补正").first).to_be_visible()

    # 3. The person uploads it from their matter page.
    person.goto(matter_page)
    person.get_by_role("link", name="补正材料").click()
    person.locator("input[type=file]").set_input_files(
        files=[{"name": "困难说明.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    person.get_by_role("button", name="提交补正材料").click()
    expect(person.get_by_text("补正材料已提交，办理机构将继续办理。")).to_be_visible()

    # 4. The centre grants; the decision notice reaches the person.
    handler.reload()
    act(handler, "aid_grant", check=["申请人身份证明"])
    expect(handler.locator(".badge", has_text="已受理").first).to_be_visible()
    person.goto(matter_page)
    link = person.get_by_role("link", name="下载给予法律援助决定书（PDF）")
    response = person.request.get(site.url + link.get_attribute("href"))
    assert response.status == 200
    text = pdf_text(response.body())
    assert "给予法律援助决定书" in text and "第四十三条" in text and "苏明月" in text, text

    # 5. The centre assigns by rotation: the next lawyer of the roster, at a law firm.
    handler.reload()
    handler.locator("#assign-form").get_by_label("案件类别").select_option(label="非诉讼")
    handler.locator("#assign-form").get_by_role("button", name="指派").click()
    expect(handler.locator(".alert-success")).to_contain_text("轮流指派")  # the next page's message
    flash = handler.locator(".alert-success").inner_text()
    assert "轮流指派" in flash, flash
    firm_name = (
        site.manage(
            "shell",
            "-c",
            "from fawang.legalaid.models import Assignment; "
            f"print(Assignment.objects.get(matter__tracking_no='{number}').firm.name)",
        )
        .strip()
        .splitlines()[-1]
    )
    assert firm_name in flash, (firm_name, flash)
    # The demo's roster is of one 思明区 firm, whose handler account is sm_firm1.
    firm_user = "sm_firm1"

    # 6. The firm sees the case in its own console, accepts, logs and closes it.
    firm = new_page(browser)
    sign_in(firm, site, firm_user)
    firm.goto(f"{site.url}/console/legalaid/cases/")
    # Only this person's case of the firm (another e2e test of the same site may have given it a notified one).
    rows = firm.locator("#cases tbody tr", has_text="苏*月")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").click()
    notice = firm.request.get(
        site.url + firm.get_by_role("link", name="指派通知书（PDF）").get_attribute("href")
    )
    assert "指派通知书" in pdf_text(notice.body())
    firm.get_by_role("button", name="接受指派").click()
    expect(firm.locator("#case-status")).to_have_text("承办中")
    log = firm.locator("#log-form")
    log.get_by_label("类别").select_option(label="会见/约谈")
    log.get_by_label("日期").fill(site.now().date().isoformat())
    log.get_by_label("记录").fill("会见受援人，了解欠薪情况，收集工资欠条。")
    log.get_by_role("button", name="添加记录").click()
    expect(firm.locator("#case-logs")).to_contain_text("会见受援人")
    close = firm.locator("#close-form")
    close.get_by_label("办理结果").select_option(label="调解或和解结案")
    close.get_by_label("结案报告").fill("经劳动仲裁调解，用人单位支付全部欠薪九千元。")
    close.get_by_label(re.compile("^案卷材料")).set_input_files(
        files=[{"name": "案卷.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    close.get_by_role("button", name="提交结案").click()
    expect(firm.locator("#case-status")).to_have_text("已结案待审查")

    # 7. The centre checks the file; the subsidy is computed, approved and on the payment list.
    handler.goto(f"{site.url}/console/legalaid/cases/")
    handler.locator("#cases").get_by_role("link").first.click()
    check = handler.locator("#check-form")
    check.get_by_label("审查结论").select_option(label="合格，归档")
    check.get_by_label(re.compile("^案卷质量评分")).fill("92")
    check.get_by_role("button", name="提交审查").click()
    expect(handler.locator("#case-status")).to_have_text("已审查归档")
    handler.goto(f"{site.url}/console/legalaid/subsidies/")
    row = handler.locator("#subsidies tbody tr").first
    expect(row).to_contain_text("800.00")
    row.get_by_role("button", name="审批").click()
    expect(handler.locator("#subsidies tbody tr").first).to_contain_text("已审批")
    export = handler.request.get(f"{site.url}/console/legalaid/subsidies/payment-list.xlsx")
    sheet = load_workbook(io.BytesIO(export.body())).active
    assert sheet is not None
    rows_out = list(sheet.iter_rows(values_only=True))
    assert rows_out[0][0] == "指派通知书编号"
    assert any(r[-1] == 800 for r in rows_out[1:]), rows_out
