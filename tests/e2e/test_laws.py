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


def test_the_guide_that_answers_the_question_comes_first(site: Site, phone: Any) -> None:
    """Issue 15, item 4: above the articles, the FAQ that answers an everyday question, in its own plain words,
    with why it was chosen and a way to say whether it helped; none when no entry answers (the dog bite)."""
    site.manage("load_knowledge_demo")
    phone.goto(f"{site.url}/laws/search/")
    phone.get_by_label("您的问题或关键词").fill("老板拖欠工资三个月不给怎么办")
    phone.get_by_role("button", name="检索").click()
    phone.wait_for_url("**q=**")
    answer = phone.locator("section[aria-labelledby=answer-title]")
    expect(answer.get_by_role("heading", level=2)).to_have_text("这篇解答可能正是您要找的")
    expect(answer.get_by_role("link", name="单位拖欠工资怎么办？")).to_be_visible()
    expect(answer.locator(".summary")).to_contain_text("工资应当以货币形式按月支付给劳动者本人")
    expect(answer.locator(".why")).to_contain_text("引用了检索结果第")
    # It stands above the articles, and it cites one of the first articles listed there.
    results = phone.locator("#results-title").locator("xpath=..")
    answer_box, results_box = answer.bounding_box(), results.bounding_box()
    assert answer_box and results_box and answer_box["y"] < results_box["y"]
    cited = re.search(r"引用了检索结果第 (\d) 条(《.+?》第.+?条)", answer.locator(".why").inner_text())
    assert cited, answer.locator(".why").inner_text()
    assert results.locator("h3").nth(int(cited.group(1)) - 1).inner_text() == cited.group(2)
    # The same answer through the API.
    api = phone.request.get(f"{site.url}/api/v1/laws/answer/?q=老板拖欠工资三个月不给怎么办").json()
    assert api["answer"]["title"] == "单位拖欠工资怎么办？", api

    answer.get_by_role("button", name="有帮助").click()
    expect(answer.get_by_role("status")).to_have_text("谢谢，您的反馈已记录，会用来改进检索结果。")
    assert "单位拖欠工资怎么办？ True public" in site.manage(
        "shell",
        "-c",
        "from fawang.knowledge.models import SearchFeedback as F; "
        "f = F.objects.get(entry__isnull=False); print(f.entry.title, f.helpful, f.source)",
    )
    answer.get_by_role("link", name="阅读全文").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("单位拖欠工资怎么办？")

    # No demo entry is about dogs: nothing is put forward, the articles are still there.
    _, titles = _top_titles(phone, site, "被狗咬了谁负责")
    assert titles
    expect(phone.locator("section[aria-labelledby=answer-title]")).to_have_count(0)
