"""The topic taxonomy: the 20 legal areas seeded as ``orgs.Speciality`` rows (same codes, same order).

Kept as a plain list so the classifier needs no database; a test checks it against the seed migration
(fawang/orgs/migrations/0002_seed_functions_and_specialities.py).
"""

from __future__ import annotations

TOPICS: list[tuple[str, str]] = [
    ("family", "婚姻家庭"),
    ("labour", "劳动纠纷"),
    ("traffic", "交通事故"),
    ("debt", "债权债务"),
    ("criminal", "刑事辩护"),
    ("contract", "合同纠纷"),
    ("property", "房产纠纷"),
    ("tort", "侵权"),
    ("company", "公司法"),
    ("medical", "医疗纠纷"),
    ("demolition", "拆迁安置"),
    ("administrative", "行政诉讼"),
    ("construction", "建设工程"),
    ("ip", "知识产权"),
    ("general", "综合咨询"),
    ("injury", "人身损害"),
    ("foreign", "涉外法律"),
    ("maritime", "海事海商"),
    ("consumer", "消费权益"),
    ("security", "抵押担保"),
]

CODES: list[str] = [code for code, _ in TOPICS]
NAMES: dict[str, str] = dict(TOPICS)
GENERAL = "general"
