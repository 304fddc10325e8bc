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


def _top_titles(phone: Any, site: Site, question: str) -> tuple[Any, list[str]]:
    phone.goto(f"{site.url}/laws/search/")
    phone.get_by_label("您的问题或关键词").fill(question)
    phone.get_by_role("button", name="检索").click()
    phone.wait_for_url("**q=**")
    results = phone.locator("#results-title").locator("xpath=..")
    expect(results.locator("h3").first).to_be_visible()
    return results, results.locator("h3").all_inner_texts()


def test_everyday_words_find_the_articles_a_lawyer_would_cite(site: Site, phone: Any) -> None:
    """Issue 15: the two questions the search used to fail on, asked the way people ask them."""
    _, titles = _top_titles(phone, site, "老板拖欠工资三个月不给怎么办")
    wages = {
        "《中华人民共和国劳动合同法》第三十条",
        "《中华人民共和国劳动合同法》第三十八条",
        "《中华人民共和国劳动合同法》第八十五条",
        "《中华人民共和国劳动法》第五十条",
        "《中华人民共和国劳动法》第九十一条",
    }
    assert wages & set(titles[:3]), titles[:5]

    results, titles = _top_titles(phone, site, "被狗咬了谁负责")
    dog = "《中华人民共和国民法典·侵权责任编》第一千二百四十五条"
    assert dog in titles[:3], titles[:5]
    # Why it matched, in the person's words, and a way to say whether it helped.
    card = results.locator("li", has=phone.get_by_role("link", name=dog))
    expect(card.locator(".why")).to_contain_text("狗 → 饲养的动物")
    card.get_by_role("button", name="有帮助").click()
    expect(card.get_by_role("status")).to_have_text("谢谢，您的反馈已记录，会用来改进检索结果。")
    assert '"helpful": true' in site.manage(
        "shell",
        "-c",
        "import json; from fawang.knowledge.models import SearchFeedback as F; "
        "f = F.objects.get(); print(json.dumps({'q': f.question, 'helpful': f.helpful, 'source': f.source}))",
    )
