"""Issue 14, item 30: the console by keyboard and for assistive technology.

- In the intake form (受理登记), "再加一项" and "删除此项" swap the form through htmx; the keyboard focus lands on the
  new row, or on the row next to the one removed, not on the page body.
- axe-core (vendored in tests/e2e/vendor/axe-core, never served) finds no violation on the console's sign-in,
  home, queue, matter detail and intake pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Site, new_page, sign_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def focused_row(page: Any) -> str | None:
    """The id of the request row (fieldset#request-N) holding the keyboard focus, or None."""
    return page.evaluate(
        "() => { const f = document.activeElement && document.activeElement.closest('fieldset[id^=request-]');"
        " return f ? f.id : null; }"
    )


def press(page: Any, button: Any) -> None:
    """Activate a button from the keyboard."""
    button.focus()
    page.keyboard.press("Enter")


def focus_lands_in(page: Any, row: str) -> None:
    """Wait (after the swap) until the keyboard focus is inside fieldset#row; fails when it stays elsewhere."""
    page.wait_for_function(
        "row => { const a = document.activeElement; return !!(a && a.closest('fieldset#' + row)); }",
        arg=row,
        timeout=5000,
    )


def test_focus_stays_on_the_rows_when_adding_and_removing(site: Site, page: Any) -> None:
    sign_in(page, site, "sm_clerk")
    page.get_by_role("link", name="受理登记").first.click()
    form = page.locator("#intake-form")
    form.get_by_label(re.compile("^事项描述")).first.fill("第一项：邻里纠纷。")
    press(page, form.get_by_role("button", name="再加一项"))
    expect(page.locator("fieldset#request-1")).to_be_visible()
    focus_lands_in(page, "request-1")
    press(page, page.get_by_role("button", name="再加一项"))
    expect(page.locator("fieldset#request-2")).to_be_visible()
    focus_lands_in(page, "request-2")
    # Removing the first row: the next one moves up into its place and has the focus.
    press(page, page.locator("fieldset#request-0").get_by_role("button", name="删除此项"))
    expect(page.locator("fieldset#request-2")).to_have_count(0)
    focus_lands_in(page, "request-0")
    # Removing the last row: focus goes to the row before it.
    press(page, page.locator("fieldset#request-1").get_by_role("button", name="删除此项"))
    expect(page.locator("fieldset#request-1")).to_have_count(0)
    focus_lands_in(page, "request-0")
    assert focused_row(page) == "request-0"
    assert page.evaluate("document.activeElement.tagName") == "SELECT"  # the row's first field


def axe_violations(page: Any) -> list[dict[str, Any]]:
    # Evaluated through the browser's debugging protocol: the site's CSP (script-src 'self') refuses an inline
    # script tag, and a test must not loosen the site's policy to check it.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }"
    )
    return list(result)


def test_axe_finds_no_violation_on_the_console_pages(site: Site, page: Any, browser: Any) -> None:
    found: dict[str, list[dict[str, Any]]] = {}
    page.goto(f"{site.url}/accounts/login/")
    found["sign-in"] = axe_violations(page)
    sign_in(page, site, "sm_handler")
    found["home"] = axe_violations(page)
    # The handler's matters are at the legal-aid centre, one of their three units.
    with page.expect_navigation():
        page.locator("#unit-switch-select").select_option(label="思明区法律援助中心（承办人）")
    # Each page is checked once it is the one shown: a click does not wait for the next page, and the load state
    # of the page being left is already reached.
    page.get_by_role("link", name="本单位事项").first.click()
    page.wait_for_url(re.compile(r"/console/matters/unit/"))
    found["queue"] = axe_violations(page)
    page.locator("table tbody tr a").first.click()
    page.wait_for_url(re.compile(r"/console/matters/\d+/$"))
    found["detail"] = axe_violations(page)
    clerk = new_page(browser)
    sign_in(clerk, site, "sm_clerk")
    clerk.get_by_role("link", name="受理登记").first.click()
    clerk.wait_for_url(re.compile(r"/console/matters/intake/"))
    found["intake"] = axe_violations(clerk)
    clerk.context.close()
    bad = {name: v for name, v in found.items() if v}
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)
