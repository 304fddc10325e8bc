"""Issue 18, item 5 and 8 end to end: a court's notification (通知辩护) registered in the centre's console is taken
up without a means review and assigned to a roster lawyer, and the letter to the court (第三十六条) is a PDF in
Chinese; the centre records a 回访 on the case (第五十九条); a duty lawyer is put on duty at the court's station
and the help given is logged, the person's name masked in the list."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Site, new_page, sign_in

pytestmark = pytest.mark.browser


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def shell(site: Site, code: str) -> str:
    return site.manage("shell", "-c", code).strip().splitlines()[-1]


def test_a_court_notification_is_assigned_and_a_duty_lawyer_logs_help(site: Site, browser: Any) -> None:
    handler = new_page(browser)
    sign_in(handler, site, "sm_handler")
    with handler.expect_navigation():
        handler.locator("#unit-switch-select").select_option(label="思明区法律援助中心（承办人）")

    # 1. The court's letter registered in the console: no means review, three days to assign.
    handler.goto(f"{site.url}/console/legalaid/notifications/")
    form = handler.locator("form[action*='/notifications/centres/']").first
    form.get_by_label("通知机关类别").select_option(label="人民法院")
    form.locator("[name=organ_name]").fill("厦门市思明区人民法院")
    form.get_by_label("通知机关文书编号").fill("（2026）闽0203刑初88号")
    form.get_by_label("法定情形").select_option(value="minor")
    form.get_by_label("犯罪嫌疑人、被告人或被申请人姓名").fill("陈小飞")
    form.get_by_label("涉嫌罪名或案由").fill("盗窃罪")
    form.get_by_role("button", name="登记通知").click()
    expect(handler.locator(".alert-success")).to_contain_text("三日内指派律师")
    panel = handler.locator("#legalaid-panel")
    expect(panel.locator("#aid-notification")).to_contain_text("通知辩护不审查经济困难状况")

    # 2. Assigned by rotation; the letter to the court names the lawyer.
    handler.locator("#assign-form").get_by_role("button", name="指派").click()
    expect(handler.locator(".alert-success")).to_contain_text("轮流指派")
    handler.goto(f"{site.url}/console/legalaid/notifications/")
    row = handler.locator("#notifications tbody tr", has_text="（2026）闽0203刑初88号")
    expect(row).to_contain_text("陈*飞")
    letter = handler.request.get(
        site.url + row.get_by_role("link", name="指派律师通知书（PDF）").get_attribute("href")
    )
    assert letter.status == 200
    text = pdf_text(letter.body())
    assert "指派律师通知书" in text and "第三十六条" in text and "厦门市思明区人民法院" in text, text

    # 3. The centre records a visit of the person on the case (第五十九条).
    handler.goto(f"{site.url}/console/legalaid/cases/")
    handler.locator("#cases tbody tr", has_text="陈*飞").get_by_role("link").first.click()
    quality = handler.locator("#quality-form")
    quality.get_by_label(re.compile("^方式")).select_option(label="回访受援人")
    quality.get_by_label("日期").fill(site.now().date().isoformat())
    quality.get_by_label(re.compile("^评分")).fill("95")
    quality.get_by_label("情况").fill("受援人家属对律师会见情况表示满意。")
    quality.get_by_role("button", name="记录").click()
    expect(handler.locator("#quality-records")).to_contain_text("回访受援人")

    # 4. A duty lawyer on duty at the court's station today; the help given goes into the log.
    licence = shell(
        site,
        "from fawang.legalaid.models import AidLawyer; "
        "print(AidLawyer.objects.filter(centre__name='思明区法律援助中心', practitioner__kind='lawyer')"
        ".order_by('pk').first().practitioner.licence_no)",
    )
    handler.goto(f"{site.url}/console/legalaid/duty/")
    station = handler.locator("form[action*='/shifts/add/']").first
    station.get_by_label("值班律师执业证号").fill(licence)
    station.get_by_label("值班日期").fill(site.now().date().isoformat())
    station.get_by_role("button", name="排班").click()
    expect(handler.locator(".alert-success")).to_contain_text("已排班")
    shift = handler.locator("#duty-shifts li").first
    shift.locator("summary").click()
    shift.get_by_label("受帮助人姓名").fill("黄志强")
    shift.get_by_label("程序选择建议").check()
    shift.get_by_label("提供的法律帮助").fill("告知认罪认罚从宽制度，建议适用速裁程序。")
    shift.get_by_role("button", name="记入台账").click()
    expect(handler.locator(".alert-success")).to_contain_text("已记入值班律师工作台账")
    logs = handler.locator("#duty-logs")
    expect(logs).to_contain_text("黄*强")
    expect(logs).to_contain_text("程序选择建议")
    expect(logs).not_to_contain_text("黄志强")
