"""Issue 14, item 20: a long unit drop-down on a staff page (转至机构 on a matter's detail, some 40 units for a
district handler, 150 for the city) gets a search box: typing part of a name leaves only the matching units."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import Site, new_page, sign_in

pytestmark = pytest.mark.browser


def test_typing_filters_the_units_of_the_transfer_form(browser: object, site: Site) -> None:
    page = new_page(browser)
    sign_in(page, site, "sm_handler")
    page.goto(f"{site.url}/console/matters/unit/")
    page.locator("table a[href*='/console/matters/']").first.click()
    page.wait_for_url(re.compile(r".*/console/matters/\d+/$"))
    page.locator("#action-transfer > summary").click()
    select = page.get_by_label("转至机构")
    total = select.locator("option").count()
    assert total > 30
    search = page.get_by_label(re.compile("^筛选：转至机构"))
    search.fill("12345")
    visible = select.locator("option:not([hidden])")
    expect(visible).to_have_count(2)  # the empty choice and the hotline
    assert "12345" in visible.nth(1).inner_text()
    search.fill("")
    expect(select.locator("option:not([hidden])")).to_have_count(total)
    page.context.close()
