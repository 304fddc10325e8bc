"""Issue 5, end to end: a hotline consultation, the suggested law articles beside it in the workbench, and an
accepted article shown as the matter's 法律依据."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Site, new_page, sign_in

pytestmark = pytest.mark.browser


def test_a_handler_accepts_a_suggested_article_for_a_hotline_consultation(site: Site, browser: Any) -> None:
    # 1. A 12348 hotline agent of 思明区 takes the question down.
    agent = new_page(browser)
    sign_in(agent, site, "sm_agent")
    agent.get_by_role("link", name="受理登记").first.click()
    agent.get_by_label(re.compile("^姓名")).fill("林志强")
    agent.get_by_label("联系电话", exact=True).fill("13912340000")
    agent.locator("#intake-form").get_by_label(re.compile("^服务事项")).select_option(label="法律咨询")
    agent.get_by_label(re.compile("^事项描述")).fill("公司拖欠工资三个月不发怎么办")
    agent.get_by_role("button", name="提交受理").click()
    agent.wait_for_url("**/receipt/**")
    number_cell = agent.get_by_role("table").locator("tbody tr").first.locator("td").first
    tracking_no = number_cell.inner_text().replace(" ", "")
    assert re.fullmatch(r"FW\d{6}[0-9A-Z]{8}", tracking_no), tracking_no
    detail_path = number_cell.get_by_role("link").get_attribute("href")

    # 2. A handler of the district opens it in the workbench: the topic was suggested and law articles are listed beside it.
    handler = new_page(browser)
    sign_in(handler, site, "sm_handler")
    handler.goto(f"{site.url}{detail_path}")  # the number the agent passes on
    expect(handler.get_by_role("heading", level=1)).to_contain_text(tracking_no)
    expect(handler.locator("#matter-topic")).to_contain_text("劳动纠纷")
    expect(handler.locator("#matter-topic")).to_contain_text("自动分类")
    panel = handler.locator("#matter-suggestions")
    expect(panel.get_by_role("heading", name="相关法律条文（建议）")).to_be_visible()
    suggested = panel.locator("ol.suggested-articles > li", has_text="劳动合同法").first
    expect(suggested).to_be_visible()
    title = suggested.get_by_role("link").first.inner_text()
    assert re.fullmatch(r"《中华人民共和国劳动合同法(实施条例)?》第.+条", title), title
    expect(handler.locator("#matter-basis")).to_contain_text("尚未确定法律依据")

    # 3. The handler accepts it: it becomes the matter's 法律依据 at once, and stays after a reload.
    suggested.get_by_role("button", name="采纳", exact=True).click()
    expect(panel.locator(".alert-success")).to_contain_text("列入法律依据")
    basis = handler.locator("#matter-basis")
    expect(basis.get_by_role("link", name=title)).to_be_visible()
    handler.reload()
    expect(handler.locator("#matter-basis").get_by_role("link", name=title)).to_be_visible()
    expect(handler.locator("#matter-suggestions .badge", has_text="已采纳").first).to_be_visible()
    timeline = handler.locator("#h-timeline").locator("xpath=..").inner_text()
    assert "采纳" + title in timeline, timeline
