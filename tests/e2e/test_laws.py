"""Law search, end to end: a member of the public asks a lay question, keeps only laws in force, and opens the
cited article at its anchor (the site imports the 法律援助 laws and builds their index in conftest.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Site

pytestmark = pytest.mark.browser


def test_a_lay_question_finds_the_article_in_force(site: Site, phone: Any) -> None:
    phone.goto(f"{site.url}/laws/search/")
    phone.get_by_label("您的问题或关键词").fill("法律援助 申请 多久 决定")
    phone.get_by_text("筛选条件", exact=True).click()  # folded away on a phone (issue 14, item 11)
    phone.get_by_label("时效性").select_option(label="现行有效")
    phone.get_by_role("button", name="检索").click()
    phone.wait_for_url("**status=current**")
    results = phone.locator("#results-title").locator("xpath=..")
    expect(results.locator("mark").first).to_be_visible()
    titles = results.locator("h3").all_inner_texts()
    assert "《中华人民共和国法律援助法》第四十三条" in titles[:3], titles
    # Every result is in force: no 已修改 / 已废止 badge.
    assert results.locator(".badge-warn, .badge-danger").count() == 0

    results.get_by_role("link", name="《中华人民共和国法律援助法》第四十三条").click()
    phone.wait_for_url(re.compile(r"/laws/\d+/#a43$"))
    article = phone.locator("#a43")
    expect(article).to_be_in_viewport()
    expect(article).to_contain_text("法律援助机构应当自收到法律援助申请之日起七日内进行审查")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("中华人民共和国法律援助法")
    expect(phone.locator(".badge-ok").first).to_have_text("现行有效")
