"""Issue 21, 监督与决策: end to end. The week's two planted anomalies of ``load_activity`` (a wage-arrears surge in
莲前街道 and a demolition-dispute cluster in 曾厝垵社区) are loaded into the shared site — only the planted matters
(``--count 0``), so the other end-to-end tests' queues hardly change — and the warnings raised as the scheduler would.

The 思明区 supervisor opens the dashboard, sees both flagged with their causes and the charts drawn, drills into
the matters behind the wage surge and opens one, then acknowledges the warning, assigns it to the town's 司法所,
notes what was done and closes it; finally downloads the monthly PDF and the Excel export.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Site, sign_in

pytestmark = pytest.mark.browser

PLANTED_WAGE_WORDS = re.compile("包工头|项目部|农民工")


def test_supervisor_dashboard_hotspots_warning_loop_and_reports(site: Site, page: Any) -> None:
    site.manage("load_activity", "--count", "0")
    out = site.manage("raise_warnings")
    assert "莲前街道" in out and "曾厝垵" in out, out

    sign_in(page, site, "sm_supervisor")
    page.goto(f"{site.url}/console/insights/")
    expect(page).to_have_url(re.compile(r"/console/insights/r/350203/$"))
    expect(page.get_by_role("heading", name=re.compile("思明区 · 数据看板"))).to_be_visible()

    warnings = page.locator("#open-warnings")
    wage = warnings.get_by_role("link", name=re.compile("莲前街道劳动纠纷类事项异常增多"))
    expect(wage).to_be_visible()
    expect(
        warnings.get_by_role("link", name=re.compile("曾厝垵社区.*拆迁安置类事项异常增多"))
    ).to_be_visible()
    expect(warnings).to_contain_text("工地")
    expect(warnings).to_contain_text("旧村")
    # The charts are drawn from the JSON endpoint by static/js/insights.js (no inline script under the CSP).
    expect(page.locator('[data-chart="trend"][data-ready="1"] canvas')).to_have_count(1)
    expect(page.locator('[data-chart="topic"][data-ready="1"] canvas')).to_have_count(1)
    expect(page.locator("#ranking")).to_contain_text("莲前街道")

    # The hotspots page explains each: count against expected, rising phrases, units, items, channels.
    page.get_by_role("link", name="热点问题与成因").first.click()
    lianqian = page.locator("section.hotspot", has_text="莲前街道 · 劳动纠纷")
    expect(lianqian).to_contain_text("预期")
    # The planted wage story's own words (activity.WAGE_TEXTS); which of them make the top five depends on the
    # sample of earlier texts, which differs by a few rows between SQLite and PostgreSQL.
    expect(lianqian.locator(".phrases")).to_contain_text(PLANTED_WAGE_WORDS)
    expect(lianqian).to_contain_text("思明区公共法律服务中心")

    # The warning: its causes, the matters behind it, one of them.
    page.goto(f"{site.url}/console/insights/r/350203/")
    page.locator("#open-warnings").get_by_role("link", name=re.compile("莲前街道劳动纠纷")).click()
    expect(page.locator("#warning-status")).to_have_text("待签收")
    expect(page.locator(".phrases")).to_contain_text(PLANTED_WAGE_WORDS)
    warning_url = page.url
    page.get_by_role("link", name="查看这些事项").click()
    drill = page.locator("#drill")
    expect(drill).to_contain_text("劳动纠纷")
    first = drill.locator("tbody tr").first.get_by_role("link")
    number = first.inner_text()
    first.click()
    # The matter's page, not the list it was opened from, which also shows its number.
    page.wait_for_url(re.compile(r"/console/matters/\d+/$"))
    expect(page.get_by_text(number).first).to_be_visible()

    # Acknowledge, assign, note, close.
    page.goto(warning_url)
    page.get_by_role("button", name="签收").click()
    expect(page.locator("#warning-status")).to_have_text("已签收")
    page.get_by_label("交办单位", exact=True).select_option(label="莲前街道司法所")
    page.get_by_label("交办要求").fill("会同人社部门核实欠薪情况")
    page.get_by_role("button", name="交办", exact=True).click()
    expect(page.locator("#warning-status")).to_have_text("已交办")
    page.get_by_label("处置情况").fill("已约谈项目部，督促十日内结清工资。")
    page.get_by_role("button", name="记录处置情况").click()
    expect(page.locator("#action-taken")).to_contain_text("已约谈项目部")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_label("办结情况").fill("工资已全部发放，劳动纠纷类咨询回落。")
    page.get_by_role("button", name="办结", exact=True).click()
    expect(page.locator("#warning-status")).to_have_text("已办结")
    history = page.locator("#history")
    for step in ("签收风险预警", "交办风险预警", "记录预警处置情况", "办结风险预警"):
        expect(history).to_contain_text(step)

    # Reports.
    page.goto(f"{site.url}/console/insights/r/350203/")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="月度报告（PDF）").click()
    pdf = pdf_download.value
    with open(pdf.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="导出 Excel").click()
    from openpyxl import load_workbook

    with open(xlsx_download.value.path(), "rb") as f:
        book = load_workbook(io.BytesIO(f.read()))
    assert "下级区划" in book.sheetnames
    assert any(row[0].value == "莲前街道" for row in book["下级区划"].iter_rows(min_row=2))


def test_supervisor_makes_a_work_plan_and_follows_its_progress(site: Site, page: Any) -> None:
    """工作计划、分解任务、进度时间表: the 思明区 supervisor makes this year's plan, breaks it into a task measured by
    an indicator and one moved by hand, records progress, and sees it on the timetable and the dashboard."""

    year = site.now().year
    sign_in(page, site, "sm_supervisor")
    page.goto(f"{site.url}/console/insights/plans/")
    expect(page).to_have_url(re.compile(r"/console/insights/r/350203/plans/$"))
    page.get_by_label("计划名称").fill("公共法律服务年度工作计划（测试）")
    page.get_by_role("button", name="制定计划").click()
    expect(page.get_by_role("heading", name=re.compile("公共法律服务年度工作计划（测试）"))).to_be_visible()

    def add(title: str, indicator: str | None, target: str = "") -> None:
        page.get_by_label("任务", exact=True).fill(title)
        page.get_by_label("责任单位", exact=True).select_option(label="莲前街道司法所")
        page.get_by_label("开始日期").fill(f"{year}-01-01")
        page.get_by_label("完成期限").fill(f"{year}-12-31")
        if indicator:
            page.get_by_label("考核指标（选填：按统计数据自动计算进度）", exact=True).select_option(
                label=indicator
            )
            page.get_by_label(re.compile("目标值")).fill(target)
        page.get_by_role("button", name="添加任务").click()
        expect(page.locator("#tasks")).to_contain_text(title)

    add("全年受理公共法律服务事项", "受理登记件数", "100000")
    add("开展民法典进社区宣传", None)
    row = page.locator("#tasks tr", has=page.get_by_label("进度（%）"))
    row.get_by_label("进度（%）").fill("40")
    row.get_by_label("进展情况").fill("已完成 4 个社区。")
    row.get_by_role("button", name="记录进展").click()
    expect(page.locator("#tasks")).to_contain_text("已完成 4 个社区。")
    expect(page.locator("#tasks")).to_contain_text("40%")
    expect(page.locator("#gantt")).to_contain_text("开展民法典进社区宣传")

    page.goto(f"{site.url}/console/insights/r/350203/")
    progress = page.locator("#plan-progress")
    expect(progress).to_contain_text("开展民法典进社区宣传")
    expect(progress).to_contain_text("40%")


def test_supervisor_reads_the_tile_map_and_drills_into_a_town(site: Site, page: Any) -> None:
    """热点区域: the 思明区 supervisor sees the towns as a coloured tile map with a legend, the planted wage surge's
    town marked and darkest by matters received, the same figure in the ranking table, and a tile opens the town."""
    site.manage("load_activity", "--count", "0")
    site.manage("raise_warnings")
    sign_in(page, site, "sm_supervisor")
    page.goto(f"{site.url}/console/insights/r/350203/?days=7&map=received")
    tilemap = page.locator("#tilemap")
    expect(tilemap.get_by_role("heading", name="热点区域分布图（受理登记）")).to_be_visible()
    lianqian = tilemap.locator('a.tile[data-code="350203010"]')
    expect(lianqian).to_have_count(1)
    label = lianqian.get_attribute("aria-label") or ""
    assert label.startswith("莲前街道：受理登记 "), label
    received = label.split("受理登记 ", 1)[1].split("，", 1)[0]
    # The busiest town this week: the darkest class, and the ranking table says the same number.
    assert lianqian.locator("rect").get_attribute("fill") == "#08519c"
    ranking_row = page.locator("#ranking tr", has_text="莲前街道")
    expect(ranking_row.locator("td").nth(1)).to_have_text(received.replace(",", ""))
    expect(page.locator("#map-legend li")).to_have_count(6)  # five classes and the hotspot mark
    expect(page.locator("#map-legend")).to_contain_text("有待处置的热点预警")
    expect(page.locator("#map-note")).to_contain_text("不表示地理位置")
    # Another figure: rates read as percentages.
    tilemap.get_by_role("link", name="满意率").click()
    expect(page.locator("#tilemap h2")).to_have_text("热点区域分布图（满意率）")
    lianqian.click()
    expect(page).to_have_url(re.compile(r"/console/insights/r/350203010/\?days=7&map=satisfaction$"))
    expect(page.get_by_role("heading", name=re.compile("莲前街道 · 数据看板"))).to_be_visible()
    # Below a town: its communities.
    expect(page.locator("#tilemap a.tile").first).to_be_visible()
