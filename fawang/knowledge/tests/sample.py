"""A small source corpus in the data/laws/ format, written to a temporary folder for import tests."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from fawang.knowledge.importer import ImportResult, import_laws

TODAY = dt.date(2026, 11, 22)
AID = "行政法/法律援助法(2021-08-20).md"
CPL_2021 = "诉讼与非诉讼程序法/民事诉讼法(2021-12-24).md"
CPL_2023 = "诉讼与非诉讼程序法/民事诉讼法(2023-09-01).md"
OLD = "行政法/劳动教养试行办法(1982-01-21).md"
FUTURE = "行政法/未来施行法(2026-10-01).md"
SHANGHAI = "DLC/上海地方法规/地方性法规/上海/上海市法律援助若干规定(2020-05-14).md"
CASE = "案例/民法典/张某某诉某物业公司等财产损害赔偿案.md"

AID_43 = (
    "法律援助机构应当自收到法律援助申请之日起七日内进行审查，作出是否给予法律援助的决定。"
    "决定给予法律援助的，应当自作出决定之日起三日内指派法律援助人员为受援人提供法律援助；"
    "决定不给予法律援助的，应当书面告知申请人，并说明理由。"
)


def law(
    path: str, title: str, level: str, publish: str, valid_from: str | None, **extra: Any
) -> dict[str, Any]:
    return {
        "path": path,
        "source_set": "DLC:上海地方法规" if path.startswith("DLC/") else "main",
        "folder": path.rsplit("/", 1)[0],
        "title": title,
        "subtitle": None,
        "history": [f"{publish} 通过"],
        "lawrefbook_id": path,
        "level": level,
        "name": title,
        "publish": publish,
        "valid_from": valid_from,
        "expired": False,
        "category": "上海" if path.startswith("DLC/") else "行政法",
        "text": "",
        "date_in_filename": publish,
        **extra,
    }


def art(
    path: str, title: str, label: str, no: int, seq: int, text: str, section: str = "", **extra: Any
) -> dict:
    return {
        "law_path": path,
        "law_title": title,
        "law_subtitle": None,
        "expired": False,
        "level": extra.get("level", "法律"),
        "section": section,
        "article": label,
        "article_no": no,
        "seq": seq,
        "text": text,
    }


AID_T = "中华人民共和国法律援助法"
CPL_T = "中华人民共和国民事诉讼法"
LAWS = [
    law(AID, AID_T, "法律", "2021-08-20", "2022-01-01"),
    law(CPL_2021, CPL_T, "法律", "2021-12-24", "2022-01-01", expired=True),
    law(CPL_2023, CPL_T, "法律", "2023-09-01", "2023-09-01"),
    law(OLD, "劳动教养试行办法", "行政法规", "1982-01-21", "1982-01-21", expired=True),
    law(FUTURE, "中华人民共和国未来施行法", "法律", "2026-10-01", "2027-01-01"),
    law(SHANGHAI, "上海市法律援助若干规定", "地方性法规", "2020-05-14", "2020-07-01"),
    {
        "path": CASE,
        "source_set": "main",
        "title": "高空坠物由侵权人承担赔偿责任",
        "history": [],
        "text": "张某某……",
    },
]
ARTICLES = [
    art(
        AID,
        AID_T,
        "第一条",
        1,
        1,
        "为了规范和促进法律援助工作，保障公民和有关当事人的合法权益，制定本法。",
        "第一章 总 则",
    ),
    art(
        AID,
        AID_T,
        "第二条",
        2,
        2,
        "本法所称法律援助，是国家建立的为经济困难公民无偿提供法律服务的制度。",
        "第一章 总 则",
    ),
    art(AID, AID_T, "第四十三条", 43, 3, AID_43, "第四章 程序和实施"),
    art(
        AID,
        AID_T,
        "第四十三条之一",
        43,
        4,
        "申请人可以通过<script>alert(1)</script>网上平台提交申请。",
        "第四章 程序和实施",
    ),
    art(
        CPL_2021,
        CPL_T,
        "第一条",
        1,
        1,
        "民事诉讼法以宪法为根据，结合民事审判工作的经验制定。（2021年文本）",
        "第一编 总 则 / 第一章 任务",
    ),
    art(
        CPL_2023,
        CPL_T,
        "第一条",
        1,
        1,
        "民事诉讼法以宪法为根据，结合民事审判工作的经验制定。",
        "第一编 总 则 / 第一章 任务",
    ),
    art(
        OLD,
        "劳动教养试行办法",
        "第一条",
        1,
        1,
        "劳动教养的对象由劳动教养管理委员会审查决定。",
        level="行政法规",
    ),
    art(FUTURE, "中华人民共和国未来施行法", "第一条", 1, 1, "本法自二〇二七年一月一日起施行。"),
    art(
        SHANGHAI,
        "上海市法律援助若干规定",
        "第一条",
        1,
        1,
        "本市法律援助机构应当在七日内作出是否给予法律援助的决定。",
        level="地方性法规",
    ),
    art(CASE, "高空坠物由侵权人承担赔偿责任", "第一条", 1, 1, "张某某诉某物业公司财产损害赔偿一案。"),
]


def write_source(
    folder: Path, laws: list[dict] | None = None, articles: list[dict] | None = None
) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "laws.jsonl", folder / "articles.jsonl"
    for path, rows in zip(paths, (laws or LAWS, articles or ARTICLES), strict=True):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return paths


def import_sample(
    folder: Path,
    laws: list[dict] | None = None,
    articles: list[dict] | None = None,
    *,
    only: list[str] | None = None,
) -> ImportResult:
    laws_path, articles_path = write_source(folder, laws, articles)
    return import_laws(laws_path, articles_path, only=only, today=TODAY)


def changed(rows: list[dict], key: str, value: str, **changes: Any) -> list[dict]:
    """A copy of rows where the row whose `key` is `value` gets `changes`."""
    out = copy.deepcopy(rows)
    for r in out:
        if r.get(key) == value:
            r.update(changes)
    return out
