"""Plausible but invented Chinese personal names for demo data: common surnames, neutral given names.

Names are drawn from a seeded generator, so the demo is the same on every machine; any likeness to a real
person is chance.
"""

from __future__ import annotations

import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建文红云婷雪琳晨宇浩然欣怡思远子涵梓轩雨泽嘉诚志航"
    "海峰晓东立新春燕佳慧俊凯振国永安德胜文博"
)


def person_name(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return surname + given


def gender(rng: random.Random) -> str:
    return rng.choice("mf")
