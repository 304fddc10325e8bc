"""Foundation, end to end in headless Chromium against a fresh `make run`-style site.

- The 思明区 supervisor sees Siming's service points and staff and nothing of 湖里区.
- The 厦门市 supervisor sees all six districts.
- The public portal lists the service points of a chosen village's town.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Site, sign_in

pytestmark = pytest.mark.browser


def pick_region(page: Any, *labels: str) -> None:
    """Choose province → city → county → town → village in the cascading picker (htmx fills each next level)."""
    levels = ["省（自治区、直辖市）", "市（地区、州）", "县（市、区）", "乡镇（街道）", "村（社区）"]
    for level, label in zip(levels, labels, strict=False):
        page.get_by_label(level, exact=True).select_option(label=label)
        # Let htmx finish swapping in the next level before choosing again, as a person would.
        page.wait_for_function("() => document.querySelector('.htmx-request') === null")


def test_public_portal_lists_the_service_points_of_a_chosen_villages_town(site: Site, phone: Any) -> None:
    phone.goto(f"{site.url}/")
    phone.get_by_role("link", name="找服务点").first.click()
    pick_region(phone, "福建省", "厦门市", "思明区", "厦港街道", "鸿山社区")
    phone.get_by_role("button", name="查找").click()
    # The results come with the next page: wait for it, as a person looks at the new page, not the old one.
    phone.wait_for_url("**region_5=**")
    results = phone.locator("#results-title").locator("xpath=..")
    expect(results.locator("h3").first).to_be_visible()
    # The village's own room, its street's station, and the district centre that serves it — nearest first.
    names = results.locator("h3").all_inner_texts()
    assert names[0].startswith("鸿山社区公共法律服务工作室"), names
    assert any("厦港街道公共法律服务工作站" in n for n in names), names
    assert any("思明区公共法律服务中心" in n for n in names), names
    assert not any("湖里" in n for n in names), names
    # The room's page shows its windows-free village room details and the town station's hours and phone.
    results.get_by_role("link", name="厦港街道公共法律服务工作站").first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(re.compile("^厦港街道公共法律服务工作站"))
    expect(phone.get_by_text("综合接待岗").first).to_be_visible()


def _pk(site: Site, unit_name: str) -> int:
    out = site.manage(
        "shell", "-c", f"from fawang.orgs.models import Unit; print(Unit.objects.get(name='{unit_name}').pk)"
    )
    return int(out.strip().splitlines()[-1])


def test_siming_supervisor_sees_siming_and_nothing_of_huli(site: Site, page: Any) -> None:
    sign_in(page, site, "sm_supervisor")
    page.get_by_role("link", name="服务机构").first.click()
    page.get_by_label("机构类型").select_option(label="公共法律服务工作站")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**kind=station**")
    table = page.get_by_role("table")
    stations = table.locator("tbody tr td:first-child").all_inner_texts()
    assert len(stations) == 10, stations  # 思明区 has ten streets, each with a station
    assert any("鼓浪屿街道公共法律服务工作站" in s for s in stations)
    assert "湖里" not in table.inner_text()
    # Searching for Huli finds nothing; opening a Huli unit by its address says it does not exist.
    page.get_by_label("机构类型").select_option(label="全部")
    page.get_by_label("搜索").fill("湖里")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**q=%E6%B9%96%E9%87%8C**")
    assert page.get_by_role("table").count() == 0
    huli = _pk(site, "湖里区公共法律服务中心")
    response = page.goto(f"{site.url}/console/units/{huli}/")
    assert response is not None and response.status == 404
    assert "页面不存在或您无权查看" in page.content()
    # Staff: Siming's people are listed, Huli's are not.
    page.goto(f"{site.url}/console/")
    page.get_by_role("link", name="工作人员").first.click()
    page.wait_for_url("**/console/staff/")
    staff = page.get_by_role("table").inner_text()
    assert "sm_clerk" in staff and "sm_handler" in staff
    assert "hl_clerk" not in staff and "xm_supervisor" not in staff


def test_city_supervisor_sees_all_six_districts(site: Site, page: Any) -> None:
    sign_in(page, site, "xm_supervisor")
    page.get_by_role("link", name="行政区划").first.click()
    page.get_by_role("link", name="厦门市").first.click()
    children = page.locator("#h-children").locator("xpath=..").inner_text()
    for district in ("思明区", "海沧区", "湖里区", "集美区", "同安区", "翔安区"):
        assert district in children, district
    page.get_by_role("link", name="服务机构").first.click()
    page.get_by_label("机构类型").select_option(label="公共法律服务中心")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**kind=centre**")
    centres = page.get_by_role("table").locator("tbody tr td:first-child").all_inner_texts()
    assert len(centres) == 7, centres  # the city centre and one per district
    assert "仙游" not in " ".join(centres)
